from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chat.accounts"
    label = "accounts"
    verbose_name = "Accounts"
