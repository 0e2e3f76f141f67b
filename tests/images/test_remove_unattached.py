"""manage.py remove_unattached_images: uploads never sent with a message go
after a day, with their files unless other attachments share the bytes."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils.timezone import now

from chat.models import Conversation, Derivative, ImageAttachment
from tests.support.images import image_bytes
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db


def uploaded(client, data, name, *, hours_ago):
    image = ImageAttachment.objects.get(code=upload(client, data, name).json()["id"])
    ImageAttachment.objects.filter(pk=image.pk).update(created=now() - timedelta(hours=hours_ago))
    return image


def files_of(image):
    return [image.file.name, image.thumbnail.name]


def test_it_removes_old_unattached_uploads_and_their_files(alice, alice_client):
    old = uploaded(alice_client, image_bytes("PNG", color=(1, 2, 3)), "old.png", hours_ago=25)
    fresh = uploaded(alice_client, image_bytes("PNG", color=(4, 5, 6)), "new.png", hours_ago=2)
    sent = uploaded(alice_client, image_bytes("PNG", color=(7, 8, 9)), "sent.png", hours_ago=48)
    message = Conversation.objects.create(owner=alice).messages.create(role="user", text="x")
    ImageAttachment.objects.filter(pk=sent.pk).update(message=message)
    out = StringIO()

    call_command("remove_unattached_images", stdout=out)

    assert set(ImageAttachment.objects.values_list("name", flat=True)) == {"new.png", "sent.png"}
    assert not any(default_storage.exists(name) for name in files_of(old))
    assert not Derivative.objects.filter(source=old.sha256).exists()
    assert all(default_storage.exists(name) for name in files_of(fresh) + files_of(sent))
    assert out.getvalue() == "Removed 1 unattached image (3 files).\n"


def test_it_keeps_files_another_attachment_still_uses(alice, alice_client, png):
    old = uploaded(alice_client, png, "first.png", hours_ago=30)
    uploaded(alice_client, png, "again.png", hours_ago=1)  # the same bytes, stored once

    call_command("remove_unattached_images", stdout=StringIO())

    assert list(ImageAttachment.objects.values_list("name", flat=True)) == ["again.png"]
    assert all(default_storage.exists(name) for name in files_of(old))
