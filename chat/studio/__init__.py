"""The image studio: image models' settings and their request fields, the
notice when a gateway refused those, provider state kept and sent back,
and (in its views) the page parts that make, edit and show images.
See README.md.

It imports the gateway, images and models, never chat.live or Channels.
"""

from chat.studio.answers import AnswerStudio
from chat.studio.image_settings import is_image_model, page_config, request_fields
from chat.studio.lineage import record_generated
from chat.studio.markup import notes as markup_notes
from chat.studio.provider_state import restored

__all__ = [
    "AnswerStudio", "is_image_model", "markup_notes", "page_config",
    "record_generated", "request_fields", "restored",
]  # fmt: skip
