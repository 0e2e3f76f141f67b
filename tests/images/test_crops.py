"""Region zoom: a box cut on the server from the stored original, upright, and
sent as an extra image at high detail."""

import base64
import io

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from PIL import Image, ImageOps

from chat.models import Conversation, Derivative, ImageAttachment
from tests.support.images import ORIENTATION, decoded, noisy_png
from tests.support.uploads import upload
from tests.support.websocket import open_socket, receive_until

BOX = {"left": 20, "top": 50, "width": 100, "height": 120}


def sideways_png():
    """Random pixels stored sideways with an EXIF rotation: 300×200 on disk, 200×300 upright."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    out = io.BytesIO()
    Image.open(io.BytesIO(noisy_png((300, 200)))).save(out, "PNG", exif=exif)
    return out.getvalue()


def crop(client, image_id, **box):
    return client.post(f"/images/{image_id}/crop/", box)


@pytest.mark.django_db
def test_it_cuts_the_box_from_the_upright_original(alice_client):
    original = sideways_png()
    uploaded = upload(alice_client, original, "receipt.png").json()

    response = crop(alice_client, uploaded["id"], **BOX)

    assert response.status_code == 201
    region = response.json()
    assert (region["width"], region["height"], region["detail"]) == (100, 120, "high")
    assert region["crop_box"] == [20, 50, 100, 120]
    assert region["estimates"]["gpt-4o"]["high"] == 85 + 170  # one 512-px tile
    stored = ImageAttachment.objects.get(code=region["id"])
    assert stored.crop_of.code.hex == uploaded["id"].replace("-", "")
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(original))).convert("RGB")
    expected = upright.crop((20, 50, 120, 170))
    with stored.file.open("rb") as f:
        cut = Image.open(io.BytesIO(f.read())).convert("RGB")
    assert cut.size == (100, 120)
    assert cut.tobytes() == expected.tobytes()  # the very pixels, losslessly


@pytest.mark.django_db
def test_it_refuses_a_box_outside_the_image(alice_client, png):
    uploaded = upload(alice_client, png, "small.png").json()

    outside = crop(alice_client, uploaded["id"], left=40, top=0, width=40, height=20)
    tiny = crop(alice_client, uploaded["id"], left=0, top=0, width=4, height=4)
    negative = crop(alice_client, uploaded["id"], left=-1, top=0, width=10, height=10)

    assert outside.status_code == 400
    assert outside.json()["error"] == "The region must lie inside the image (64×48)."
    assert tiny.json()["error"] == "Drag a larger region: at least 8×8 pixels."
    assert negative.json()["error"] == "Left: Ensure this value is greater than or equal to 0."


@pytest.mark.django_db
def test_it_refuses_to_crop_another_users_image(alice_client, bob, png):
    uploaded = upload(alice_client, png, "mine.png").json()
    client = Client()
    client.force_login(bob)

    assert crop(client, uploaded["id"], left=0, top=0, width=10, height=10).status_code == 404


@pytest.mark.django_db
def test_it_refuses_a_reviewers_crop_of_another_users_image(alice_client, rita, png):
    uploaded = upload(alice_client, png, "mine.png").json()
    rita_client = Client()
    rita_client.force_login(rita)
    images_before, derivatives_before = ImageAttachment.objects.count(), Derivative.objects.count()

    # rita may look at alice's image on the review page; a crop would be a new
    # image of rita's, original bytes and all, made from alice's photo.
    response = crop(rita_client, uploaded["id"], left=0, top=0, width=10, height=10)

    assert response.status_code == 404
    assert ImageAttachment.objects.count() == images_before
    assert Derivative.objects.count() == derivatives_before
    assert rita_client.get(f"/images/{uploaded['id']}/thumbnail/").status_code == 200


@pytest.mark.django_db(transaction=True)
async def test_it_sends_the_region_as_an_extra_image_at_high_detail(alice, alice_client, upstream):
    conversation = await Conversation.objects.acreate(owner=alice, model="gpt-4o")
    uploaded = (await sync_to_async(upload)(alice_client, sideways_png(), "receipt.png")).json()
    region = (await sync_to_async(crop)(alice_client, uploaded["id"], **BOX)).json()

    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({
        "action": "send", "text": "The total?", "model": "gpt-4o",
        "images": [{"id": uploaded["id"], "detail": "low"}, {"id": region["id"], "detail": "high"}],
    })  # fmt: skip
    await receive_until(communicator, "done", "error")
    await communicator.disconnect()

    whole, part, text = upstream.requests[0].body["messages"][1]["content"]
    assert whole["image_url"]["detail"] == "low"
    assert part["image_url"]["detail"] == "high"
    header, data = part["image_url"]["url"].split(",", 1)
    assert decoded(base64.b64decode(data)).size == (100, 120)  # at its own resolution
    assert text == {"type": "text", "text": "The total?"}
