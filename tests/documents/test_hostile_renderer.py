"""A renderer that hangs, crashes, dies part way or runs out of memory: the
upload ends within the time limit with a sentence, nothing is left stored,
and the server goes on answering."""

import sys
import time

import pytest

from chat.documents import render
from chat.models import Document, ImageAttachment
from tests.support.documents import scanned_pdf
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db


def use_renderer(monkeypatch, source):
    monkeypatch.setattr(render, "renderer_command", lambda job: [sys.executable, "-c", source])


def still_serving(client):
    return client.get("/c/").status_code == 200


def test_a_hanging_renderer_is_stopped_at_the_time_limit(alice_client, monkeypatch, settings):
    settings.DOCUMENT_PAGE_SECONDS = 1
    use_renderer(monkeypatch, "import time; time.sleep(60)")
    started = time.monotonic()

    response = upload(alice_client, scanned_pdf(pages=1), "slow.pdf")

    assert time.monotonic() - started < 10  # the minute's sleep was cut short
    assert response.status_code == 400
    assert response.json()["error"].startswith("“slow.pdf” took too long to render")
    assert not Document.objects.exists()
    assert still_serving(alice_client)


def test_a_crashing_renderer_ends_in_a_refusal(alice_client, monkeypatch):
    use_renderer(monkeypatch, "import os; os.abort()")

    response = upload(alice_client, scanned_pdf(pages=1), "crash.pdf")

    assert response.status_code == 400
    assert response.json()["error"] == (
        "“crash.pdf” could not be rendered: the renderer stopped (signal 6). "
        "The file may be damaged or built to crash readers."
    )
    assert still_serving(alice_client)


# Opens a 3-page document, draws page 1, then dies.
DIES_AFTER_ONE_PAGE = """
import json, os, sys
from PIL import Image
job = json.loads(sys.argv[-1])
print(json.dumps({"event": "opened", "pages": 3, "text": [False] * 3}), flush=True)
file = os.path.join(job["out"], "0001.png")
Image.new("RGB", (40, 50), "white").save(file)
print(json.dumps({"event": "page", "number": 1, "file": file, "text": ""}), flush=True)
os._exit(1)
"""


def test_a_renderer_dying_part_way_leaves_no_pages(alice_client, monkeypatch):
    monkeypatch.setattr(
        render,
        "renderer_command",
        lambda job: [sys.executable, "-c", DIES_AFTER_ONE_PAGE, render.json.dumps(job)],
    )

    response = upload(alice_client, scanned_pdf(pages=3), "half.pdf")

    # The page count came before the crash: the upload was accepted, its
    # rendering failed, and the page poll says so.
    assert response.status_code == 201
    document = alice_client.get(response.json()["document"]["url"]).json()["document"]
    assert document["status"] == "failed"
    assert document["error"].startswith("“half.pdf” could not be rendered: the renderer stopped")
    assert document["pages"] == []
    assert not ImageAttachment.objects.exists()
    assert not Document.objects.get().file


def test_a_renderer_over_its_memory_limit_ends_in_a_refusal(alice_client, settings):
    # Too little address space to even load PDFium: the real renderer fails to start.
    settings.DOCUMENT_RENDER_MEMORY_MB = 30

    response = upload(alice_client, scanned_pdf(pages=1), "greedy.pdf")

    assert response.status_code == 400
    assert "could not be rendered: the renderer stopped" in response.json()["error"]
    assert still_serving(alice_client)
