from django.urls import path

from chat.sharing import views

urlpatterns = [
    path("c/<uuid:code>/share/", views.create, name="sharing-create"),
    path("settings/shares/", views.shares, name="sharing-list"),
    path("settings/shares/<int:pk>/revoke/", views.revoke, name="sharing-revoke"),
    path("s/<str:token>/", views.page, name="sharing-page"),
    path("s/<str:token>/images/<uuid:code>/", views.image, name="sharing-image"),
]
