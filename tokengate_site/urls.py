from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from chat.accounts import views as accounts

urlpatterns = [
    path("admin/", admin.site.urls),
    # The page scripts' sentences in the reader's language (gettext() in the browser).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("chat.accounts.urls")),
    path("", include("chat.sharing.urls")),
    path("", include("chat.urls")),
]
