from django import forms
from django.core.validators import validate_slug

from chat.review.corrections import MAX_CHARS
from chat.review.models import Decision, Review, Tag, Verdict


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
            raise forms.ValidationError("A correction needs some text.")
        if "\x00" in text:
            raise forms.ValidationError("A correction cannot hold a null character.")
        return text
