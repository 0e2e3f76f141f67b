"""Exports follow the review page's blindness (issue 17, finding 8): a reviewer
who has not decided on a conversation reads no other reviewer's decision,
verdict or correction in its JSON Lines or labels CSV, as on the page.

Failed before: both exports carried every reviewer's labels and notes to
anyone who could export.
"""

import json

import pytest

from chat.review.models import Correction, Decision, Verdict
from tests.review.test_exports import export
from tests.support.review import answers, make_conversation

pytestmark = pytest.mark.django_db

NOTE = "ravi's private reasoning"


@pytest.fixture
def judged_by_ravi(alice, ravi):
    conversation = make_conversation(alice, turns=1)
    answer = answers(conversation)[0]
    Decision.objects.create(conversation=conversation, reviewer=ravi, value="flag", note=NOTE)
    Verdict.objects.create(message=answer, reviewer=ravi, value="bad", reason=NOTE)
    Correction.objects.create(message=answer, author=ravi, text=NOTE)
    return conversation


def test_it_hides_others_labels_from_the_json_lines_of_an_undecided_reviewer(
    rita_client, judged_by_ravi
):
    line = json.loads(export(rita_client, "export_jsonl", [judged_by_ravi]))

    assert line["review"]["decisions"] == []
    assert all(m["verdicts"] == [] and m["corrections"] == [] for m in line["messages"])
    assert NOTE not in json.dumps(line)


def test_it_hides_others_labels_from_the_labels_csv_of_an_undecided_reviewer(
    rita_client, judged_by_ravi
):
    body = export(rita_client, "export_labels", [judged_by_ravi]).decode()

    assert NOTE not in body
    assert "ravi" not in body


def test_it_hides_them_from_the_single_conversation_export_too(rita_client, judged_by_ravi):
    response = rita_client.get(f"/admin/chat/conversation/{judged_by_ravi.pk}/export/jsonl/")

    assert NOTE not in b"".join(response.streaming_content).decode()


def test_it_shows_others_labels_once_the_reviewer_decided(rita_client, rita, judged_by_ravi):
    Decision.objects.create(conversation=judged_by_ravi, reviewer=rita, value="approve")

    line = json.loads(export(rita_client, "export_jsonl", [judged_by_ravi]))
    labels = export(rita_client, "export_labels", [judged_by_ravi]).decode()

    assert {d["reviewer"] for d in line["review"]["decisions"]} == {"ravi", "rita"}
    assert line["messages"][1]["verdicts"][0]["reason"] == NOTE
    assert labels.count(NOTE) == 3  # the decision's note, the verdict's reason, the correction


def test_it_shows_a_reviewer_their_own_labels_before_they_decide(rita_client, rita, alice):
    conversation = make_conversation(alice, turns=1)
    Verdict.objects.create(
        message=answers(conversation)[0], reviewer=rita, value="good", reason="mine"
    )

    line = json.loads(export(rita_client, "export_jsonl", [conversation]))

    assert line["messages"][1]["verdicts"][0]["reason"] == "mine"


def test_an_approved_correction_stays_hidden_from_an_undecided_reviewer_in_every_export(
    rita_client, rita, ravi, alice
):
    from chat.review import corrections

    conversation = make_conversation(alice, turns=1)
    corrections.approve(corrections.write(answers(conversation)[0], ravi, NOTE), ravi)
    html_url = f"/admin/chat/conversation/{conversation.pk}/export/html/"

    line = json.loads(export(rita_client, "export_jsonl", [conversation]))
    page = rita_client.get(html_url).content.decode()
    Decision.objects.create(conversation=conversation, reviewer=rita, value="approve")
    after = json.loads(export(rita_client, "export_jsonl", [conversation]))

    assert line["messages"][1]["correction"] is None
    assert "private reasoning" not in page
    assert after["messages"][1]["correction"] == NOTE
    assert "private reasoning" in rita_client.get(html_url).content.decode()
