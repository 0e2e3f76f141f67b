"""Preference pairs: chosen and rejected answers to one shared prompt, from a
correction, from thumbs on versions, from verdicts on versions."""

import pytest

from chat.models import Comparison, Pick
from chat.review import corrections
from chat.review.models import Verdict
from tests.support.datasets import last_report, lines, make_dataset, regenerate
from tests.support.review import answers, attach_image, make_conversation, thumb

pytestmark = pytest.mark.django_db


def pairs(client, conversations):
    return lines(make_dataset(client, conversations, kind="preferences"))


def test_a_correction_is_chosen_over_its_answer(rita_client, rita, ravi, alice):
    conversation = make_conversation(alice, turns=1)
    image = attach_image(conversation.messages.get(role="user"))
    corrections.approve(corrections.write(answers(conversation)[0], ravi, "Two cats."), rita)

    (pair,) = pairs(rita_client, [conversation])

    assert pair["source"] == "correction"
    assert pair["preferred_output"] == [{"role": "assistant", "content": "Two cats."}]
    assert pair["non_preferred_output"] == [
        {"role": "assistant", "content": "**Answer 1**: a cat."}
    ]
    prompt = pair["input"]["messages"]
    assert [m["role"] for m in prompt] == ["system", "user"]
    assert prompt[1]["content"][0]["image_url"]["url"].startswith("data:image/")
    assert image.width == 64  # the shared prompt carries its image


def test_a_thumbed_up_version_is_chosen_over_a_thumbed_down_sibling(rita_client, alice):
    conversation = make_conversation(alice, turns=1)
    first = answers(conversation)[0]
    second = regenerate(first, "Three cats.")
    thumb(first, "down")
    thumb(second, "up")

    (pair,) = pairs(rita_client, [conversation])

    assert pair["source"] == "thumbs"
    assert pair["preferred_output"][0]["content"] == "Three cats."
    assert pair["non_preferred_output"][0]["content"] == "**Answer 1**: a cat."
    assert pair["input"]["messages"][-1]["content"][-1]["text"] == "Question 1 about the cat"


def test_a_version_judged_good_is_chosen_over_a_sibling_judged_bad(rita_client, rita, alice):
    conversation = make_conversation(alice, turns=1)
    first = answers(conversation)[0]
    second = regenerate(first, "Three cats.")
    Verdict.objects.create(message=first, reviewer=rita, value="good")
    Verdict.objects.create(message=second, reviewer=rita, value="bad")

    (pair,) = pairs(rita_client, [conversation])

    assert pair["source"] == "verdicts"
    assert pair["preferred_output"][0]["content"] == "**Answer 1**: a cat."
    assert pair["id"] == f"{conversation.code}:{first.pk}-{second.pk}"


def test_a_picked_answer_is_chosen_over_each_other_column_of_its_comparison(rita_client, alice):
    conversation = make_conversation(alice, turns=1)
    first = answers(conversation)[0]
    question = first.parent
    comparison = Comparison.objects.create(conversation=conversation, message=question)
    columns = [regenerate(first, f"Answer of {m}", comparison=comparison) for m in "abc"]
    Pick.objects.create(
        comparison=comparison, user=alice, outcome="winner", winner=columns[1],
        compared_models="a,b,c", winner_model="b",
    )  # fmt: skip
    tie = Comparison.objects.create(conversation=conversation, message=question)
    tied = [regenerate(first, f"Tied {m}", comparison=tie) for m in "ab"]
    Pick.objects.create(comparison=tie, user=alice, outcome="tie", compared_models="a,b")

    found = pairs(rita_client, [conversation])

    assert [(p["preferred_output"][0]["content"], p["non_preferred_output"][0]["content"])
            for p in found if p["source"] == "comparison"] == [
        ("Answer of b", "Answer of a"), ("Answer of b", "Answer of c"),
    ]  # fmt: skip
    assert all(t.text not in str(found) for t in tied)


def test_the_report_names_conversations_without_a_pair(rita_client, alice):
    conversation = make_conversation(alice, turns=1)

    assert pairs(rita_client, [conversation]) == []

    report = last_report()
    assert report.report["rules"] == {"no pair in it": 1}
    assert report.report["examples"][0][0] == f"conversation {conversation.code}"
