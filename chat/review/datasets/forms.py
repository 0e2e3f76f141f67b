from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chat.review.datasets.sft import PER_PATH, PER_TURN
from chat.review.datasets.targets import TARGETS
from chat.review.models import DatasetExport


class DatasetForm(forms.Form):
    kind = forms.ChoiceField(choices=DatasetExport.Kind.choices, label=_("Dataset"))
    target = forms.ChoiceField(
        choices=[(t.name, t.label) for t in TARGETS.values()],
        label=_("Check against the limits of"),
        help_text=_("Examples whose images the service would refuse are left out and named."),
    )
    unit = forms.ChoiceField(
        choices=[
            (PER_PATH, _("one per conversation (the path its user ended on)")),
            (PER_TURN, _("one per answer, with what led to it")),
        ],  # fmt: skip
        label=_("Examples"),
        required=False,
    )
    images = forms.ChoiceField(
        choices=[("data", _("inline, as data: URIs")), ("links", _("signed links that expire"))],
        label=_("Images"),
        required=False,
    )
    link_hours = forms.IntegerField(min_value=1, max_value=24 * 30, initial=72, required=False,
                                    label=_("Links expire after (hours)"))  # fmt: skip
    every_answer = forms.BooleanField(
        required=False,
        label=_("Every answer, not only good or approved ones"),
        help_text=_(
            "By default an answer goes in only with an approved correction, a good "
            "verdict, or no bad verdict in an approved conversation."
        ),
    )

    with_boxes = forms.BooleanField(
        required=False,
        label=_("Add the boxes drawn on the images (supervised fine-tuning)"),
        help_text=_(
            'A "boxes" key beside "messages": each box [x, y, width, height] in '
            "pixels of the original, with its label. A service that checks for keys it does "
            "not know may refuse the file: leave it off for those. Evaluation sets and the "
            "image folder always carry them."
        ),
    )

    def clean(self):
        data = super().clean()
        data["unit"] = data.get("unit") or PER_PATH
        data["images"] = data.get("images") or "data"
        data["link_hours"] = data.get("link_hours") or 72
        target = TARGETS.get(data.get("target"))
        if target and data["images"] == "links" and not target.takes_links:
            raise forms.ValidationError(
                gettext("%(service)s takes images inline only (base64): choose data: URIs.")
                % {"service": target.label}
            )
        if data.get("kind") == DatasetExport.Kind.IMAGEFOLDER and data["images"] == "links":
            data["images"] = "data"  # the zip holds the files themselves
        return data
