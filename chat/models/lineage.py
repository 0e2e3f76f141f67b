"""Where an image came from: the image(s) an answer's picture was made from,
the image "Edit this image" attached again, the image a marked-up copy was
drawn on. chat/studio/lineage.py walks these links for the viewer's strip."""

from django.db import models
from django.utils.timezone import now


class ImageSource(models.Model):
    class Kind(models.TextChoices):
        # An image model's answer made `image` from `source`, an image of the turn.
        GENERATED = "generated"
        # "Edit this image" attached `source` again as `image` (the same bytes).
        REUSED = "reused"
        # `image` is `source` with the person's marks drawn on it.
        MARKUP = "markup"

    image = models.ForeignKey("chat.ImageAttachment", models.CASCADE, related_name="sources")
    source = models.ForeignKey("chat.ImageAttachment", models.CASCADE, related_name="derived")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # For a markup: what was drawn, [{"shape": "arrow", "colour": "red"}, {"shape":
    # "text", "colour": "blue", "text": "here"}], said to the model with the image.
    marks = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            # "Your images" filtered by kind (marked up), and the walk up a lineage.
            models.Index(fields=["kind", "image"]),
        ]

    def __str__(self):
        return f"{self.kind}: {self.image_id} from {self.source_id}"
