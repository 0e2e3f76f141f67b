from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chat.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Connect the receivers: the language is remembered at login (language),
        # and a re-activated closed account is open again (receivers).
        from chat.accounts import language, receivers  # noqa: F401
