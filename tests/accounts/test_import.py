"""Importing ChatGPT and Open WebUI exports: every conversation with its
branches as versions and its images through the upload pipeline; a malformed
file gets a sentence and lands nothing; the same file twice adds nothing."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chat.accounts import jobs
from chat.accounts.models import Import
from chat.models import Conversation
from tests.support.exports import chatgpt_branched, chatgpt_simple, chatgpt_zip, openwebui_export


@pytest.fixture(autouse=True)
def _jobs_in_the_request(monkeypatch):
    monkeypatch.setattr(jobs, "INLINE", True)


def bring_in(client, data, name="export.zip"):
    response = client.post("/account/import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302
    return Import.objects.order_by("-id").first()


def initial_messages(client, conversation):
    page = client.get(f"/c/{conversation.code}/").content.decode()
    start = page.index('<script id="initial-messages" type="application/json">') + 54
    return json.loads(page[start : page.index("</script>", start)])


def test_it_imports_a_multi_file_chatgpt_zip_with_branches_and_images(alice_client, alice):
    record = bring_in(alice_client, chatgpt_zip([chatgpt_branched()], [chatgpt_simple()]))

    assert record.status == "done" and record.kind == "chatgpt"
    assert (record.total, record.done, record.added) == (2, 2, 2)
    assert record.note == "2 conversations imported."
    blue = Conversation.objects.get(owner=alice, title="Blue picture")
    assert blue.created.timestamp() == 1_700_000_000
    shown = initial_messages(alice_client, blue)
    assert [m["text"] for m in shown] == ["What is in this picture?", "A **blue** rectangle.",
                                         "How wide?", "64 pixels."]  # fmt: skip
    assert [m["model"] for m in shown[1:4:2]] == ["gpt-4o", "gpt-4o-mini"]  # kept as written
    assert len(shown[1]["versions"]) == 2  # the regenerated answer: two versions
    [image] = shown[0]["images"]
    assert alice_client.get(f"/images/{image['id']}/").status_code == 200
    attachment = blue.messages.get(text="What is in this picture?").images.get()
    assert attachment.owner == alice and attachment.format == "PNG" and attachment.thumbnail


def test_it_imports_an_open_webui_export_with_its_edit_as_a_version(alice_client, alice):
    record = bring_in(alice_client, openwebui_export(), name="chat-export.json")

    assert record.status == "done" and record.kind == "openwebui"
    square = Conversation.objects.get(owner=alice, title="Square")
    shown = initial_messages(alice_client, square)
    assert [m["text"] for m in shown] == ["Describe it in detail", "A small blue square, 64 by 48."]
    assert len(shown[0]["versions"]) == 2 and shown[1]["model"] == "llava:13b"
    first = square.messages.get(text="Describe it")
    assert first.images.count() == 1


def test_importing_the_same_file_twice_adds_nothing_the_second_time(alice_client, alice):
    data = chatgpt_zip([chatgpt_branched(), chatgpt_simple()])
    bring_in(alice_client, data)
    again = bring_in(alice_client, data)

    assert Conversation.objects.filter(owner=alice).count() == 2
    assert (again.added, again.skipped) == (0, 2)
    assert again.note == "0 conversations imported; 2 already here, skipped."


def test_a_truncated_zip_gets_a_sentence_and_lands_nothing(alice_client, alice):
    data = chatgpt_zip([chatgpt_branched()])
    record = bring_in(alice_client, data[: len(data) // 2])

    assert record.status == "failed"
    assert "is not a complete zip archive (it may have been cut off" in record.note
    assert not Conversation.objects.filter(owner=alice).exists()
    page = alice_client.get("/account/data/").content.decode()
    assert "Nothing of it was imported." in page


@pytest.mark.parametrize(
    "data, sentence",
    [
        (b'{"conversations": []}', "is neither a ChatGPT export"),
        (b"[1, 2, 3]", "is neither a ChatGPT export"),
        (b'[{"mapping": ', "is not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "is nested too deeply"),
        (b"\x89PNG not an export", "is not valid JSON"),
    ],
    ids=["object", "numbers", "cut-off", "deep", "binary"],
)
def test_a_file_of_the_wrong_shape_gets_a_sentence(alice_client, alice, data, sentence):
    record = bring_in(alice_client, data, name="conversations.json")
    assert record.status == "failed" and sentence in record.note
    assert not Conversation.objects.filter(owner=alice).exists()


def test_one_malformed_conversation_lands_none_of_the_file(alice_client, alice):
    broken = chatgpt_simple(conversation_id="conv-3")
    broken["mapping"]["u"]["message"]["content"]["parts"] = [{"x": 1}, 42]
    broken["mapping"]["u"]["message"]["content"] = "not an object"
    record = bring_in(alice_client, chatgpt_zip([chatgpt_branched(), broken]))

    assert record.status == "failed" and "conversation 2 (“Hello”)" in record.note
    assert not Conversation.objects.filter(owner=alice).exists()


def test_a_zip_bomb_stops_at_the_unpacked_limit(alice_client, alice, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("conversations.json", b"[" + b" " * (50 * 1024 * 1024) + b"]")
    assert len(out.getvalue()) < 100_000
    record = bring_in(alice_client, out.getvalue())

    assert record.status == "failed"
    assert "conversations.json unpacks to more than this server accepts" in record.note


def test_a_zip_without_conversations_says_so(alice_client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    record = bring_in(alice_client, out.getvalue())
    assert record.note == "The zip holds no conversations.json: it is not a ChatGPT export."


def test_an_image_missing_from_the_zip_is_left_out_and_said(alice_client, alice):
    record = bring_in(alice_client, chatgpt_zip([chatgpt_branched()], images={}))

    assert record.status == "done" and record.added == 1
    assert "1 image the file refers to was missing or not an image: left out." in record.note


def test_no_one_else_sees_an_import(alice_client, client, bob, alice):
    record = bring_in(alice_client, openwebui_export(), name="x.json")
    client.force_login(bob)
    assert client.get(f"/account/import/{record.code}/status/").status_code == 404
    assert "x.json" not in client.get("/account/data/").content.decode()


def test_the_sentence_is_in_the_language_the_file_was_uploaded_in(alice):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from chat.accounts.imports import job

    record = Import.objects.create(user=alice, name="export.json")
    record.file = default_storage.save(f"imports/{record.code}", ContentFile(b"[1, 2, 3]"))
    record.save(update_fields=["file"])
    job.run(record.pk, "zh-hans")  # as the accounts thread runs it, with no language of its own

    record.refresh_from_db()
    assert record.status == "failed"
    assert record.note.startswith("“export.json”既不是 ChatGPT 的导出文件")


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "“big.zip” is 2 MB; an import may be at most 1 MB."),
        ("zh-CN", "“big.zip”有 2 MB，导入的文件最大只能是 1 MB。"),
    ],
)
def test_a_file_over_the_limit_is_refused_in_the_askers_language(
    alice_client, alice, settings, language, sentence
):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.zip", bytes(2 * 1024 * 1024))

    response = alice_client.post(
        "/account/import/", {"file": upload}, follow=True, HTTP_ACCEPT_LANGUAGE=language
    )

    assert sentence in response.content.decode()
    assert not Import.objects.exists()
