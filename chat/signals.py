"""What chat tells other apps without knowing them (review keeps the access log)."""

from django.dispatch import Signal

# Someone other than its owner opened an image's original bytes: sender is the
# view, with `request` and `image`.
original_image_opened = Signal()
