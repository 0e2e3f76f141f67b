"""Your data holds everything the person made beside their conversations: runs
(each item's image, answer, status, tokens), saved extraction schemas, their
comparison picks and their documents; no one else's. Closing an account with
no retention deletes these too, and stops a run that was still going."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from chat import extraction
from chat.accounts import exports, jobs
from chat.models import Document, Pick, Run, RunItem, SavedSchema
from tests.accounts.test_your_data import download, download_ready
from tests.support.images import image_bytes
from tests.support.review import make_comparison
from tests.support.sharing import store
from tests.support.users import PASSWORD, make_user

FIELDS = [{"name": "Total", "type": "money"}]
PDF = b"%PDF-1.4 the person's own receipt"


def one_of_each(owner, *, prompt, schema_name, document_name, models):
    """A run with a done and a failed item, a saved schema, a picked comparison
    and a document (its original stored), all of `owner`'s."""
    schema = extraction.schema_from_fields(FIELDS)
    file = default_storage.save(f"documents/{owner.username}.pdf", ContentFile(PDF))
    document = Document.objects.create(
        owner=owner, name=document_name, kind="pdf", file=file, sha256=owner.username * 4,
        size=len(PDF), page_count=2, page_texts=["Total 6.00", ""], status="ready",
    )  # fmt: skip
    run = Run.objects.create(owner=owner, prompt=prompt, model=models[0], schema=schema)
    for position, (status, answer) in enumerate([("done", '{"Total": 6.0}'), ("failed", "")], 1):
        picture = store(owner, image_bytes(color=(90 * position, 0, 9)))
        RunItem.objects.create(
            run=run, position=position, image=picture,
            status=status, answer=answer, prompt_tokens=300 + position, completion_tokens=12,
            error="The gateway did not answer." if status == "failed" else "",
        )  # fmt: skip
    SavedSchema.objects.create(owner=owner, name=schema_name, fields=FIELDS, schema=schema)
    comparison, answers = make_comparison(owner, models, blind=True)
    Pick.record(comparison, user=owner, outcome="winner", winner=answers[1], reason="Right total")
    return run, document


def made_for_alice_and_bob(alice, bob):
    one_of_each(alice, prompt="Read the total", schema_name="Receipt",
                document_name="receipt.pdf", models=("gpt-4o", "gemini-2.5-pro"))  # fmt: skip
    one_of_each(bob, prompt="Bob's secret prompt", schema_name="Bob's invoice",
                document_name="bob.pdf", models=("bob-model-a", "bob-model-b"))  # fmt: skip


def test_the_archive_holds_the_persons_runs_schemas_picks_and_documents(alice_client, alice, bob):
    made_for_alice_and_bob(alice, bob)

    archive = download(alice_client)
    names = archive.namelist()

    runs = [json.loads(line) for line in archive.read("runs.jsonl").splitlines()]
    assert [(r["prompt"], r["model"]) for r in runs] == [("Read the total", "gpt-4o")]
    assert list(runs[0]["schema"]["properties"]) == ["Total"]
    items = runs[0]["items"]
    assert [(i["status"], i["answer"], i["prompt_tokens"]) for i in items] == [
        ("done", '{"Total": 6.0}', 301), ("failed", "", 302)]  # fmt: skip
    assert items[1]["error"] == "The gateway did not answer."
    for item in items:  # each item's image is in the zip, byte for byte
        assert item["image"]["file"] in names
        assert archive.read(item["image"]["file"]).startswith(b"\x89PNG")

    schemas = json.loads(archive.read("schemas.json"))
    assert [(s["name"], s["fields"]) for s in schemas] == [("Receipt", FIELDS)]

    picks = [json.loads(line) for line in archive.read("picks.jsonl").splitlines()]
    assert [(p["models"], p["outcome"], p["winner_model"], p["reason"]) for p in picks] == [
        (["gpt-4o", "gemini-2.5-pro"], "winner", "gemini-2.5-pro", "Right total")]  # fmt: skip

    documents = json.loads(archive.read("documents.json"))
    assert [(d["name"], d["pages"], d["page_texts"]) for d in documents] == [
        ("receipt.pdf", 2, ["Total 6.00", ""])]  # fmt: skip
    assert archive.read(documents[0]["file"]) == PDF

    everything = b"".join(archive.read(name) for name in names)
    for bobs in (b"Bob's secret prompt", b"Bob's invoice", b"bob.pdf", b"bob-model"):
        assert bobs not in everything


def test_an_account_with_none_of_these_gets_empty_files(alice_client, bob):
    made_for_alice_and_bob(bob, make_user("carol"))
    archive = download(alice_client)
    assert archive.read("runs.jsonl") == b"" and archive.read("picks.jsonl") == b""
    assert json.loads(archive.read("schemas.json")) == []
    assert json.loads(archive.read("documents.json")) == []


def test_an_account_of_many_run_images_is_built_in_the_background(alice, settings):
    settings.EXPORT_INLINE_IMAGES = 1
    assert not exports.is_large(alice)
    one_of_each(alice, prompt="Read the total", schema_name="Receipt",
                document_name="receipt.pdf", models=("gpt-4o", "gemini-2.5-pro"))  # fmt: skip
    assert exports.is_large(alice)  # its run's two images, in no conversation


@pytest.mark.django_db(transaction=True)
def test_an_account_of_large_documents_waits_on_a_link_not_on_the_request(client, settings):
    settings.EXPORT_INLINE_BYTES = 1_000  # the default is 50 MB: stand-in for 200 MB of PDFs
    alice = make_user("alice")
    big = b"%PDF-1.4 " + bytes(2_000)
    file = default_storage.save("documents/big.pdf", ContentFile(big))
    Document.objects.create(
        owner=alice, name="scans.pdf", kind="pdf", file=file, sha256="b" * 64, size=len(big),
        page_count=1, page_texts=[""], status="ready",
    )  # fmt: skip
    client.force_login(alice)

    client.post("/account/data/export/")
    # One worker: the archive came first. Waited on before reading the page, as
    # SQLite's shared test database refuses a read while the job writes.
    jobs.later(lambda: None).result(timeout=60)

    page = client.get("/account/data/").content.decode()
    assert "being built" in page  # the request's message: no image at all, yet too much to wait on
    archive = download_ready(client)
    documents = json.loads(archive.read("documents.json"))
    assert archive.read(documents[0]["file"]) == big


def test_closing_stops_the_persons_runs_at_once(alice_client, alice, bob):
    made_for_alice_and_bob(alice, bob)
    RunItem.objects.filter(run__owner=alice, status="failed").update(status="pending")

    alice_client.post("/account/close/", {"password": PASSWORD})

    run = Run.objects.get(owner=alice)
    assert run.stopped is not None
    assert not run.items.filter(status="pending").exists()
    assert Run.objects.get(owner=bob).stopped is None


def test_closing_with_no_retention_deletes_runs_schemas_picks_and_documents(
    alice_client, alice, bob, settings
):
    settings.CLOSED_ACCOUNT_RETENTION_DAYS = 0
    made_for_alice_and_bob(alice, bob)
    document_file = Document.objects.get(owner=alice).file.name

    alice_client.post("/account/close/", {"password": PASSWORD})

    for model in (Run, SavedSchema, Document):
        assert not model.objects.filter(owner=alice).exists()
        assert model.objects.filter(owner=bob).exists()
    assert not RunItem.objects.filter(run__owner=alice).exists()
    assert not Pick.objects.filter(user=alice).exists() and Pick.objects.filter(user=bob).exists()
    assert not default_storage.exists(document_file)
    assert default_storage.exists(Document.objects.get(owner=bob).file.name)
