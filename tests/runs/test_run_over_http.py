"""A run of 50 images against the fake gateway over real HTTP: each item its own
request, the ones that failed retried alone, the table downloaded."""

import asyncio
import csv
import io
import json

import pytest

from chat import images
from chat.models import ImageAttachment, Run, RunItem
from chat.runs.worker import Worker

FAILING = (3, 11, 19, 27, 42)


def data_uri_of(code):
    return images.data_uri(images.derivative_for(ImageAttachment.objects.get(code=code)))


def image_url(body):
    return body["messages"][1]["content"][1]["image_url"]["url"]


def start(client, codes, prompt="Read the total"):
    response = client.post("/runs/new/", {"prompt": prompt, "model": "gpt-4o", "images": codes})
    assert response.status_code == 201, response.content
    return Run.objects.get(code=response.json()["code"])


@pytest.mark.django_db(transaction=True)
def test_it_completes_fifty_items_after_retrying_the_five_that_failed_once(
    alice_client, upstream, upload_images
):
    codes = upload_images(50)
    chosen = {data_uri_of(codes[n - 1]) for n in FAILING}
    upstream.fail_once(lambda body: image_url(body) in chosen)
    run = start(alice_client, codes)

    asyncio.run(Worker().until_idle())

    failed = run.items.filter(status=RunItem.Status.FAILED)
    assert sorted(failed.values_list("position", flat=True)) == list(FAILING)
    assert run.items.filter(status=RunItem.Status.DONE).count() == 45
    assert all(item.error for item in failed)  # each says why
    for position in FAILING:  # each failed item retried alone
        response = alice_client.post(f"/runs/{run.code}/items/{position}/retry/")
        assert response.status_code == 200, response.content

    asyncio.run(Worker().until_idle())

    status = alice_client.get(f"/runs/{run.code}/status/").json()
    assert (status["state"], status["done"], status["failed"], status["left"]) == (
        "finished", 50, 0, 0,
    )  # fmt: skip
    assert all(item["answer"] == "The image shows a red square." for item in status["items"])
    # One request per item, the five failed ones once more: nothing sent twice after it ended.
    sent = [image_url(request.body) for request in upstream.requests]
    assert len(sent) == 55 and len(set(sent)) == 50
    assert all(sent.count(uri) == 2 for uri in chosen)
    # Each request holds the prompt and one image, nothing else.
    content = upstream.requests[0].body["messages"][1]["content"]
    assert [part["type"] for part in content] == ["text", "image_url"]
    assert content[0]["text"] == "Read the total"

    download = alice_client.get(f"/runs/{run.code}/download.csv")
    assert download["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert len(rows) == 50
    assert {row["status"] for row in rows} == {"done"}
    assert rows[2]["attempts"] == "2" and rows[0]["attempts"] == "1"


@pytest.mark.django_db(transaction=True)
def test_it_sends_no_more_items_at_once_than_the_streaming_limit(
    alice_client, upstream, upload_images, settings
):
    settings.LIMIT_STREAMING_ANSWERS = 2
    run = start(alice_client, upload_images(6))
    worker, seen = Worker(), []
    # The items this process holds when each request arrives (a count from the
    # database here, on the upstream's thread, met SQLite's table lock).
    upstream.on_request = lambda request: seen.append(len(worker.tasks))

    asyncio.run(worker.until_idle())

    assert run.items.filter(status=RunItem.Status.DONE).count() == 6
    assert max(seen) == 2


@pytest.mark.django_db(transaction=True)
def test_it_downloads_the_table_as_xlsx_and_json_lines(alice_client, upstream, upload_images):
    from openpyxl import load_workbook

    run = start(alice_client, upload_images(3))
    asyncio.run(Worker().until_idle())

    xlsx = alice_client.get(f"/runs/{run.code}/download.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[0][:5] == ("item", "page", "image", "status", "answer")
    assert values[1][0] == 1 and values[1][6] == 42  # numbers stay numbers
    lines = alice_client.get(f"/runs/{run.code}/download.jsonl").content.decode().splitlines()
    assert [json.loads(line)["item"] for line in lines] == [1, 2, 3]


@pytest.mark.django_db(transaction=True)
def test_a_failed_item_says_why_in_the_language_its_owner_chose(
    alice_client, upstream, upload_images
):
    from django.utils import translation

    from chat.testing.upstream import Reply

    # Chosen in settings: the worker, away from any request, reads it there.
    alice_client.post("/account/language/", {"language": "zh-hans"})
    codes = upload_images(2)
    upstream.fail_once(lambda body: True, Reply(status=401, body='{"error": {"message": "no"}}'))
    run = start(alice_client, codes)

    with translation.override("en"):  # as in the serve process: no request's language
        asyncio.run(Worker().until_idle())

    errors = set(run.items.values_list("error", flat=True))
    assert errors == {"网关拒绝了 API 密钥（401）。需要管理员设置有效的 TOKENGATE_API_KEY。"}
