from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from chat.views import account

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("chat.account_urls")),
    path("", include("chat.urls")),
]
