"""Extracting fields from an image in a conversation: the request asks the
gateway (the fake upstream, over real HTTP) for JSON fitting the schema, the
answer is validated and shown as a table, and a fitting one downloads as CSV
and XLSX whose cells read back as shown."""

import csv
import io
import json

import openpyxl
import pytest
from asgiref.sync import sync_to_async

from chat.gateway.optional_fields import RESPONSE_FORMAT
from chat.live.request_body import SYSTEM_PROMPT
from chat.models import Conversation, Message
from chat.testing.upstream import Reply
from tests.support.uploads import upload
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)

FIELDS = [
    {"name": "Shop", "type": "text"},
    {"name": "Date", "type": "date"},
    {"name": "Total", "type": "money"},
    {"name": "Items", "type": "list"},
    {"name": "Paid by card", "type": "yesno"},
    {"name": "Note", "type": "text"},
]
FITS = {
    "Shop": "Café Zoë 茶",
    "Date": "2026-12-03",
    "Total": 12.5,
    "Items": ["Tea", "Cake"],
    "Paid by card": True,
    "Note": '=HYPERLINK("http://evil.example","x")',
}


async def extract(client, conversation, png, *, fields=FIELDS, model="gpt-4o"):
    image = (await sync_to_async(upload)(client, png, "receipt.png")).json()
    communicator, _, _ = await open_socket(conversation, client)
    await communicator.send_json_to(
        {"action": "send", "text": "Extract these fields", "model": model,
         "images": [{"id": image["id"], "detail": "high"}], "extract": {"fields": fields}}
    )  # fmt: skip
    events = await receive_until(communicator, "done", "error")
    await communicator.disconnect()
    return events


@pytest.fixture
def conversation(alice):
    return Conversation.objects.create(owner=alice, model="gpt-4o")


async def test_it_sends_the_json_schema_as_response_format(
    conversation, alice_client, upstream, png
):
    upstream.queue(Reply.json(FITS))

    await extract(alice_client, conversation, png)

    body = upstream.requests[0].body
    schema = body["response_format"]["json_schema"]["schema"]
    assert body["response_format"]["type"] == "json_schema"
    assert list(schema["properties"]) == [f["name"] for f in FIELDS]
    assert schema["properties"]["Date"] == {
        "type": ["string", "null"], "format": "date", "description": "a date as YYYY-MM-DD",
    }  # fmt: skip
    # The instruction goes too, after the app's own prompt; the image still goes.
    assert body["messages"][0] == {"role": "system", "content": SYSTEM_PROMPT}
    assert '"Paid by card"' in body["messages"][1]["content"]
    assert body["messages"][2]["content"][0]["type"] == "image_url"


async def test_it_asks_other_models_by_instruction_alone(
    conversation, alice_client, upstream, png, settings
):
    settings.STRUCTURED_OUTPUT_MODELS = ["gemini-2.5-pro"]
    upstream.queue(Reply.json(FITS))

    await extract(alice_client, conversation, png)

    body = upstream.requests[0].body
    assert "response_format" not in body
    assert body["messages"][1]["content"].startswith("Answer with one JSON object")


async def test_it_shows_a_fitting_reply_as_a_table_with_downloads(
    conversation, alice_client, upstream, png
):
    upstream.queue(Reply.json(FITS))

    events = await extract(alice_client, conversation, png)

    extraction = events[-1]["message"]["extraction"]
    assert extraction["valid"] is True
    assert [(f["name"], f["value"], f["errors"]) for f in extraction["fields"]] == [
        ("Shop", "Café Zoë 茶", []), ("Date", "2026-12-03", []), ("Total", 12.5, []),
        ("Items", "Tea; Cake", []), ("Paid by card", "yes", []),
        ("Note", '=HYPERLINK("http://evil.example","x")', []),
    ]  # fmt: skip
    assert set(extraction["downloads"]) == {"csv", "xlsx", "json"}
    stored = next(e["message"] for e in events if e["type"] == "message")
    assert stored["extract"] == [f["name"] for f in FIELDS]  # the question names its fields
    assert events[-1]["message"]["tables"] == []  # its JSON is not offered twice


async def test_its_csv_and_xlsx_read_back_as_shown(conversation, alice_client, upstream, png):
    upstream.queue(Reply.json(FITS))
    events = await extract(alice_client, conversation, png)
    extraction = events[-1]["message"]["extraction"]
    shown = [f["value"] for f in extraction["fields"]]
    names = [f["name"] for f in extraction["fields"]]

    csv_file = await sync_to_async(alice_client.get)(extraction["downloads"]["csv"])
    xlsx_file = await sync_to_async(alice_client.get)(extraction["downloads"]["xlsx"])

    assert csv_file["Content-Disposition"].startswith("attachment;")
    assert csv_file.content.startswith(b"\xef\xbb\xbf")  # Excel reads 茶 as UTF-8
    header, row = csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig")))
    assert header == names
    # CSV is text: the number as written, the formula made plain by an apostrophe.
    assert row == [str(v) for v in shown[:5]] + ["'" + shown[5]]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_file.content)).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells == [tuple(names), tuple(shown)]  # 12.5 a number, the formula as text
    assert sheet.cell(row=2, column=6).data_type == "s"


