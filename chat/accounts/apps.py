from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chat.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from chat.accounts import language  # noqa: F401  (remembers the language at login)
