"""Every read by staff is on the record: who, what, when, from where; the log
itself cannot be changed, even by a superuser."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from chat.review.models import AccessLog
from tests.support.review import attach_image, make_conversation, review_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(alice):
    return make_conversation(alice)


def only_entry():
    (entry,) = AccessLog.objects.all()
    return entry


def test_it_logs_opening_a_review_page(rita_client, conversation, alice):
    rita_client.get(review_url(conversation), REMOTE_ADDR="203.0.113.7")

    entry = only_entry()
    assert (entry.staff_name, entry.kind) == ("rita", "review_page")
    assert entry.conversation == conversation and entry.owner == alice
    assert entry.address == "203.0.113.7"


def test_it_logs_an_export(rita_client, conversation):
    rita_client.get(f"/admin/chat/conversation/{conversation.pk}/export/html/")

    entry = only_entry()
    assert entry.kind == "export" and entry.what.startswith("HTML")


def test_it_logs_a_bulk_export_once_per_conversation(rita_client, conversation, alice):
    other = make_conversation(alice, title="another")

    response = rita_client.post(
        "/admin/chat/conversation/",
        {"action": "export_jsonl", "_selected_action": [conversation.pk, other.pk]},
    )
    b"".join(response.streaming_content)

    assert sorted(e.conversation_id for e in AccessLog.objects.filter(kind="export")) == sorted(
        [conversation.pk, other.pk]
    )


def test_it_logs_opening_an_original_image(rita_client, conversation, alice):
    image = attach_image(conversation.messages.first())

    rita_client.get(f"/images/{image.code}/original/")

    entry = only_entry()
    assert entry.kind == "original_image" and entry.owner == alice
    assert entry.conversation == conversation and image.sha256[:12] in entry.what


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="x" * 12))
    return client


def test_it_keeps_the_log_read_only_for_superusers(admin_client, conversation):
    admin_client.get(review_url(conversation))
    entry = AccessLog.objects.get()

    assert admin_client.get("/admin/review/accesslog/add/").status_code == 403
    admin_client.post(f"/admin/review/accesslog/{entry.pk}/change/", {"what": "nothing"})
    admin_client.post(f"/admin/review/accesslog/{entry.pk}/delete/", {"post": "yes"})
    admin_client.post(
        "/admin/review/accesslog/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    entry.refresh_from_db()
    assert entry.what.startswith("review page")


def test_it_filters_the_log_by_staff_and_by_owner(admin_client, conversation, bob):
    admin_client.get(review_url(conversation))
    admin_client.get(review_url(make_conversation(bob, title="bob's")))
    alice_id = conversation.owner_id

    page = admin_client.get(f"/admin/review/accesslog/?owner__id__exact={alice_id}")

    assert list(page.context["cl"].result_list) == list(AccessLog.objects.filter(owner=alice_id))
    assert page.context["cl"].result_count == 1


def test_it_exports_the_log_as_csv(admin_client, conversation):
    admin_client.get(review_url(conversation), REMOTE_ADDR="198.51.100.4")

    response = admin_client.post(
        "/admin/review/accesslog/",
        {"action": "export_access_csv", "select_across": "1", "index": "0",
         "_selected_action": [AccessLog.objects.get().pk]},
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert rows[0] == ["when", "staff", "kind", "what", "owner", "conversation", "address"]
    assert rows[1][1:3] == ["root", "review_page"] and rows[1][4] == "alice"
    assert rows[1][6] == "198.51.100.4"


def test_a_chinese_reader_reads_what_each_entry_was_in_chinese(admin_client, conversation):
    admin_client.get(review_url(conversation))

    page = admin_client.get("/admin/review/accesslog/", headers={"Accept-Language": "zh-CN"})

    html = page.content.decode()
    assert '<td class="field-kind">打开了审阅页面</td>' in html
    assert "搜索了" in html  # the filter lists every kind
