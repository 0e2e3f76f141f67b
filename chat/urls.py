from django.urls import path

from chat import views

urlpatterns = [
    path("", views.home, name="chat-home"),
    path("c/new/", views.new_conversation, name="chat-new"),
    path("c/<uuid:code>/", views.conversation, name="chat-conversation"),
    path("c/<uuid:code>/image-history/", views.image_history, name="chat-image-history"),
    path("upload/", views.upload, name="chat-upload"),
    path("upload/url/", views.image_from_url, name="chat-upload-url"),
    path("images/<uuid:code>/", views.image, name="chat-image"),
    path("images/<uuid:code>/original/", views.image_original, name="chat-image-original"),
    path("images/<uuid:code>/thumbnail/", views.image_thumbnail, name="chat-image-thumbnail"),
]
