from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "chat.sharing"
    label = "sharing"
    verbose_name = "Share links"

    def ready(self):
        from chat.sharing import receivers  # noqa: F401  (connects the signals)
