"""manage.py purge_conversations: old conversations go, and stored files go
only when no remaining row uses them."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils.timezone import now

from chat.models import Conversation, Derivative, ImageAttachment
from tests.support.review import attach_image, make_conversation

pytestmark = pytest.mark.django_db


def old(owner, title, *, days, **kwargs):
    moment = now() - timedelta(days=days)
    conversation = make_conversation(owner, title=title, created=moment, **kwargs)
    return conversation


def files_of(image):
    derivatives = Derivative.objects.filter(source=image.sha256).values_list("file", flat=True)
    return [image.file.name, image.thumbnail.name, *derivatives]


def test_it_removes_old_conversations_and_their_unshared_files(alice):
    gone = old(alice, "gone", days=40)
    image = attach_image(gone.messages.first(), color=(10, 20, 30))
    names = files_of(image)
    kept = old(alice, "recent", days=5)

    call_command("purge_conversations", "--older-than", "30", stdout=open("/dev/null", "w"))

    assert list(Conversation.objects.values_list("title", flat=True)) == ["recent"]
    assert not ImageAttachment.objects.exists() and not Derivative.objects.exists()
    assert names and not any(default_storage.exists(n) for n in names)
    assert kept.messages.count() == 2


def test_it_keeps_files_another_users_conversation_still_uses(alice, bob):
    gone = old(alice, "gone", days=40)
    mine = attach_image(gone.messages.first(), color=(99, 1, 1))
    same_bytes = attach_image(old(bob, "bob's", days=1).messages.first(), color=(99, 1, 1))
    assert mine.sha256 == same_bytes.sha256  # content-addressed: one file for both

    call_command("purge_conversations", "--older-than", "30", stdout=open("/dev/null", "w"))

    assert all(default_storage.exists(n) for n in files_of(same_bytes))
    assert Derivative.objects.filter(source=same_bytes.sha256).exists()
    assert same_bytes.file.read()  # bob's image still opens


def test_it_purges_only_deleted_conversations_when_asked(alice):
    old(alice, "deleted long ago", days=40, deleted=now() - timedelta(days=35))
    old(alice, "old but kept by its user", days=40)
    old(alice, "deleted yesterday", days=40, deleted=now() - timedelta(days=1))

    call_command(
        "purge_conversations", "--older-than", "30", "--deleted-only", stdout=open("/dev/null", "w")
    )

    assert sorted(Conversation.objects.values_list("title", flat=True)) == [
        "deleted yesterday", "old but kept by its user",
    ]  # fmt: skip


def test_it_leaves_a_conversation_whose_answer_streams(alice):
    streaming = old(alice, "streaming", days=40)
    streaming.messages.filter(role="assistant").update(status="streaming")

    call_command("purge_conversations", "--older-than", "30", stdout=open("/dev/null", "w"))

    assert Conversation.objects.filter(pk=streaming.pk).exists()


def test_it_refuses_a_negative_age():
    with pytest.raises(CommandError, match="--older-than must be 0 or more days"):
        call_command("purge_conversations", "--older-than", "-1")
