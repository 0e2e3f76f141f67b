"""Supervised fine-tuning JSONL from the conversation list: OpenAI's chat
format, the copies the model was sent, corrections in place of answers, the
target's limits, and the report of what was left out."""

import base64

import pytest
from django.test import Client

from chat import images
from chat.review import corrections
from chat.review.models import AccessLog, Review, Verdict
from tests.support.datasets import body, last_report, lines, make_dataset
from tests.support.review import answers, attach_image, make_conversation

pytestmark = pytest.mark.django_db

ROLES = {"system", "user", "assistant"}


def assert_openai_chat(example):
    """The shape OpenAI's fine-tuning validator checks, for vision examples."""
    assert set(example) == {"messages"}
    for message in example["messages"]:
        assert message["role"] in ROLES
        if message["role"] == "user":
            for part in message["content"]:
                assert part["type"] in ("text", "image_url")
                if part["type"] == "text":
                    assert isinstance(part["text"], str) and part["text"]
                else:
                    assert set(part["image_url"]) == {"url", "detail"}
                    assert part["image_url"]["detail"] in ("low", "high", "auto")
        else:
            assert isinstance(message["content"], str)
    assert example["messages"][-1]["role"] == "assistant"


@pytest.fixture
def approved(alice):
    """An approved conversation: a photo, a question, an answer (corrected)."""
    conversation = make_conversation(alice, turns=1)
    Review.objects.create(conversation=conversation, state="approved")
    return conversation


def test_each_line_is_an_openai_chat_example_with_the_image_sent_and_the_correction(
    rita_client, rita, ravi, approved
):
    question = approved.messages.get(role="user")
    image = attach_image(question)
    corrections.approve(corrections.write(answers(approved)[0], ravi, "Two cats."), rita)

    (example,) = lines(make_dataset(rita_client, [approved]))

    assert_openai_chat(example)
    system, user, answer = example["messages"]
    assert system["role"] == "system" and "careful assistant" in system["content"]
    assert answer == {"role": "assistant", "content": "Two cats."}
    picture, text = user["content"]
    assert text == {"type": "text", "text": "Question 1 about the cat"}
    header, data = picture["image_url"]["url"].split(",", 1)
    derivative = images.derivative_for(image)
    assert header == f"data:{derivative.mime};base64"
    with derivative.file.open("rb") as f:
        assert base64.b64decode(data) == f.read()


def test_the_persons_instructions_follow_the_system_prompt(rita_client, approved):
    approved.instructions = "Answer in French."
    approved.save(update_fields=["instructions"])

    (example,) = lines(make_dataset(rita_client, [approved]))

    assert example["messages"][1] == {"role": "system", "content": "Answer in French."}


def test_only_good_or_approved_answers_go_in_unless_chosen_otherwise(
    rita_client, rita, alice, approved
):
    judged_bad = make_conversation(alice, turns=1, title="Bad")
    Verdict.objects.create(message=answers(judged_bad)[0], reviewer=rita, value="bad")
    judged_good = make_conversation(alice, turns=1, title="Good")
    Verdict.objects.create(message=answers(judged_good)[0], reviewer=rita, value="good")
    unreviewed = make_conversation(alice, turns=1, title="Unreviewed")
    chosen = [approved, judged_bad, judged_good, unreviewed]

    default = lines(make_dataset(rita_client, chosen))
    report = last_report()
    everything = lines(make_dataset(rita_client, chosen, every_answer="on"))

    assert len(default) == 2 and len(everything) == 4
    assert report.kept == 2 and report.left_out_count == 2
    named = dict(report.report["examples"])
    bad = answers(judged_bad)[0].pk
    assert named[f"conversation {judged_bad.code}"] == (
        f"answer {bad} was judged bad and has no approved correction"
    )
    assert f"conversation {unreviewed.code}" in named


def test_a_corrected_bad_answer_goes_in_as_its_correction(rita_client, rita, ravi, alice):
    conversation = make_conversation(alice, turns=1)
    answer = answers(conversation)[0]
    Verdict.objects.create(message=answer, reviewer=rita, value="bad")
    corrections.approve(corrections.write(answer, ravi, "The right answer."), rita)

    (example,) = lines(make_dataset(rita_client, [conversation]))

    assert example["messages"][-1]["content"] == "The right answer."


