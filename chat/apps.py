from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = "Conversations"

    def ready(self):
        from chat.live import readiness, sessions

        readiness.register()
        sessions.connect_signals()
