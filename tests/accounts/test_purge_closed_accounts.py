"""manage.py purge_closed_accounts: what the "close my account" page promises.
A closed account keeps everything for CLOSED_ACCOUNT_RETENTION_DAYS (30 here),
then loses it all: conversations, images, runs, documents and their files,
saved schemas, picks, archives; files someone else also uses stay. An account
an admin deactivated, or one closed and then re-activated, is left alone."""

import io
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils.timezone import now

from chat.accounts.models import ClosedAccount, Export
from chat.models import (
    Conversation,
    Derivative,
    Document,
    ImageAttachment,
    Message,
    Pick,
    Run,
    RunItem,
    SavedSchema,
)
from tests.accounts.test_your_data import download
from tests.accounts.test_your_data_everything import made_for_alice_and_bob
from tests.support.images import image_bytes
from tests.support.sharing import conversation_with_images
from tests.support.users import PASSWORD

OWNED = [(Conversation, "owner"), (Run, "owner"), (Document, "owner"), (SavedSchema, "owner"),
         (ImageAttachment, "owner"), (Pick, "user"), (Export, "user")]  # fmt: skip


def purge(*, days_ago):
    """The daily purge, run as if the accounts were closed `days_ago` days ago."""
    ClosedAccount.objects.update(closed=now() - timedelta(days=days_ago))
    out = io.StringIO()
    call_command("purge_closed_accounts", stdout=out)
    return out.getvalue()


def stored_files(user):
    images = ImageAttachment.objects.filter(owner=user)
    shas = set(images.values_list("sha256", flat=True))
    names = {name for pair in images.values_list("file", "thumbnail") for name in pair if name}
    names.update(Derivative.objects.filter(source__in=shas).values_list("file", flat=True))
    names.update(Document.objects.filter(owner=user).values_list("file", flat=True))
    names.update(Export.objects.filter(user=user).values_list("file", flat=True))
    return names


def everything_of(user):
    held = {model.__name__: model.objects.filter(**{field: user}).count() for model, field in OWNED}
    held["Message"] = Message.objects.filter(conversation__owner=user).count()
    held["RunItem"] = RunItem.objects.filter(run__owner=user).count()
    return held


def alice_with_one_of_everything(alice, alice_client, bob):
    made_for_alice_and_bob(alice, bob)  # their runs' images have the same bytes: shared files
    conversation_with_images(alice, image_bytes(color=(1, 2, 3)), title="Alice's own")
    download(alice_client)  # an archive of it all, kept on the server


def test_it_deletes_everything_of_an_account_closed_31_days_ago(alice_client, alice, bob):
    alice_with_one_of_everything(alice, alice_client, bob)
    bobs_files, bobs_things = stored_files(bob), everything_of(bob)
    alices_files = stored_files(alice) - bobs_files
    alices_things = everything_of(alice)
    assert all(alices_things.values()) and alices_files
    assert stored_files(alice) & bobs_files  # the run images both stored

    alice_client.post("/account/close/", {"password": PASSWORD})

    purge(days_ago=29)
    assert everything_of(alice) == alices_things  # kept for review, as the page said
    assert all(default_storage.exists(name) for name in alices_files)

    said = purge(days_ago=31)

    assert "alice" in said
    assert not any(everything_of(alice).values())
    assert not [name for name in alices_files if default_storage.exists(name)]
    assert everything_of(bob) == bobs_things
    assert all(default_storage.exists(name) for name in bobs_files)  # the shared ones too
    alice.refresh_from_db()
    assert not alice.is_active  # the user row stays, closed: no one signs up as alice
    assert ClosedAccount.objects.get(user=alice).purged is not None


def test_it_purges_an_account_once(alice_client, alice, bob):
    alice_client.post("/account/close/", {"password": PASSWORD})
    purge(days_ago=31)
    assert "alice" not in purge(days_ago=31)


def test_it_leaves_an_account_an_admin_deactivated_alone(alice_client, alice, bob):
    alice_with_one_of_everything(alice, alice_client, bob)
    held, files = everything_of(alice), stored_files(alice)
    alice.is_active = False
    alice.save()

    purge(days_ago=31)

    assert everything_of(alice) == held
    assert all(default_storage.exists(name) for name in files)
    assert not ClosedAccount.objects.exists()  # and it does not look closed


