from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chat.sharing.models import EXPIRIES


class ShareForm(forms.Form):
    shown_as = forms.CharField(
        max_length=80, required=False, strip=True, label=_("Shown as"),
        help_text=_("The name the page shows as who shared it; empty for anonymous."),
    )  # fmt: skip
    expiry = forms.ChoiceField(
        choices=[("never", _("Never")), ("day", _("After a day")), ("week", _("After a week")),
                 ("month", _("After a month"))],
        initial="never", label=_("Link expires"),
    )  # fmt: skip
    keep_updated = forms.BooleanField(
        required=False,
        label=_("Keep updated: later turns show too (default: the conversation as it is now)"),
    )

    def clean_shown_as(self):
        name = self.cleaned_data["shown_as"]
        if "\x00" in name:
            raise forms.ValidationError(gettext("The name cannot hold a null character."))
        return name

    def expires_after(self):
        return EXPIRIES[self.cleaned_data["expiry"]]
