from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from chat.review.corrections import MAX_CHARS
from chat.review.models import Decision, ImageBox, Review, Tag, Verdict


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=Review.State.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    value = forms.ChoiceField(choices=Decision.Value.choices)
    note = forms.CharField(required=False, max_length=2000)


class VerdictForm(forms.Form):
    value = forms.ChoiceField(choices=Verdict.Value.choices)
    reason = forms.CharField(required=False, max_length=500)


class TagForm(forms.Form):
    name = forms.CharField(max_length=40, validators=[validate_slug])

    def clean_name(self):
        return self.cleaned_data["name"].strip().lower()

    def tag(self, *, create):
        """The named tag; a new name joins the editable set when adding."""
        name = self.cleaned_data["name"]
        if create:
            return Tag.objects.get_or_create(name=name)[0]
        return Tag.objects.filter(name=name).first()


class CorrectionForm(forms.Form):
    text = forms.CharField(max_length=MAX_CHARS, strip=False)

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("A correction needs some text."))
        if "\x00" in text:
            raise forms.ValidationError(_("A correction cannot hold a null character."))
        return text


class BoxForm(forms.Form):
    """A box in the original's pixels (the page turns what was drawn into
    them; typed in, they are the same numbers), with an optional tag and note."""

    x = forms.IntegerField(label=_("Left (px)"), min_value=-1_000_000, max_value=1_000_000)
    y = forms.IntegerField(label=_("Top (px)"), min_value=-1_000_000, max_value=1_000_000)
    width = forms.IntegerField(label=_("Width (px)"), min_value=1, max_value=1_000_000)
    height = forms.IntegerField(label=_("Height (px)"), min_value=1, max_value=1_000_000)
    tag = forms.CharField(label=_("Tag"), max_length=40, required=False, validators=[validate_slug])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    verdict = forms.ChoiceField(choices=ImageBox.Verdict.choices, initial=ImageBox.Verdict.WRONG)

    def clean_tag(self):
        return self.cleaned_data["tag"].strip().lower()

    def fields_for_box(self):
        """The keyword arguments of boxes.draw / boxes.change; a new tag name
        joins the shared set, as a message's tag does."""
        data = self.cleaned_data
        tag = Tag.objects.get_or_create(name=data["tag"])[0] if data["tag"] else None
        return {
            "x": data["x"], "y": data["y"], "width": data["width"], "height": data["height"],
            "tag": tag, "note": data["note"], "verdict": data["verdict"],
        }  # fmt: skip
