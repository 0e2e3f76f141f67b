from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "chat.review"
    label = "review"
    verbose_name = "Review"

    def ready(self):
        from chat.review import receivers  # noqa: F401  (connects the signals)
