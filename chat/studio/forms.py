"""What a person may set in the studio, validated here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chat.models import Conversation
from chat.studio.image_settings import RATIOS, SIZES, SIZES_BY_PREFIX

ALL_SIZES = sorted({*SIZES, *(s for sizes in SIZES_BY_PREFIX.values() for s in sizes)})


class ImageSettingsForm(forms.ModelForm):
    """A conversation's aspect ratio and size for image models; empty: the model's default."""

    aspect_ratio = forms.ChoiceField(
        required=False,
        choices=[("", "model default"), *((r, r) for r in RATIOS)],
        error_messages={"invalid_choice": _("Choose one of the offered aspect ratios.")},
    )
    image_size = forms.ChoiceField(
        required=False,
        choices=[("", "model default"), *((s, s) for s in ALL_SIZES)],
        error_messages={"invalid_choice": _("Choose one of the offered sizes.")},
    )

    class Meta:
        model = Conversation
        fields = ["aspect_ratio", "image_size"]


class GalleryForm(forms.Form):
    """Which of the person's images: a kind, and the page before an image id."""

    kind = forms.ChoiceField(
        required=False,
        choices=[("", "all"), ("uploaded", "uploaded"), ("generated", "generated"),
                 ("markup", "marked up")],
        error_messages={"invalid_choice": _("Choose uploaded, generated or marked up images.")},
    )  # fmt: skip
    before = forms.IntegerField(
        required=False, min_value=1, error_messages={"invalid": _("Say before which image.")}
    )
