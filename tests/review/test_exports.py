"""Exports: JSON Lines that round-trip the transcript, self-contained HTML,
labels as CSV with formulas neutralised."""

import csv
import io
import json
import re
import zipfile

import pytest

from chat.models import Conversation, Message
from chat.review.models import ConversationTag, Tag, Verdict
from tests.support.review import (
    answers,
    attach_image,
    make_branching_conversation,
    make_conversation,
    thumb,
)

pytestmark = pytest.mark.django_db
LIST = "/admin/chat/conversation/"


def export(client, action, conversations):
    response = client.post(
        LIST, {"action": action, "index": "0", "_selected_action": [c.pk for c in conversations]}
    )
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_it_exports_json_lines_that_round_trip_the_transcript(rita_client, rita, alice, bob):
    first = make_conversation(alice, title="first", turns=2)
    second = make_conversation(bob, title="second", turns=1)
    image = attach_image(first.messages.first())
    thumb(answers(first)[0], "down", "wrong count")
    Verdict.objects.create(message=answers(first)[1], reviewer=rita, value="good", reason="ok")
    ConversationTag.objects.create(conversation=second, tag=Tag.objects.get(name="unsafe"))

    body = export(rita_client, "export_jsonl", [first, second]).decode()

    lines = [json.loads(line) for line in body.splitlines()]
    assert [line["title"] for line in lines] == ["first", "second"]
    for line in lines:
        stored = Conversation.objects.get(code=line["id"])
        assert [(m["role"], m["text"], m["status"]) for m in line["messages"]] == list(
            stored.messages.values_list("role", "text", "status")
        )
    messages = lines[0]["messages"]
    assert messages[0]["images"][0]["sha256"] == image.sha256
    assert messages[0]["images"][0]["links"]["original"].endswith(f"/images/{image.code}/original/")
    assert messages[1]["user_feedback"]["rating"] == "down"
    assert messages[3]["verdicts"] == [
        {
            "reviewer": "rita",
            "value": "good",
            "reason": "ok",
            "created": messages[3]["verdicts"][0]["created"],
        }
    ]
    assert lines[1]["review"]["tags"] == ["unsafe"] and lines[1]["owner"] == "bob"


def test_it_streams_the_json_lines(rita_client, alice):
    conversation = make_conversation(alice)

    response = rita_client.post(
        LIST, {"action": "export_jsonl", "index": "0", "_selected_action": [conversation.pk]}
    )

    assert response.streaming and response["Content-Type"] == "application/x-ndjson"


def test_it_exports_self_contained_html_with_the_images_inline(rita_client, alice):
    conversation = make_conversation(alice)
    attach_image(conversation.messages.first())
    answer = answers(conversation)[0]
    answer.text = "Here <script>alert(1)</script> is **bold**"
    answer.save()

    page = rita_client.get(f"{LIST}{conversation.pk}/export/html/").content.decode()

    assert "<script" not in page.replace("&lt;script&gt;", "")
    assert re.search(r'<img src="data:image/(png|jpeg);base64,[A-Za-z0-9+/=]+"', page)
    assert "<strong>bold</strong>" in page
    # Nothing is fetched from anywhere: no http(s) URL in any src or href.
    assert not re.search(r'(src|href)="https?:', page) and "/images/" not in page


def test_it_exports_every_version_with_the_users_path_and_the_tree(rita_client, alice):
    conversation, said = make_branching_conversation(alice)

    page = rita_client.get(f"{LIST}{conversation.pk}/export/html/").content.decode()
    line = json.loads(export(rita_client, "export_jsonl", [conversation]))

    shown = re.findall(r'<article class="(\w+)( off-path)?" id="message-(\d+)"', page)
    # The user's path first, each point's versions together, then the branch left behind.
    order = ["How many cats?", "How many dogs?", "Two cats.", "Three cats.", "What colour?",
             "Black.", "One dog."]  # fmt: skip
    assert [int(pk) for _, _, pk in shown] == [said[text].pk for text in order]
    assert [bool(off) for _, off, _ in shown] == [False, True, True, False, False, False, True]
    assert "version 2 of 2 · not on the user's path" in page
    assert line["current"] == said["Black."].pk
    parents = {m["text"]: m["parent"] for m in line["messages"]}
    assert parents["How many dogs?"] is None and parents["One dog."] == said["How many dogs?"].pk


def test_it_zips_one_html_file_per_conversation(rita_client, alice):
    conversations = [make_conversation(alice, title=f"c{n}") for n in range(2)]

    archive = zipfile.ZipFile(io.BytesIO(export(rita_client, "export_html", conversations)))

    assert sorted(archive.namelist()) == sorted(
        f"conversation-{c.code}.html" for c in conversations
    )


def test_it_exports_labels_as_csv_with_formulas_neutralised(rita_client, rita, alice):
    conversation = make_conversation(alice)
    Verdict.objects.create(
        message=answers(conversation)[0], reviewer=rita, value="bad", reason='=HYPERLINK("x")'
    )
    thumb(answers(conversation)[0], "down", "+1 wrong")

    rows = list(
        csv.reader(io.StringIO(export(rita_client, "export_labels", [conversation]).decode()))
    )

    assert rows[0] == ["conversation", "owner", "message", "kind", "value", "note", "by", "when"]
    verdict = next(r for r in rows if r[3] == "verdict")
    assert verdict[4:7] == ["bad", '\'=HYPERLINK("x")', "rita"]
    feedback = next(r for r in rows if r[3] == "user_feedback")
    assert feedback[4:6] == ["down", "'+1 wrong"]


def test_the_html_export_says_an_answers_notice_in_the_reviewers_language(rita_client, alice):
    conversation = make_conversation(alice)
    Message.objects.filter(pk=answers(conversation)[0].pk).update(finish_reason="content_filter")
    url = f"{LIST}{conversation.pk}/export/html/"

    english = rita_client.get(url).content.decode()
    chinese = rita_client.get(url, headers={"Accept-Language": "zh-CN"}).content.decode()

    assert "The gateway filtered the answer." in english
    assert "回答被网关过滤了。" in chinese
