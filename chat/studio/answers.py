"""What an answer's task hands the studio: the events only it reads (provider
state, a refusal of the image settings), and what it stores from them."""

from chat.gateway.events import ProviderState
from chat.gateway.optional_fields import IMAGE_SETTINGS, FieldsDropped
from chat.studio.provider_state import Collector


class AnswerStudio:
    def __init__(self, model):
        self.collector = Collector(model)
        self.settings_ignored = False

    def take(self, event):
        """True when `event` was one of the studio's (the task need not look at it)."""
        if isinstance(event, ProviderState):
            self.collector.add(event)
            return True
        if isinstance(event, FieldsDropped) and event.fields == IMAGE_SETTINGS.fields:
            self.settings_ignored = True
            return True
        return False

    def store_on(self, message):
        """Set what the answer keeps, before its one final save."""
        message.provider_state = self.collector.stored()
        if self.settings_ignored:
            message.image_config = {**message.image_config, "ignored": True}
