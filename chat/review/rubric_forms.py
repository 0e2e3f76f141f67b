"""The admin's form for a score dimension: the values a kind needs, as fields
an operator fills in (five descriptions for a scale, a list for categories)."""

from django import forms
from django.utils.translation import gettext, gettext_lazy, ngettext

from chat.review.models import ScoreDimension

SCALE = [str(n) for n in range(1, 6)]


def _scale_field(n):
    return forms.CharField(required=False, max_length=200, label=f"{n} means")


class ScoreDimensionForm(forms.ModelForm):
    scale_1, scale_2, scale_3, scale_4, scale_5 = (_scale_field(n) for n in SCALE)
    categories = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For categories: one per line, as “name: what it means”."),
    )

    class Meta:
        model = ScoreDimension
        fields = ["name", "description", "kind", "required", "for_models", "for_tags", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        values = self.instance.values or {}
        if self.instance.kind == ScoreDimension.Kind.SCALE:
            for n in SCALE:
                self.fields[f"scale_{n}"].initial = values.get(n, "")
        if self.instance.kind == ScoreDimension.Kind.CATEGORIES:
            self.fields["categories"].initial = "\n".join(
                f"{name}: {meaning}" if meaning else name for name, meaning in values.items()
            )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ScoreDimension.Kind.SCALE:
            missing = [n for n in SCALE if not data.get(f"scale_{n}", "").strip()]
            if missing:
                raise forms.ValidationError(
                    ngettext(
                        "A scale needs a description of every value: %(values)s has none.",
                        "A scale needs a description of every value: %(values)s have none.",
                        len(missing),
                    )
                    % {"values": ", ".join(missing)}
                )
            data["values"] = {n: data[f"scale_{n}"].strip() for n in SCALE}
        elif kind == ScoreDimension.Kind.CATEGORIES:
            values = {}
            for line in (data.get("categories") or "").splitlines():
                name, _, meaning = line.partition(":")
                if name.strip():
                    values[name.strip()[:60]] = meaning.strip()
            if len(values) < 2:
                raise forms.ValidationError(gettext("Categories need at least two, one per line."))
            data["values"] = values
        else:
            data["values"] = {}
        return data

    def save(self, commit=True):
        self.instance.values = self.cleaned_data["values"]
        return super().save(commit)