async def test_it_marks_a_reply_that_does_not_fit_and_offers_no_download(
    conversation, alice_client, upstream, png
):
    upstream.queue(Reply.json({**FITS, "Date": "3rd of December", "Total": "12,50 €"}))

    events = await extract(alice_client, conversation, png)

    extraction = events[-1]["message"]["extraction"]
    assert extraction["valid"] is False
    marked = {f["name"]: f["errors"] for f in extraction["fields"] if f["errors"]}
    assert marked == {
        "Date": ["'3rd of December' is not a 'date'"],
        "Total": ["'12,50 €' is not of type 'number', 'null'"],
    }
    assert extraction["downloads"] == {}
    answer = await Message.objects.aget(role="assistant")
    response = await sync_to_async(alice_client.get)(f"/messages/{answer.pk}/extraction.csv")
    assert response.status_code == 404


async def test_it_marks_a_reply_that_is_not_json(conversation, alice_client, upstream, png):
    upstream.queue(Reply(tokens=["The total ", "is 12.50."]))

    events = await extract(alice_client, conversation, png)

    extraction = events[-1]["message"]["extraction"]
    assert extraction["valid"] is False
    assert extraction["errors"] == ["The answer is not JSON."]
    assert extraction["raw"] == "The total is 12.50."


async def test_it_refuses_invalid_fields_before_storing_anything(
    conversation, alice_client, upstream, png
):
    events = await extract(
        alice_client, conversation, png, fields=[{"name": "Total", "type": "currency"}]
    )

    assert events == [
        {
            "type": "error",
            "code": "invalid_schema",
            "error": "The field “Total” has an unknown type; choose one of "
            "text, number, date, money, yesno, list.",
        }
    ]
    assert await Message.objects.acount() == 0
    assert upstream.requests == []


async def test_a_regenerated_answer_is_asked_for_the_same_json(
    conversation, alice_client, upstream, png
):
    upstream.queue(Reply.json(FITS), Reply.json(FITS))
    events = await extract(alice_client, conversation, png)
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to(
        {"action": "regenerate", "message": events[-1]["message"]["id"], "model": "gpt-4o"}
    )
    await receive_until(communicator, "done", "error")
    await communicator.disconnect()

    assert [r.body["response_format"]["type"] for r in upstream.requests] == ["json_schema"] * 2


def test_no_one_else_downloads_an_extraction(alice, bob, client):
    conversation = Conversation.objects.create(owner=alice, model="gpt-4o")
    question = conversation.append(role="user", text="Extract", schema={"type": "object"})
    answer = conversation.messages.create(
        role="assistant", parent=question, text="{}", schema={"type": "object"}
    )
    client.force_login(bob)

    assert client.get(f"/messages/{answer.pk}/extraction.csv").status_code == 404
    client.force_login(alice)
    assert client.get(f"/messages/{answer.pk}/extraction.csv").status_code == 200


async def test_a_gateway_that_refuses_response_format_is_asked_by_instruction(
    conversation, alice_client, upstream, png
):
    refusal = {"error": {"message": "Unknown parameter: 'response_format'.", "type": "invalid"}}
    upstream.queue(Reply(status=400, body=json.dumps(refusal)), Reply.json(FITS), Reply.json(FITS))

    events = await extract(alice_client, conversation, png)
    await extract(alice_client, conversation, png)

    first, retried, later = (request.body for request in upstream.requests)
    assert "response_format" in first
    assert "response_format" not in retried and retried["messages"] == first["messages"]
    assert events[-1]["message"]["extraction"]["valid"] is True
    # Remembered for the model: the next extraction leaves it out from the start.
    assert "response_format" not in later
    assert later["messages"][1]["content"].startswith("Answer with one JSON object")


async def test_a_400_about_something_else_is_not_retried(conversation, alice_client, upstream, png):
    refusal = {"error": {"message": "Invalid image data", "type": "invalid_request"}}
    upstream.queue(Reply(status=400, body=json.dumps(refusal)))

    events = await extract(alice_client, conversation, png)

    assert len(upstream.requests) == 1
    assert events[-1]["type"] == "error"
    assert RESPONSE_FORMAT.refused_models == set()
