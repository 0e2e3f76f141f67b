"""PDFs and multi-page TIFFs through the upload endpoint: each gets its pages
as images of the ordinary pipeline, or a sentence naming the file and the
reason, with nothing left stored."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from chat.models import Document, ImageAttachment
from tests.support.documents import (
    PAGE_COLOURS,
    encrypted_pdf,
    huge_page_pdf,
    multipage_tiff,
    scanned_pdf,
    text_pdf,
)
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db


def stored(folder):
    if not default_storage.exists(folder):
        return []
    subfolders, _ = default_storage.listdir(folder)
    return [f for sub in subfolders for f in default_storage.listdir(f"{folder}/{sub}")[1]]


def closest_colour(pixel):
    """The page colour nearest `pixel` (the scan went through JPEG)."""
    return min(PAGE_COLOURS, key=lambda c: sum((a - b) ** 2 for a, b in zip(c, pixel, strict=True)))


def test_it_renders_each_page_of_a_pdf_as_an_image_that_knows_its_page(alice_client):
    response = upload(alice_client, scanned_pdf(pages=3), "contract.pdf")

    assert response.status_code == 201
    document = response.json()["document"]
    assert (document["name"], document["page_count"], document["status"]) == (
        "contract.pdf",
        3,
        "ready",
    )
    assert [page["page"] for page in document["pages"]] == [1, 2, 3]
    for number, page in enumerate(document["pages"], start=1):
        image = ImageAttachment.objects.get(code=page["id"])
        assert str(image.document.code) == document["id"]
        assert image.page == number
        # Each page is its own picture: its colour is the one drawn on it.
        pixels = Image.open(io.BytesIO(image.file.read())).convert("RGB")
        assert closest_colour(pixels.getpixel((5, 5))) == PAGE_COLOURS[number - 1]
        assert page["estimates"]["gpt-4o"]["high"] > page["estimates"]["gpt-4o"]["low"]
        assert alice_client.get(page["thumbnail_url"])["Content-Type"] == "image/webp"


def test_it_renders_a_letter_page_2048_pixels_tall(alice_client):
    # The documented size (chat/documents/README.md): the longer side at 2048 px
    # (US Letter, 8.5 × 11 in: 2048 × 8.5 / 11 = 1582.5, drawn 1583 wide).
    document = upload(alice_client, scanned_pdf(pages=1), "letter.pdf").json()["document"]

    page = document["pages"][0]
    assert (page["width"], page["height"]) == (1583, 2048)


def test_it_keeps_the_original_as_a_download(alice_client):
    data = scanned_pdf(pages=2)
    document = upload(alice_client, data, "contract.pdf").json()["document"]

    response = alice_client.get(document["original_url"])

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_only_its_owner_sees_a_document(alice_client, bob, client):
    document = upload(alice_client, scanned_pdf(pages=1), "mine.pdf").json()["document"]
    client.force_login(bob)

    assert client.get(document["url"]).status_code == 404
    assert client.get(document["original_url"]).status_code == 404


def test_it_reads_the_text_layer_of_a_born_digital_pdf(alice_client):
    response = upload(alice_client, text_pdf(["Invoice 4711", "Total due 99.50"]), "invoice.pdf")

    document = response.json()["document"]
    assert [page["has_text"] for page in document["pages"]] == [True, True]
    stored_document = Document.objects.get(code=document["id"])
    assert stored_document.page_texts == ["Invoice 4711", "Total due 99.50"]


def test_a_scan_has_no_text_layer(alice_client):
    document = upload(alice_client, scanned_pdf(pages=2), "scan.pdf").json()["document"]

    assert [page["has_text"] for page in document["pages"]] == [False, False]


def test_it_renders_each_frame_of_a_multipage_tiff(alice_client):
    response = upload(alice_client, multipage_tiff(pages=3), "fax.tif")

    assert response.status_code == 201
    document = response.json()["document"]
    assert (document["kind"], document["page_count"]) == ("tiff", 3)
    assert [(p["page"], p["width"], p["height"]) for p in document["pages"]] == [
        (1, 800, 1000),
        (2, 800, 1000),
        (3, 800, 1000),
    ]


def refused(client, data, name):
    response = upload(client, data, name)
    assert response.status_code == 400
    assert not Document.objects.exists()
    assert not ImageAttachment.objects.exists()
    assert stored("images") == [] and stored("documents") == []
    return response.json()["error"]


def test_it_refuses_an_encrypted_pdf_with_a_sentence(alice_client):
    error = refused(alice_client, encrypted_pdf(), "secret.pdf")

    assert "“secret.pdf” is protected by a password" in error


def test_it_refuses_a_truncated_pdf(alice_client):
    data = scanned_pdf(pages=3)

    error = refused(alice_client, data[: len(data) // 2], "cut.pdf")

    assert error == "“cut.pdf” is damaged or incomplete and cannot be read as a PDF."


def test_it_refuses_a_page_of_200_by_200_inches(alice_client):
    error = refused(alice_client, huge_page_pdf(inches=200), "poster.pdf")

    assert error.startswith("Page 1 of “poster.pdf” is 200 × 200 inches;")


def test_it_refuses_more_pages_than_the_limit(alice_client, settings):
    settings.DOCUMENT_MAX_PAGES = 4

    error = refused(alice_client, scanned_pdf(pages=5, size=(85, 110), resolution=10), "long.pdf")

    assert error.startswith("“long.pdf” has 5 pages; at most 4 are accepted.")


def test_it_refuses_a_document_over_the_size_limit(alice_client, settings):
    settings.DOCUMENT_MAX_BYTES = 1000

    error = refused(alice_client, scanned_pdf(pages=1), "big.pdf")

    assert error.startswith("“big.pdf” is 0.0 MB; documents must be at most 0.0 MB.")


def test_a_broken_tiff_gets_a_sentence(alice_client):
    data = multipage_tiff(pages=2)

    error = refused(alice_client, data[:200], "fax.tiff")

    assert error.startswith("“fax.tiff”")


def test_a_pdf_name_on_an_image_is_still_an_image(alice_client, png):
    # The bytes decide, not the name.
    response = upload(alice_client, png, "looks-like.pdf")

    assert response.status_code == 201 and response.json()["format"] == "PNG"


def test_a_single_page_tiff_is_a_document_of_one_page(alice_client):
    response = upload(alice_client, multipage_tiff(pages=1), "scan.tif")

    assert response.json()["document"]["page_count"] == 1


def test_an_unsent_document_is_removed_after_a_day_a_sent_one_kept(alice_client, alice):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils.timezone import now

    from chat.models import Conversation, Message

    unsent = upload(alice_client, scanned_pdf(pages=1), "unsent.pdf").json()["document"]
    sent = upload(alice_client, scanned_pdf(pages=2), "sent.pdf").json()["document"]
    message = Conversation.objects.create(owner=alice).append(role=Message.Role.USER, text="Hi")
    ImageAttachment.objects.filter(code=sent["pages"][0]["id"]).update(message=message)
    Document.objects.update(created=now() - timedelta(days=2))
    ImageAttachment.objects.update(created=now() - timedelta(days=2))

    call_command("remove_unattached_images", stdout=io.StringIO())

    assert list(Document.objects.values_list("name", flat=True)) == ["sent.pdf"]
    assert stored("documents") == [Document.objects.get().file.name.rsplit("/", 1)[1]]
    assert alice_client.get(unsent["url"]).status_code == 404
    # The sent page stays; the unsent page of the sent document goes.
    assert list(ImageAttachment.objects.values_list("page", flat=True)) == [1]
