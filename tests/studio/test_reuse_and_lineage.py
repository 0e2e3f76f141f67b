"""Edit this image attaches a stored image again without an upload, and the
images made from it link back: an image generated from an edited image links
back two steps, and the viewer's strip shows each picture once."""

import pytest

from chat.models import Conversation, ImageAttachment, ImageSource, Message
from chat.studio import lineage
from tests.support.uploads import upload


def reuse(client, image):
    return client.post(f"/images/{image.code}/reuse/")


@pytest.fixture
def sent_image(alice_client, png):
    """An image of alice's, sent with a message."""
    code = upload(alice_client, png, name="field.png").json()["id"]
    image = ImageAttachment.objects.get(code=code)
    conversation = Conversation.objects.create(owner=image.owner, model="gpt-4o")
    image.message = conversation.append(role="user", text="A field")
    image.save()
    return image


def generated_from(question_images, conversation, name="drawn.png"):
    """An answer to a turn with `question_images`, with one generated image."""
    question = conversation.append(role="user", text="Edit it")
    for image in question_images:
        image.message = question
        image.save()
    answer = conversation.append(role="assistant", text="Done", model="gemini-3-pro-image-preview")
    made = (
        question_images[0].copy() if question_images else ImageAttachment(owner=conversation.owner)
    )
    made.message, made.name, made.sha256 = answer, name, f"sha-of-{name}"
    made.save()
    lineage.record_generated(made)
    return made


def test_it_attaches_the_image_again_without_an_upload(alice_client, sent_image):
    response = reuse(alice_client, sent_image)

    assert response.status_code == 201
    copy = ImageAttachment.objects.get(code=response.json()["id"])
    assert copy.message is None  # ready to be sent with the next message
    assert copy.file.name == sent_image.file.name  # the same stored bytes
    assert copy.sources.get().source == sent_image
    assert copy.sources.get().kind == ImageSource.Kind.REUSED


def test_it_does_not_reuse_someone_elses_image(client, bob, sent_image):
    client.force_login(bob)

    assert reuse(client, sent_image).status_code == 404
    assert not ImageSource.objects.exists()


def test_an_image_generated_from_an_edited_image_links_back_two_steps(alice_client, sent_image):
    conversation = sent_image.message.conversation
    first = generated_from([sent_image], conversation, "first.png")
    edited = ImageAttachment.objects.get(code=reuse(alice_client, first).json()["id"])

    second = generated_from([edited], conversation, "second.png")

    link = second.sources.get()
    assert (link.kind, link.source) == (ImageSource.Kind.GENERATED, edited)
    link = edited.sources.get()
    assert (link.kind, link.source) == (ImageSource.Kind.REUSED, first)
    # The strip: each picture once, oldest first, the reused copy folded in.
    assert [image for image, _ in lineage.strip(second)] == [sent_image, first, second]
    response = alice_client.get(f"/images/{first.code}/lineage/")
    assert [step["id"] for step in response.json()["steps"]] == [
        str(sent_image.code),
        str(first.code),
        str(second.code),
    ]
    assert [step["kind"] for step in response.json()["steps"]] == ["", "generated", "generated"]


def test_a_follow_up_without_an_attachment_links_to_the_previous_answers_image(sent_image):
    conversation = sent_image.message.conversation
    first = generated_from([sent_image], conversation, "first.png")

    second = generated_from([], conversation, "second.png")

    assert second.sources.get().source == first
    assert Message.objects.filter(images=second, role="assistant").exists()


def test_the_lineage_is_the_owners_only(client, bob, sent_image):
    client.force_login(bob)

    assert client.get(f"/images/{sent_image.code}/lineage/").status_code == 404
