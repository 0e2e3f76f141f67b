"""A run that extracts fields: every item's request carries the schema, each
answer is validated against it, the table has a column per field, and an
answer that does not fit is marked, not silently accepted."""

import asyncio
import csv
import io
import json

import pytest

from chat import images
from chat.models import ImageAttachment, Run
from chat.runs.worker import Worker
from chat.testing.upstream import Reply

FIELDS = [{"name": "Total", "type": "money"}, {"name": "Date", "type": "date"}]


def data_uri_of(code):
    return images.data_uri(images.derivative_for(ImageAttachment.objects.get(code=code)))


@pytest.mark.django_db(transaction=True)
def test_it_validates_each_items_fields_and_downloads_a_column_per_field(
    alice_client, upstream, upload_images
):
    codes = upload_images(3)
    unfit = data_uri_of(codes[1])
    answers = {
        True: json.dumps({"Total": 12.5, "Date": "2026-01-02"}),
        False: json.dumps({"Total": "twelve", "Date": "2026-01-02"}),
    }
    upstream.reply_for = lambda body: Reply(
        tokens=[answers[body["messages"][-1]["content"][1]["image_url"]["url"] != unfit]]
    )
    response = alice_client.post(
        "/runs/new/",
        {"prompt": "", "model": "gpt-4o", "images": codes, "fields": json.dumps(FIELDS)},
    )
    assert response.status_code == 201, response.content
    asyncio.run(Worker().until_idle())

    body = upstream.requests[0].body
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"]["required"] == ["Total", "Date"]
    assert "JSON Schema" in body["messages"][1]["content"]  # the instruction, for every model
    run = Run.objects.get()
    status = alice_client.get(f"/runs/{run.code}/status/").json()
    assert status["fields"] == ["Total", "Date"]
    rows = status["items"]
    assert rows[0]["fields"] == [12.5, "2026-01-02"] and rows[0]["errors"] == {}
    assert list(rows[1]["errors"]) == ["Total"]  # marked, not accepted

    download = alice_client.get(f"/runs/{run.code}/download.csv")
    table = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [(row["Total"], row["Date"], row["valid"]) for row in table] == [
        ("12.5", "2026-01-02", "yes"), ("twelve", "2026-01-02", "no"),
        ("12.5", "2026-01-02", "yes"),
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_gateway_refusing_response_format_gets_every_item_by_instruction(
    alice_client, upstream, upload_images
):
    refusal = {"error": {"message": "Unknown parameter: 'response_format'.", "type": "invalid"}}
    upstream.reply_for = lambda body: (
        Reply(status=400, body=json.dumps(refusal))
        if "response_format" in body
        else Reply.json({"Total": 12.5, "Date": "2026-01-02"})
    )
    response = alice_client.post(
        "/runs/new/",
        {"prompt": "", "model": "gpt-4o", "images": upload_images(4), "fields": json.dumps(FIELDS)},
    )
    assert response.status_code == 201, response.content
    asyncio.run(Worker().until_idle())

    run = Run.objects.get()
    rows = alice_client.get(f"/runs/{run.code}/status/").json()["items"]
    assert [row["status"] for row in rows] == ["done"] * 4
    assert all(row["fields"] == [12.5, "2026-01-02"] and row["errors"] == {} for row in rows)
    answered = [r.body for r in upstream.requests if "response_format" not in r.body]
    assert len(answered) == 4
    assert all("JSON Schema" in body["messages"][1]["content"] for body in answered)
    # Refused once per item at most: the model is then asked without it from the start.
    assert len(upstream.requests) <= 8
    assert "response_format" not in upstream.requests[-1].body


@pytest.mark.django_db
def test_it_refuses_a_run_whose_fields_are_wrong_and_stores_nothing(alice_client, upload_images):
    response = alice_client.post(
        "/runs/new/",
        {"prompt": "Go", "model": "gpt-4o", "images": upload_images(1),
         "fields": json.dumps([{"name": " ", "type": "text"}])},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"] == "Field 1 has no name."
    assert not Run.objects.exists()
