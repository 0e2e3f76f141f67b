"""Exports carry comparisons as they were: the columns, the person's pick, and
the reviewers' blind judgements of the pair (each reviewer's own until they
judged it, as decisions are)."""

import csv
import io
import json

import pytest

from chat.models import Pick
from chat.review.models import PairItem, PairJudgment
from tests.review.test_exports import export
from tests.support.review import make_comparison

pytestmark = pytest.mark.django_db


def picked(alice, settings):
    settings.REVIEW_PAIR_SAMPLE_PERCENT = 100
    comparison, columns = make_comparison(alice)
    Pick.record(comparison, user=alice, outcome="winner", winner=columns[1], reason="small print")
    return comparison, columns, PairItem.objects.get()


def test_the_json_lines_carry_the_pick_and_the_judgements(rita_client, rita, alice, settings):
    comparison, columns, item = picked(alice, settings)
    PairJudgment.objects.create(item=item, reviewer=rita, value="second", reason="same")

    (line,) = export(rita_client, "export_jsonl", [comparison.conversation]).decode().splitlines()

    (found,) = json.loads(line)["comparisons"]
    assert found["blind"] is True and found["question"] == comparison.message_id
    assert found["columns"] == [{"answer": c.pk, "model": c.model} for c in columns]
    assert found["pick"] | {"created": None} == {
        "outcome": "winner", "winner": columns[1].pk, "winner_model": "gemini-2.5-pro",
        "blind": True, "reason": "small print", "created": None,
    }  # fmt: skip
    (judgment,) = found["review_pair"]["judgments"]
    assert judgment["reviewer"] == "rita" and judgment["tie"] is False
    assert judgment["preferred"] == item.second_id


def test_another_reviewers_judgement_stays_hidden_until_one_judges(
    rita_client, rita, ravi, alice, settings
):
    comparison, _, item = picked(alice, settings)
    PairJudgment.objects.create(item=item, reviewer=ravi, value="tie")

    before = json.loads(export(rita_client, "export_jsonl", [comparison.conversation]))
    PairJudgment.objects.create(item=item, reviewer=rita, value="first")
    after = json.loads(export(rita_client, "export_jsonl", [comparison.conversation]))

    assert before["comparisons"][0]["review_pair"]["judgments"] == []
    assert [j["reviewer"] for j in after["comparisons"][0]["review_pair"]["judgments"]] == [
        "ravi", "rita",
    ]  # fmt: skip


def test_the_labels_and_the_html_mark_the_pick(rita_client, rita, alice, settings):
    comparison, columns, item = picked(alice, settings)
    PairJudgment.objects.create(item=item, reviewer=rita, value="first")

    rows = list(csv.reader(io.StringIO(
        export(rita_client, "export_labels", [comparison.conversation]).decode()
    )))  # fmt: skip
    html = rita_client.get(
        f"/admin/chat/conversation/{comparison.conversation.pk}/export/html/"
    ).content.decode()

    kinds = {row[3]: row for row in rows[1:]}
    assert kinds["user_pick"][4:6] == ["gemini-2.5-pro", "small print"]
    assert kinds["pair_judgment"][4] == "gemini-2.5-pro"  # "first" is the person's winner
    assert html.count("compared blind: picked by its user") == 1
    article = html.split(f'id="message-{columns[1].pk}"')[1].split("</article>")[0]
    assert "compared blind: picked by its user" in article
