"""What each fine-tuning service accepts of an example's images, so a file is
taken as it is. Figures from the services' documentation (December 2026):

- OpenAI vision fine-tuning: at most 64 images per example, 10 MB per image,
  JPEG, PNG or WEBP; images as https URLs or base64 data URIs.
- Together AI and Fireworks AI: base64 data URIs only, at most 10 images per
  example, 10 MB each.

"10 MB" is read as 10,000,000 bytes of image (the stricter reading).
"""

from dataclasses import dataclass

from django.utils.translation import gettext

from chat.refusals import grouped
from chat.review.datasets.report import Reason

MB = 1_000_000
WEB_FORMATS = frozenset({"image/jpeg", "image/png", "image/webp"})


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    max_images: int
    max_image_bytes: int
    formats: frozenset
    takes_links: bool

    def refusal(self, images):
        """Why an example with these images (rows.Image, sizes known) would be
        refused, as a sentence; None when it would be taken."""
        if len(images) > self.max_images:
            return Reason(
                gettext("%(count)s images, more than the %(limit)s %(service)s takes")
                % {"count": len(images), "limit": self.max_images, "service": self.label},
                gettext("too many images"),
            )
        for image in images:
            if image.sent_size is None:
                image.sent_bytes()  # made now: its size and format are needed
            if image.sent_size > self.max_image_bytes:
                return Reason(
                    gettext(
                        "image %(code)s is %(size)s bytes, over the %(limit)s MB %(service)s takes"
                    )
                    % {
                        "code": image.code, "size": grouped(image.sent_size),
                        "limit": self.max_image_bytes // MB, "service": self.label,
                    },
                    gettext("image too large"),
                )  # fmt: skip
            if image.sent_mime not in self.formats:
                return Reason(
                    gettext("image %(code)s is %(format)s, a format %(service)s refuses")
                    % {"code": image.code, "format": image.sent_mime, "service": self.label},
                    gettext("image format refused"),
                )
        return None


TARGETS = {
    t.name: t
    for t in (
        Target("openai", "OpenAI", 64, 10 * MB, WEB_FORMATS, takes_links=True),
        Target("together", "Together AI", 10, 10 * MB, WEB_FORMATS, takes_links=False),
        Target("fireworks", "Fireworks AI", 10, 10 * MB, WEB_FORMATS, takes_links=False),
    )
}
