"""What a person may set, validated here rather than by hand in views."""

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from chat import extraction
from chat.gateway import catalog
from chat.models import Conversation, Feedback, Preferences, SavedSchema
from chat.refusals import grouped

MAX_INSTRUCTIONS = 4000
MAX_ANSWER_TOKENS = 100_000
MAX_COMMENT = Feedback._meta.get_field("comment").max_length
MAX_IMAGE_HISTORY_TURNS = 100


class ModelField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=catalog.choices, **kwargs)


class AnswerSettingsFields(forms.ModelForm):
    """Custom instructions, temperature and the longest answer: sent with every
    answer of a conversation, and a person's defaults for new ones."""

    instructions = forms.CharField(
        required=False,
        max_length=MAX_INSTRUCTIONS,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=gettext_lazy("Instructions"),
        help_text=gettext_lazy("Added after the app's own system prompt, which stays."),
    )
    temperature = forms.FloatField(
        required=False,
        min_value=0,
        max_value=2,
        widget=forms.NumberInput(attrs={"step": "0.1"}),
        label=gettext_lazy("Temperature"),
        help_text=gettext_lazy("0 to 2; empty: the model's default."),
    )
    max_tokens = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ANSWER_TOKENS,
        label=gettext_lazy("Longest answer"),
        help_text=gettext_lazy("In tokens; empty: the model's default."),
    )

    def clean_instructions(self):
        return self.cleaned_data["instructions"].strip()


class ConversationSettingsForm(AnswerSettingsFields):
    class Meta:
        model = Conversation
        fields = ["instructions", "temperature", "max_tokens"]


class ConversationModelForm(forms.ModelForm):
    model = ModelField()

    class Meta:
        model = Conversation
        fields = ["model"]


class PreferencesForm(AnswerSettingsFields):
    model = ModelField(
        label=gettext_lazy("Model"), help_text=gettext_lazy("New conversations start with it.")
    )

    class Meta:
        model = Preferences
        fields = ["model", "instructions", "temperature", "max_tokens"]


class RenameForm(forms.Form):
    # The length of Conversation.title; turns.rename stores it.
    title = forms.CharField(
        max_length=Conversation._meta.get_field("title").max_length,
        strip=True,
        error_messages={
            "required": gettext_lazy("Give the conversation a title."),
        },
    )


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, strip=True)
    # The cursor a page of the list gave for the next: "<updated>|<id>".
    after = forms.CharField(required=False, max_length=100)

    def clean_after(self):
        """(moment, id) of the cursor, or None for the first page."""
        value = self.cleaned_data["after"]
        if not value:
            return None
        updated, _, pk = value.rpartition("|")
        try:
            moment = parse_datetime(updated)
        except ValueError:  # well-formed but impossible: month 13, day 45
            moment = None
        # An id fits in 64 bits: a longer one would overflow the database's integer.
        if moment is None or not pk.isascii() or not pk.isdigit() or len(pk) > 18:
            raise forms.ValidationError(
                gettext("The list's position (“after”) is not one this list gave: reload the page.")
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment, int(pk)


class CropForm(forms.Form):
    """A box in the pixels of the upright image, as the preview shows it."""

    left = forms.IntegerField(min_value=0, label=gettext_lazy("Left"))
    top = forms.IntegerField(min_value=0, label=gettext_lazy("Top"))
    width = forms.IntegerField(min_value=1, label=gettext_lazy("Width"))
    height = forms.IntegerField(min_value=1, label=gettext_lazy("Height"))


# The forms below answer with one sentence of their own (views.access.form_error).


class FeedbackForm(forms.Form):
    """Thumbs up or down and a comment on an answer; no rating takes it back."""

    RATE = gettext_lazy("Rate the answer up or down.")
    rating = forms.ChoiceField(
        required=False,
        choices=[("", gettext_lazy("none")), *Feedback.Rating.choices],
        error_messages={"invalid_choice": RATE},
    )
    comment = forms.CharField(required=False, strip=True)

    def clean_comment(self):
        # Checked only for a rating that is kept: taking feedback back always works.
        comment = self.cleaned_data["comment"]
        if self.cleaned_data.get("rating") and len(comment) > MAX_COMMENT:
            raise forms.ValidationError(
                gettext("Comments can be at most %(count)s characters.")
                % {"count": grouped(MAX_COMMENT)}
            )
        return comment


class OlderMessagesForm(forms.Form):
    """The message before which a reader scrolling up wants the path's page."""

    SAY = gettext_lazy("Say before which message.")
    before = forms.IntegerField(
        min_value=0,
        error_messages={"required": SAY, "invalid": SAY, "min_value": SAY},
    )


class ImageHistoryForm(forms.Form):
    """Which earlier turns' images are sent again: "all" (None) or the last 1 to
    MAX_IMAGE_HISTORY_TURNS."""

    CHOOSE = gettext_lazy("Choose every turn or a number of turns.")
    value = forms.TypedChoiceField(
        choices=[("all", "every turn")]
        + [(str(n), f"last {n} turns") for n in range(1, MAX_IMAGE_HISTORY_TURNS + 1)],
        coerce=lambda value: None if value == "all" else int(value),
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )


class SavedSchemaForm(forms.ModelForm):
    """A saved extraction schema: a name, and one field a line ("Total: money")."""

    MAX_PER_PERSON = 50
    # The words a person may write for a type, as the composer names them.
    TYPE_WORDS = {**{kind: kind for kind in extraction.FIELD_TYPES}, "yes/no": "yesno"}

    field_lines = forms.CharField(
        label=_("Fields"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_("One a line, a name and a type: “Total: money”. Types: text, number, "
                    "date, money, yes/no, list."),
    )  # fmt: skip

    class Meta:
        model = SavedSchema
        fields = ["name"]
        labels = {"name": _("Name")}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = owner

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        schemas = SavedSchema.objects.filter(owner=self.instance.owner)
        if schemas.filter(name=name).exists():
            raise forms.ValidationError(_("You already have a schema of that name."))
        if schemas.count() >= self.MAX_PER_PERSON:
            raise forms.ValidationError(
                _("You can keep at most %(count)d schemas; delete one first.")
                % {"count": self.MAX_PER_PERSON}
            )
        return name

    def clean_field_lines(self):
        fields = []
        for line in self.cleaned_data["field_lines"].splitlines():
            if not line.strip():
                continue
            name, colon, word = line.rpartition(":")
            kind = self.TYPE_WORDS.get(word.strip().lower()) if colon else None
            if not colon or not name.strip():
                name, kind = line, "text"  # a bare name is text
            fields.append({"name": name.strip(), "type": kind or word.strip()})
        try:
            self.instance.schema = extraction.schema_from_fields(fields)
        except extraction.InvalidSchema as refusal:
            raise forms.ValidationError(refusal.message) from None
        self.instance.fields = fields
        return fields
