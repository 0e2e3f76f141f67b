"""Image work done after an upload, before anyone presses Send.

The upload makes the low derivative (its thumbnail comes from it); the one a
turn will send at high detail is made here, queued on a thread of its own and
decoded in the bounded workers (workers.py), so that building the request
finds it ready and neither the event loop nor the database thread that
Channels shares between every socket waits on Pillow.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections

from chat import images
from chat.images import workers
from chat.models.images import Derivative, ImageAttachment

# Operators filter on this name: it stays "chat.background" wherever the module lives.
logger = logging.getLogger("chat.background")

_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="derivatives")
# The tests turn this off where their database transaction hides the upload.
ENABLED = True


def make_derivative_later(attachment):
    """Queue the derivative `attachment` will be sent as, if it is not made yet."""
    kind = images.resolve_detail(attachment.width, attachment.height, attachment.detail)
    if ENABLED and kind != Derivative.Kind.LOW:
        return _pool.submit(_make, attachment.pk, kind)
    return None


def _make(pk, kind):
    try:
        attachment = ImageAttachment.objects.get(pk=pk)
        if not Derivative.objects.filter(source=attachment.sha256, kind=kind).exists():
            made = workers.call(images.read_image(attachment), images.make_derivative, kind)
            images.save_derivative(attachment.sha256, kind, made)
    except workers.Busy:
        logger.info("derivative %s of image %s not made ahead: the workers are busy", kind, pk)
    except Exception:
        # The turn makes it then; nothing is lost but time.
        logger.warning("derivative %s of image %s not made ahead", kind, pk, exc_info=True)
    finally:
        close_old_connections()
