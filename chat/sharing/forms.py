from django import forms

from chat.sharing.models import EXPIRIES


class ShareForm(forms.Form):
    shown_as = forms.CharField(
        max_length=80, required=False, strip=True, label="Shown as",
        help_text="The name the page shows as who shared it; empty for anonymous.",
    )  # fmt: skip
    expiry = forms.ChoiceField(
        choices=[("never", "Never"), ("day", "After a day"), ("week", "After a week"),
                 ("month", "After a month")],
        initial="never", label="Link expires",
    )  # fmt: skip
    keep_updated = forms.BooleanField(
        required=False,
        label="Keep updated: later turns show too (default: the conversation as it is now)",
    )

    def clean_shown_as(self):
        name = self.cleaned_data["shown_as"]
        if "\x00" in name:
            raise forms.ValidationError("The name cannot hold a null character.")
        return name

    def expires_after(self):
        return EXPIRIES[self.cleaned_data["expiry"]]
