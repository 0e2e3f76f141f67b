import os
import subprocess
import sys

import pytest

# Django imports chat.models first; these start from the other side, as a
# worker or a script that imports chat.images before the app registry's
# models would. chat/images/ imports chat.models.images only, and
# chat/images/tokens.py no models at all, so no order leaves a module half made.
FIRST = ["chat.images", "chat.images.tokens", "chat.images.background", "chat.models.messages"]


@pytest.mark.parametrize("first", FIRST)
def test_it_loads_the_models_and_images_whichever_is_imported_first(first):
    code = f"""
import importlib
import django
from chat.apps import ChatConfig

import_models = ChatConfig.import_models
def first_then_models(self):
    importlib.import_module({first!r})
    import_models(self)
ChatConfig.import_models = first_then_models
django.setup()
from chat.images import estimate_tokens
from chat.models import Conversation, Message
print(estimate_tokens("gpt-4o", 100, 100, "auto"), Conversation.__module__, Message.__module__)
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tokengate_site.settings"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "85",
        "chat.models.conversations",
        "chat.models.messages",
    ]