def test_an_admin_re_activating_a_closed_account_cancels_its_purge(alice_client, alice, bob):
    alice_with_one_of_everything(alice, alice_client, bob)
    files = stored_files(alice)
    alice_client.post("/account/close/", {"password": PASSWORD})
    held = everything_of(alice)
    ClosedAccount.objects.update(closed=now() - timedelta(days=31))

    alice.refresh_from_db()
    alice.is_active = True  # the admin's "Active" box
    alice.save()
    call_command("purge_closed_accounts", stdout=io.StringIO())

    assert everything_of(alice) == held
    assert all(default_storage.exists(name) for name in files)
    assert not ClosedAccount.objects.exists()


def test_a_re_activated_account_an_admin_deactivates_later_is_not_purged(alice_client, alice, bob):
    """Its closing was cancelled: it is now an account an admin deactivated."""
    alice_with_one_of_everything(alice, alice_client, bob)
    alice_client.post("/account/close/", {"password": PASSWORD})
    held = everything_of(alice)
    ClosedAccount.objects.update(closed=now() - timedelta(days=31))
    alice.refresh_from_db()
    alice.is_active = True
    alice.save()
    alice.is_active = False
    alice.save()

    call_command("purge_closed_accounts", stdout=io.StringIO())

    assert everything_of(alice) == held


def test_a_closed_account_re_activated_in_bulk_is_not_purged_either(alice_client, alice, bob):
    """An update() sends no signal, so the purge itself checks."""
    alice_with_one_of_everything(alice, alice_client, bob)
    alice_client.post("/account/close/", {"password": PASSWORD})
    held = everything_of(alice)
    get_user_model().objects.filter(pk=alice.pk).update(is_active=True)

    purge(days_ago=31)

    assert everything_of(alice) == held
    assert not ClosedAccount.objects.exists()


def test_a_dry_run_names_the_accounts_and_deletes_nothing(alice_client, alice, bob):
    alice_with_one_of_everything(alice, alice_client, bob)
    alice_client.post("/account/close/", {"password": PASSWORD})
    held = everything_of(alice)
    ClosedAccount.objects.update(closed=now() - timedelta(days=31))
    out = io.StringIO()

    call_command("purge_closed_accounts", "--dry-run", stdout=out)

    assert "alice" in out.getvalue()
    assert everything_of(alice) == held


def test_closing_with_no_retention_deletes_the_archives_too_and_says_when(
    alice_client, alice, bob, settings
):
    settings.CLOSED_ACCOUNT_RETENTION_DAYS = 0
    alice_with_one_of_everything(alice, alice_client, bob)
    archive = Export.objects.get(user=alice).file.name

    alice_client.post("/account/close/", {"password": PASSWORD})

    assert not any(everything_of(alice).values())
    assert not default_storage.exists(archive)
    assert ClosedAccount.objects.get(user=alice).purged is not None


def test_staff_see_which_accounts_were_closed_and_when_they_go(
    alice_client, alice, bob, admin_client
):
    alice_client.post("/account/close/", {"password": PASSWORD})
    ClosedAccount.objects.update(closed=datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    bob.is_active = False  # deactivated by an admin: not closed
    bob.save()

    page = admin_client.get("/admin/accounts/closedaccount/").content.decode()

    assert ">alice<" in page and ">bob<" not in page
    assert "Dec. 2, 2026" in page  # closed 2 November, kept 30 days
    in_chinese = admin_client.get("/admin/accounts/closedaccount/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "计划删除时间" in in_chinese.content.decode()


def test_a_chinese_operator_reads_the_purge_in_chinese(client, alice, bob, monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    for person in (alice, bob):
        client.force_login(person)
        client.post("/account/close/", {"password": PASSWORD})

    said = purge(days_ago=31)

    assert said == (
        "已清除 2 个注销时间超过 CLOSED_ACCOUNT_RETENTION_DAYS（30 天）的账号：alice、bob。\n"
    )
    assert purge(days_ago=31).startswith("没有")  # none left to purge
