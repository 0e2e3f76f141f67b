"""Your data: the archive of all one's conversations (every conversation,
version and image in it), built in the background for a large account; and
closing the account, which takes the conversations out of view at once."""

import io
import json
import re
import zipfile
from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from chat.accounts import jobs
from chat.accounts.models import Export
from chat.models import Conversation, Message
from tests.support.images import image_bytes
from tests.support.sharing import conversation_with_images, share
from tests.support.users import PASSWORD


def three_conversations_with_five_images(owner):
    colours = [(200, 0, 0), (0, 200, 0), (0, 0, 200), (200, 200, 0), (0, 200, 200)]
    pictures = [image_bytes(color=c) for c in colours]
    made = [
        conversation_with_images(owner, *pictures[:2], title="First"),
        conversation_with_images(owner, *pictures[2:4], title="Second"),
        conversation_with_images(owner, pictures[4], title="Third"),
    ]
    # A second version of the first answer: both versions go in the archive.
    first = made[0]
    question = first.messages.get(role="user")
    first.messages.create(role="assistant", text="Another take.", parent=question)
    return made


def download(client):
    response = client.post("/account/data/export/")
    assert response.status_code == 302
    page = client.get("/account/data/").content.decode()
    link = re.search(r'href="(/account/data/export/[0-9a-f-]+/)"', page).group(1)
    archive = client.get(link)
    assert archive["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content)))


def test_the_archive_holds_every_conversation_version_and_image(alice_client, alice, bob):
    three_conversations_with_five_images(alice)
    conversation_with_images(bob, image_bytes(), title="Bob's")

    archive = download(alice_client)
    names = archive.namelist()
    pages = sorted(n for n in names if n.startswith("conversations/"))
    assert [re.sub(r"^conversations/\d+-", "", n) for n in pages] == [
        "first.html", "second.html", "third.html"]  # fmt: skip
    assert len([n for n in names if n.startswith("images/")]) == 5

    records = [json.loads(line) for line in archive.read("conversations.jsonl").splitlines()]
    assert [r["title"] for r in records] == ["First", "Second", "Third"]
    first = records[0]["messages"]
    answers = [m["text"] for m in first if m["role"] == "assistant"]
    assert answers == ["Both are *red*.", "Another take."]
    referenced = [i["file"] for r in records for m in r["messages"] for i in m["images"]]
    assert sorted(referenced) == sorted(n for n in names if n.startswith("images/"))

    html = archive.read(pages[0]).decode()
    assert html.count('src="data:image/') == 2  # its two images inside the page
    assert "Another take." in html and "Bob" not in html


@pytest.mark.parametrize(
    ("username", "name"),
    [
        ("alice", "tokengate-data-alice-2026-12-03.zip"),
        ("josé@example.com", "tokengate-data-jose-example.com-2026-12-03.zip"),
        ("张伟", "tokengate-data-2026-12-03.zip"),  # no Latin letters: left out
    ],
)
def test_the_download_is_named_for_what_it_holds(db, client, username, name):
    from tests.support.users import make_user

    person = make_user(username)
    client.force_login(person)
    client.post("/account/data/export/")
    Export.objects.update(created=datetime(2026, 12, 3, 9, 30, tzinfo=UTC))
    export = Export.objects.get()

    response = client.get(f"/account/data/export/{export.code}/")

    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_no_one_else_downloads_an_archive(alice_client, client, alice, bob):
    three_conversations_with_five_images(alice)
    alice_client.post("/account/data/export/")
    export = Export.objects.get()
    client.force_login(bob)
    assert client.get(f"/account/data/export/{export.code}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_large_accounts_archive_is_built_in_the_background(client, settings):
    from tests.support.users import make_user

    settings.EXPORT_INLINE_IMAGES = 2
    alice = make_user("alice")
    three_conversations_with_five_images(alice)
    client.force_login(alice)

    client.post("/account/data/export/")
    # One worker: the archive came first. Waited on before reading the page, as
    # SQLite's shared test database refuses a read while the job writes.
    jobs.later(lambda: None).result(timeout=60)

    page = client.get("/account/data/").content.decode()
    assert "being built" in page  # what the request said, in its message
    export = Export.objects.get()
    assert export.status == "ready" and export.images == 5 and export.conversations == 3
    assert "Archive of" in page


def test_closing_needs_the_password_and_says_why_not(alice_client, alice):
    response = alice_client.post("/account/close/", {"password": "wrong"})
    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active


def test_closing_takes_every_conversation_out_of_view_at_once(alice_client, client, alice):
    conversations = three_conversations_with_five_images(alice)
    link = share(conversations[0])
    page = alice_client.get("/account/data/").content.decode()
    assert "leaves your view at once; this server keeps it 30 days for review" in page

    response = alice_client.post("/account/close/", {"password": PASSWORD})

    assert "Your account is closed" in response.content.decode()
    assert alice_client.get(f"/c/{conversations[1].code}/").status_code == 302  # to the login
    logging_in = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert logging_in.status_code == 200  # the form again, not a redirect into the app
    assert not Conversation.objects.for_user(alice).exists()
    assert Conversation.objects.filter(owner=alice).count() == 3  # kept for review
    cache.clear()
    assert client.get(f"/s/{link.token}/").status_code == 404


def test_closing_with_no_retention_deletes_everything_now(alice_client, alice, settings):
    settings.CLOSED_ACCOUNT_RETENTION_DAYS = 0
    three_conversations_with_five_images(alice)
    assert "deleted for good at once" in alice_client.get("/account/data/").content.decode()

    alice_client.post("/account/close/", {"password": PASSWORD})

    assert not Conversation.objects.filter(owner=alice).exists()
    assert not Message.objects.filter(conversation__owner=alice).exists()
    assert not list((settings.MEDIA_ROOT / "images").rglob("*.*"))


@pytest.mark.django_db(transaction=True)
def test_an_archive_asked_for_in_chinese_has_its_pages_in_chinese(client, settings):
    """Built on the accounts thread, which has no language of its own."""
    from tests.support.users import make_user

    settings.EXPORT_INLINE_IMAGES = 2
    alice = make_user("alice")
    three_conversations_with_five_images(alice)
    client.force_login(alice)

    client.post("/account/data/export/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    jobs.later(lambda: None).result(timeout=60)  # one worker: the archive came first
    archive = download_ready(client)
    page = archive.read(next(n for n in archive.namelist() if n.endswith(".html"))).decode()
    assert '<html lang="zh-hans">' in page
    assert "导出于" in page  # the model's words stay as they were written


def download_ready(client):
    page = client.get("/account/data/").content.decode()
    link = re.search(r'href="(/account/data/export/[0-9a-f-]+/)"', page).group(1)
    archive = client.get(link)
    return zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content)))


