from django.urls import path

from chat import views

urlpatterns = [
    path("", views.home, name="chat-home"),
    path("c/new/", views.new_conversation, name="chat-new"),
    path("c/<uuid:code>/", views.conversation, name="chat-conversation"),
    path("upload/", views.upload, name="chat-upload"),
    path("images/<uuid:code>/", views.image, name="chat-image"),
    path("images/<uuid:code>/thumbnail/", views.image_thumbnail, name="chat-image-thumbnail"),
]
