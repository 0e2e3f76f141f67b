"""Boxes drawn in review, in the datasets: [x, y, width, height] in pixels of
the original with their label (the image folder also in the pixels of its
file); and the datasets follow review's blindness: a reviewer who has not
decided on a conversation makes no dataset from another reviewer's verdicts,
corrections, scores or boxes of it, nor a report that names them."""

import json

import pytest

from chat import images
from chat.review import boxes, corrections
from chat.review.models import Decision, Review, Score, ScoreDimension, Tag, Verdict
from tests.support.datasets import last_report, lines, make_dataset, zip_of
from tests.support.review import answers, attach_image, make_conversation

pytestmark = pytest.mark.django_db

BOX = {"bbox": [400, 300, 800, 600], "label": "misread-total", "verdict": "wrong",
       "note": "the total"}  # fmt: skip


@pytest.fixture
def boxed(alice, rita):
    """An approved conversation whose 1600×1200 photo rita boxed."""
    conversation = make_conversation(alice, turns=1)
    Review.objects.create(conversation=conversation, state="approved")
    image = attach_image(conversation.messages.get(role="user"), size=(1600, 1200))
    boxes.draw(
        image, rita, x=400, y=300, width=800, height=600,
        tag=Tag.objects.create(name="misread-total"), note="the total",
    )  # fmt: skip
    return conversation, image


def test_the_image_folder_carries_each_box_in_the_originals_and_the_files_pixels(
    rita_client, boxed
):
    conversation, image = boxed

    archive = zip_of(make_dataset(rita_client, [conversation], kind="imagefolder"))

    (row,) = [json.loads(line) for line in archive.read("metadata.jsonl").decode().splitlines()]
    assert row["boxes"] == [BOX] and (row["width"], row["height"]) == (1600, 1200)
    sent = images.derivative_for(image)
    scale = sent.width / 1600
    assert sent.width < 1600  # the file in the zip is the smaller copy the model was sent
    assert row["objects"] == {
        "bbox": [[400 * scale, 300 * scale, 800 * scale, 600 * scale]],
        "categories": ["misread-total"], "notes": ["the total"],
    }  # fmt: skip


def test_an_evaluation_line_names_the_image_each_box_is_on(rita_client, boxed):
    conversation, image = boxed

    (line,) = lines(make_dataset(rita_client, [conversation], kind="eval"))

    assert line["boxes"] == [
        {"image": 0, "image_id": str(image.code), "width": 1600, "height": 1200, **BOX}
    ]


def test_sft_lines_carry_the_boxes_only_when_asked(rita_client, boxed):
    conversation, image = boxed

    (plain,) = lines(make_dataset(rita_client, [conversation]))
    (with_boxes,) = lines(make_dataset(rita_client, [conversation], with_boxes="on"))

    assert set(plain) == {"messages"}
    assert with_boxes["boxes"] == [
        {"image": 0, "image_id": str(image.code), "width": 1600, "height": 1200, **BOX}
    ]
    assert with_boxes["messages"] == plain["messages"]


SECRET = "ravi's private reading"


@pytest.fixture
def judged_by_ravi(alice, ravi):
    """ravi judged the answer bad, corrected and approved it, scored it and
    boxed its photo; the conversation is approved."""
    conversation = make_conversation(alice, turns=1)
    Review.objects.create(conversation=conversation, state="approved")
    answer = answers(conversation)[0]
    image = attach_image(conversation.messages.get(role="user"), size=(400, 300))
    Verdict.objects.create(message=answer, reviewer=ravi, value="bad", reason=SECRET)
    corrections.approve(corrections.write(answer, ravi, SECRET), ravi)
    dimension = ScoreDimension.objects.create(name="Accuracy", kind="scale")
    Score.objects.create(message=answer, dimension=dimension, reviewer=ravi, value="1")
    boxes.draw(image, ravi, x=1, y=2, width=30, height=40, note=SECRET)
    Decision.objects.create(conversation=conversation, reviewer=ravi, value="flag")
    return conversation


def every_kind(client, conversation):
    """What each kind of dataset says, the reports included, as one text."""
    texts = []
    for kind in ("sft", "preferences", "eval"):
        response = make_dataset(client, [conversation], kind=kind, with_boxes="on")
        texts.append(json.dumps(lines(response)))
        texts.append(json.dumps(last_report().report))
    archive = zip_of(make_dataset(client, [conversation], kind="imagefolder"))
    texts += [archive.read("metadata.jsonl").decode(), archive.read("README.md").decode()]
    texts.append(json.dumps(last_report().report))
    return "\n".join(texts)


def test_an_undecided_reviewer_makes_datasets_without_another_reviewers_labels(
    rita_client, judged_by_ravi
):
    made = every_kind(rita_client, judged_by_ravi)

    assert "private reading" not in made
    assert "judged bad" not in made  # the report does not give the verdict away either
    (example,) = lines(make_dataset(rita_client, [judged_by_ravi]))
    assert example["messages"][-1]["content"] == "**Answer 1**: a cat."  # not ravi's text
    archive = zip_of(make_dataset(rita_client, [judged_by_ravi], kind="imagefolder"))
    (row,) = [json.loads(line) for line in archive.read("metadata.jsonl").decode().splitlines()]
    assert (row["verdicts"], row["scores"], row["boxes"], row["correction"]) == ([], [], [], None)


def test_once_the_reviewer_decided_the_datasets_use_everyones_labels(
    rita_client, rita, judged_by_ravi
):
    Decision.objects.create(conversation=judged_by_ravi, reviewer=rita, value="approve")

    (example,) = lines(make_dataset(rita_client, [judged_by_ravi], with_boxes="on"))

    assert example["messages"][-1]["content"] == SECRET  # ravi's approved correction
    assert example["boxes"][0]["note"] == SECRET
