"""A conversation and its version tree: its messages form a tree (each has a
parent) and `current` is the leaf of the version on screen. New turns, edits,
regenerations and switches happen here, under the conversation's row lock,
with the rules for attaching images to a message."""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils.timezone import now
from django.utils.translation import gettext

from chat.images.tokens import estimate_tokens
from chat.models.images import ImageAttachment
from chat.models.lineage import ImageSource
from chat.models.messages import Message
from chat.refusals import Refusal

TITLE_LENGTH = 60


class TurnRefused(Refusal):
    """A new turn or version that cannot be made now; `message` is for the user."""


def default_image_history_turns():
    """The operator's default (settings.IMAGE_HISTORY_TURNS); None means every turn."""
    return settings.IMAGE_HISTORY_TURNS


class ConversationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's own conversations, without those they deleted."""
        return self.filter(owner=user, deleted=None)


class Conversation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="conversations"
    )
    title = models.CharField(max_length=200, blank=True)
    model = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(default=now)
    updated = models.DateTimeField(default=now)
    # Set when its user deletes it: gone from their list and URLs, kept for review.
    deleted = models.DateTimeField(null=True, blank=True)
    # Resend the images of only the last N user turns (None: all of them);
    # older images become a short text placeholder in the request.
    image_history_turns = models.PositiveSmallIntegerField(
        null=True, blank=True, default=default_image_history_turns
    )
    # The last message of the version on screen: messages form a tree (each
    # has a parent), and this leaf picks the path that later turns build on.
    current = models.ForeignKey("Message", models.SET_NULL, null=True, blank=True, related_name="+")
    # Sent with every answer (chat/forms.py validates them); see AnswerSettings.
    instructions = models.TextField(blank=True)
    temperature = models.FloatField(null=True, blank=True)
    max_tokens = models.PositiveIntegerField(null=True, blank=True)
    # An image model's picture: aspect ratio ("16:9") and size ("2K"); empty:
    # the model's default (chat/studio/image_settings.py validates them).
    aspect_ratio = models.CharField(max_length=5, blank=True)
    image_size = models.CharField(max_length=4, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        permissions = [("review_conversation", "Can read and review every conversation")]
        indexes = [
            # The sidebar: one user's conversations, most recent first.
            models.Index(fields=["owner", "-updated"]),
        ]

    def __str__(self):
        return self.title or f"Conversation {self.code}"

    def title_from(self, text):
        """Set the title from the first message, cut at a word near TITLE_LENGTH."""
        text = " ".join(text.split())
        if len(text) > TITLE_LENGTH:
            text = text[:TITLE_LENGTH].rsplit(" ", 1)[0] + "…"
        self.title = text or "Image conversation"

    def path_ids(self, leaf=None):
        """The ids of the messages from the first one down to `leaf` (default: the
        current leaf); nothing from other branches. One query, of ids only."""
        leaf_id = leaf.pk if isinstance(leaf, Message) else leaf or self.current_id
        parents = dict(self.messages.values_list("pk", "parent_id"))
        ids = []
        while leaf_id is not None and leaf_id in parents:
            ids.append(leaf_id)
            leaf_id = parents[leaf_id]
        ids.reverse()
        return ids

    def messages_of(self, ids):
        """The messages `ids`, in that order, with their images."""
        by_id = self.messages.prefetch_related("images").in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def path(self, leaf=None):
        """The messages from the first one down to `leaf` (default: the current
        leaf), with their images; nothing from other branches."""
        return self.messages_of(self.path_ids(leaf))

    def append(self, **fields):
        """Add a finished message under the current leaf and make it current
        (no checks: for imports, fixtures and benchmarks)."""
        message = self.messages.create(parent=self.current, **fields)
        self.current = message
        self.save(update_fields=["current"])
        return message

    def latest_leaf(self, message):
        """The newest message at the end of the branches below `message`: where a
        switch to `message`'s version lands."""
        children = {}
        for child_id, parent_id in self.messages.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(child_id)
        leaf_id = message.pk
        while children.get(leaf_id):
            leaf_id = max(children[leaf_id])
        return leaf_id

    def rename(self, title):
        self.title = title
        self.save(update_fields=["title"])

    def soft_delete(self):
        """Gone from its owner's list and URLs (for_user), kept for review."""
        self.deleted = now()
        self.save(update_fields=["deleted"])

    def _locked(self):
        """This conversation's row, locked for the transaction, refusing a new
        answer while one streams."""
        # The current leaf comes with it (a send hangs its turn there); only the
        # conversation's row is locked.
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("current")
            .get(pk=self.pk)
        )
        if conversation.messages.filter(status=Message.Status.STREAMING).exists():
            raise TurnRefused(
                gettext("The previous answer is still streaming: wait for it or stop it first."),
                code="answer_in_progress",
            )
        return conversation

    def _message(self, message_id, *, role=None):
        message = (
            self.messages.filter(pk=message_id).first() if isinstance(message_id, int) else None
        )
        if message is None or (role and message.role != role):
            raise TurnRefused(
                gettext("That message is not in this conversation."), code="unknown_message"
            )
        return message

    def _new_turns_parent(self, parent):
        """(the message a new turn hangs under, whether it is the current leaf)
        for `parent`, an id or None (the current leaf), on a locked conversation.
        Nothing hangs under the current leaf yet: a turn there is its only child."""
        if parent is None or parent == self.current_id:
            return self.current, True  # the page's usual send: no query
        if not isinstance(parent, Message):
            parent = self._message(parent)
        return parent, parent.pk == self.current_id

    def _attach(self, message, images, *, user, keep_from=None):
        """Link `images` [(code, detail)] to `message`: fresh uploads of `user`, or
        images of `keep_from` (the message being edited), copied so that both
        versions keep theirs (each copy linked to its original as "reused", so
        "Your images" and the viewer's strip count the picture once)."""
        details = dict(images)
        fresh = {
            a.code: a
            for a in ImageAttachment.objects.filter(owner=user, code__in=details, message=None)
        }
        kept = {}
        if keep_from is not None:
            kept = {a.code: a for a in keep_from.images.filter(code__in=details)}
        if len(fresh) + len(kept) != len(details):
            raise TurnRefused(
                gettext("One of the images was not found or was already sent; attach it again."),
                code="unknown_image",
            )
        attached = []
        for position, (code, detail) in enumerate(images):
            attachment = fresh.get(code) or kept[code].copy()
            attachment.message = message
            attachment.position = position
            attachment.detail = detail
            attachment.tokens = estimate_tokens(
                message.model, attachment.width, attachment.height, detail
            )
            if attachment.pk is None:
                attachment.save()  # a copy
                ImageSource.objects.create(
                    image=attachment, source=kept[code], kind=ImageSource.Kind.REUSED
                )
            attached.append(attachment)
        # One write for the fresh uploads, however many.
        ImageAttachment.objects.bulk_update(
            [a for a in attached if a.code in fresh], ["message", "position", "detail", "tokens"]
        )
        return attached

    def _answer(self, parent, model):
        answer = self.messages.create(
            role=Message.Role.ASSISTANT,
            status=Message.Status.STREAMING,
            model=model,
            parent=parent,
            instructions=self.instructions,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            image_config=self.image_config_for(model),
            schema=parent.schema,  # an extraction's answer is asked for the same JSON
        )
        self.current = answer
        self.model = model
        self.updated = now()
        self.save(update_fields=["current", "model", "updated", "title"])
        return answer

    def image_config_for(self, model):
        """The image settings an answer by `model` is asked with: an image
        model's chosen aspect ratio and size, nothing for the others."""
        if model not in settings.TOKENGATE_IMAGE_MODELS:
            return {}
        chosen = {"aspect_ratio": self.aspect_ratio, "image_size": self.image_size}
        return {name: value for name, value in chosen.items() if value}

    def add_turn(self, *, user, text, images, model, parent=None, schema=None):
        """Store the user's message (under `parent`, default the current leaf)
        with its images [(code, detail)] and the JSON Schema of an extraction
        (checked by the caller: chat/extraction/), and an empty streaming answer.

        Returns (user message, answer), as just_stored tells them; raises TurnRefused.
        """
        with transaction.atomic():
            conversation = self._locked()
            parent, on_leaf = conversation._new_turns_parent(parent)
            message = conversation.messages.create(
                role=Message.Role.USER, text=text, model=model, parent=parent, schema=schema or {}
            )
            attached = conversation._attach(message, images, user=user)
            if not conversation.title:
                conversation.title_from(text)
            answer = conversation._answer(message, model)
            return just_stored(message, attached, only_version=on_leaf), just_stored(answer)

    def edit(self, message_id, *, user, text, images, model):
        """A new version of the user message `message_id`: a branch from the same
        point, with the new text and images (kept ones are images of the edited
        message). The old branch stays. Returns (user message, answer)."""
        with transaction.atomic():
            conversation = self._locked()
            edited = conversation._message(message_id, role=Message.Role.USER)
            message = conversation.messages.create(
                role=Message.Role.USER,
                text=text,
                model=model,
                parent_id=edited.parent_id,
                schema=edited.schema,  # an edited extraction asks for the same fields
            )
            attached = conversation._attach(message, images, user=user, keep_from=edited)
            answer = conversation._answer(message, model)
            return just_stored(message, attached, only_version=False), just_stored(answer)

    def regenerate(self, message_id, *, model):
        """A new version of the answer `message_id` (also a retry after a failed
        one): a new streaming answer to the same user message. Returns it."""
        with transaction.atomic():
            conversation = self._locked()
            answer = conversation._message(message_id, role=Message.Role.ASSISTANT)
            return just_stored(conversation._answer(answer.parent, model), only_version=False)

    def switch_to(self, message_id):
        """Show the version holding `message_id`: the current leaf becomes the
        newest message at the end of its branch."""
        with transaction.atomic():
            conversation = self._locked()
            message = conversation._message(message_id)
            conversation.current_id = conversation.latest_leaf(message)
            conversation.save(update_fields=["current"])
            self.current_id = conversation.current_id


def just_stored(message, images=(), *, only_version=True):
    """`message` just stored, holding its `images` as if they were prefetched and
    its versions when it is the only one (`known_versions`, else None): its
    payload (chat/live/payloads.py) needs no query."""
    message._prefetched_objects_cache = {"images": list(images)}
    message.known_versions = [{"id": message.pk, "model": message.model}] if only_version else None
    return message
