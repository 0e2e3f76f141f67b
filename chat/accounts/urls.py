"""Accounts: Django's own views for passwords, and sign-up when the operator allows it."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from chat.accounts import data, views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("language/", views.choose_language, name="accounts-language"),
    path("data/", data.page, name="accounts-data"),
    path("data/export/", data.export, name="accounts-export"),
    path("data/export/<uuid:code>/", data.download, name="accounts-download"),
    path("data/export/<uuid:code>/status/", data.export_status, name="accounts-export-status"),
    path("close/", data.close_account, name="accounts-close"),
    path("import/", data.import_file, name="accounts-import"),
    path("import/<uuid:code>/status/", data.import_status, name="accounts-import-status"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