def test_an_example_over_the_targets_image_limit_is_left_out_and_named(
    rita_client, approved, alice
):
    question = approved.messages.get(role="user")
    for n in range(11):
        attach_image(question, color=(n * 20, 10, 10), name=f"page-{n}.png")
    small = make_conversation(alice, turns=1, title="Small")
    Review.objects.create(conversation=small, state="approved")

    for_together = lines(make_dataset(rita_client, [approved, small], target="together"))
    report = last_report()
    for_openai = lines(make_dataset(rita_client, [approved, small], target="openai"))

    assert len(for_together) == 1 and len(for_openai) == 2
    assert report.report["examples"] == [
        [f"conversation {approved.code}", "11 images, more than the 10 Together AI takes "
         "(Together AI)"],
    ]  # fmt: skip
    assert report.report["rules"] == {"too many images": 1}


def test_one_example_per_answer_when_chosen(rita_client, alice):
    conversation = make_conversation(alice, turns=2)
    Review.objects.create(conversation=conversation, state="approved")

    first, second = lines(make_dataset(rita_client, [conversation], unit="turn"))

    assert [m["role"] for m in first["messages"]] == ["system", "user", "assistant"]
    assert len(second["messages"]) == 5
    assert second["messages"][-1]["content"] == "**Answer 2**: a cat."


def test_signed_links_serve_the_sent_copy_until_they_expire(rita_client, approved, monkeypatch):
    image = attach_image(approved.messages.get(role="user"))

    (example,) = lines(make_dataset(rita_client, [approved], images="links", link_hours=1))

    url = example["messages"][1]["content"][0]["image_url"]["url"]
    assert url.startswith("http://testserver/admin/chat/conversation/datasets/image/")
    anonymous = Client()
    fetched = anonymous.get(url)
    with images.derivative_for(image).file.open("rb") as f:
        assert b"".join(fetched.streaming_content) == f.read()
    assert anonymous.get(url[:-3] + "xyz/").status_code == 404
    import time

    later = time.time() + 3601
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert anonymous.get(url).status_code == 404


def test_links_are_refused_for_a_target_that_takes_base64_only(rita_client, approved):
    response = make_dataset(rita_client, [approved], images="links", target="fireworks")

    assert response.status_code == 200 and not response.streaming
    assert "Fireworks AI takes images inline only (base64)" in response.content.decode()


def test_the_action_asks_for_the_options_first(rita_client, approved):
    response = rita_client.post(
        "/admin/chat/conversation/",
        {"action": "make_dataset", "_selected_action": [approved.pk]},
    )

    page = response.content.decode()
    assert "Make a dataset" in page and "1 selected conversation" in page
    assert f'name="_selected_action" value="{approved.pk}"' in page


def test_the_options_page_is_in_chinese_for_a_chinese_reviewer(rita_client, approved):
    response = rita_client.post(
        "/admin/chat/conversation/",
        {"action": "make_dataset", "_selected_action": [approved.pk]},
        headers={"Accept-Language": "zh-CN"},
    )

    page = response.content.decode()
    assert "制作数据集" in page and "选中的 1 个对话" in page
    assert "按以下服务的限制检查" in page and "带签名、会过期的链接" in page
    assert "监督微调 JSONL" in page  # the kinds' labels


def test_all_matching_the_filter_exports_the_filtered_list(rita_client, alice, approved):
    flagged = make_conversation(alice, turns=1, title="Flagged")
    Review.objects.create(conversation=flagged, state="flagged")

    response = make_dataset(
        rita_client, [approved], select_all=True, query="state=approved", every_answer="on"
    )

    assert len(lines(response)) == 1
    assert "the 1 conversation matching the list's filter" in last_report().filters


def test_each_exported_conversation_is_in_the_access_log(rita_client, rita, alice, approved):
    other = make_conversation(alice, turns=1)

    body(make_dataset(rita_client, [approved, other]))

    logged = AccessLog.objects.filter(kind="export", staff=rita)
    assert sorted(e.conversation_id for e in logged) == sorted([approved.pk, other.pk])
    assert all(e.owner == alice and e.what.startswith("dataset (") for e in logged)


def test_people_who_are_not_reviewers_cannot_make_one(alice_client, approved):
    response = make_dataset(alice_client, [approved])

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_report_page_names_what_was_left_out(rita_client, rita, alice, approved):
    judged_bad = make_conversation(alice, turns=1, title="Bad")
    Verdict.objects.create(message=answers(judged_bad)[0], reviewer=rita, value="bad")
    response = make_dataset(rita_client, [approved, judged_bad])
    body(response)

    page = rita_client.get(response["X-Dataset-Report"]).content.decode()

    assert "1 × judged bad, no correction" in page
    assert f"conversation {judged_bad.code}: answer " in page
