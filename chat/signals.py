"""What chat tells other apps without knowing them (review keeps the access log)."""

from django.dispatch import Signal

# Someone other than its owner opened an image's original bytes: sender is the
# view, with `request` and `image`.
original_image_opened = Signal()

# Someone other than its owner opened a cleaned copy of an image (the
# high-detail copy or the thumbnail): sender is the view, with `request`,
# `image` and `copy` ("high-detail copy" or "thumbnail").
image_copy_opened = Signal()

# An answer was marked failed by a queryset update, which sends no post_save
# (Message.mark_interrupted: the sweep for abandoned answers): sender is
# Message, with `message`.
answer_failed_without_save = Signal()
