"""A born-digital PDF's text layer, sent with its pages when the person
chooses it: one text part per page, labelled with its page number."""

import pytest

from chat.live import request_body
from chat.models import Conversation, Document, ImageAttachment, Message
from tests.support.documents import scanned_pdf, text_pdf
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db


def send_pages(alice, document_payload, numbers):
    conversation = Conversation.objects.create(owner=alice, model="gpt-4o")
    message = conversation.append(role=Message.Role.USER, text="What is the total?")
    for position, page in enumerate(document_payload["pages"]):
        if page["page"] in numbers:
            ImageAttachment.objects.filter(code=page["id"]).update(
                message=message, position=position
            )
    body, _ = request_body.build(conversation.path(), model="gpt-4o", image_history_turns=None)
    return body["messages"][-1]["content"]


def test_it_sends_each_pages_text_after_its_image_when_chosen(alice_client, alice):
    document = upload(alice_client, text_pdf(["Invoice 4711", "Total due 99.50"]), "invoice.pdf")
    document = document.json()["document"]

    response = alice_client.post(document["text_url"], {"send_text": "true"})

    assert response.json() == {"send_text": True}
    content = send_pages(alice, document, {1, 2})
    assert [part["type"] for part in content] == ["image_url", "text", "image_url", "text", "text"]
    assert content[1]["text"] == "Text layer of page 1 of “invoice.pdf”:\nInvoice 4711"
    assert content[3]["text"] == "Text layer of page 2 of “invoice.pdf”:\nTotal due 99.50"
    assert content[4]["text"] == "What is the total?"


def test_the_text_layer_is_off_by_default(alice_client, alice):
    document = upload(alice_client, text_pdf(["Invoice 4711"]), "invoice.pdf").json()["document"]

    assert document["send_text"] is False
    assert [p["type"] for p in send_pages(alice, document, {1})] == ["image_url", "text"]


def test_a_scan_sends_no_text_even_when_chosen(alice_client, alice):
    document = upload(alice_client, scanned_pdf(pages=1), "scan.pdf").json()["document"]
    alice_client.post(document["text_url"], {"send_text": "true"})

    assert [p["type"] for p in send_pages(alice, document, {1})] == ["image_url", "text"]


def test_only_the_owner_chooses_a_documents_text_layer(alice_client, bob, client):
    document = upload(alice_client, text_pdf(["Secret"]), "mine.pdf").json()["document"]
    client.force_login(bob)

    assert client.post(document["text_url"], {"send_text": "true"}).status_code == 404
    assert Document.objects.get().send_text is False