def test_the_archive_has_a_readme_naming_each_of_its_files(alice_client, alice):
    three_conversations_with_five_images(alice)

    archive = download(alice_client)

    readme = archive.read("README.txt").decode()
    assert readme.startswith("Your data from TokenGate Vision Chat")
    assert "Everything alice made in TokenGate Vision Chat" in readme
    at_the_root = {name.split("/")[0] + ("/" if "/" in name else "") for name in archive.namelist()}
    at_the_root |= {"documents/"}  # empty here: the zip has no folder entries
    for name in at_the_root - {"README.txt"}:
        assert f"\n{name}" in readme or f", {name}" in readme, name
    for field in ("parent", "prompt_tokens", "sha256", "page_texts", "winner_model"):
        assert field in readme


def test_an_archive_asked_for_in_chinese_has_its_readme_in_chinese(alice_client, alice):
    """A small account's, built in the request: in the language it was asked in too."""
    three_conversations_with_five_images(alice)
    alice_client.post("/account/data/export/", HTTP_ACCEPT_LANGUAGE="zh-CN")

    archive = download_ready(alice_client)

    readme = archive.read("README.txt").decode()
    assert "TokenGate Vision Chat" in readme and "Your data" not in readme
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", readme)  # as Chinese writes dates
    page = archive.read(next(n for n in archive.namelist() if n.endswith(".html"))).decode()
    assert '<html lang="zh-hans">' in page


def test_an_archive_says_an_answers_notice_in_the_language_it_was_asked_in(alice_client, alice):
    conversation = conversation_with_images(alice, title="Cut")
    conversation.messages.filter(role="assistant").update(finish_reason="length")

    alice_client.post("/account/data/export/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    archive = download_ready(alice_client)

    page = archive.read(next(n for n in archive.namelist() if n.endswith(".html"))).decode()
    assert "回答达到了 token 上限，后面的内容被截断了。" in page
