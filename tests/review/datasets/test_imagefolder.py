"""The image folder dataset: a zip that Hugging Face `datasets` loads as an
"imagefolder", with a dataset card."""

import importlib.util
import json

import pytest

from chat import images
from chat.review import corrections
from chat.review.models import Review, Score, ScoreDimension
from tests.support.datasets import last_report, make_dataset, zip_of
from tests.support.review import answers, attach_image, make_conversation
from tests.support.services import require_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_photos(alice, rita, ravi):
    conversation = make_conversation(alice, turns=2)
    Review.objects.create(conversation=conversation, state="approved")
    first, second = conversation.messages.filter(role="user")
    one = attach_image(first, color=(10, 200, 10), name="one.png")
    two = attach_image(second, color=(10, 10, 200), name="two.png")
    corrections.approve(corrections.write(answers(conversation)[0], ravi, "Two cats."), rita)
    accuracy = ScoreDimension.objects.create(name="Accuracy", kind="scale")
    Score.objects.create(
        message=answers(conversation)[0], dimension=accuracy, reviewer=rita, value="4"
    )
    return conversation, one, two


def test_the_zip_holds_the_images_and_metadata_naming_them(rita_client, two_photos):
    conversation, one, two = two_photos

    archive = zip_of(make_dataset(rita_client, [conversation], kind="imagefolder"))

    names = set(archive.namelist())
    rows = [json.loads(line) for line in archive.read("metadata.jsonl").decode().splitlines()]
    assert len(rows) == 2 and all(row["file_name"] in names for row in rows)
    first = next(r for r in rows if r["file_name"].startswith(f"images/{one.code}"))
    assert first["scores"] == [{"dimension": "Accuracy", "value": "4", "reviewer": "rita"}]
    assert first["prompt"] == "Question 1 about the cat" and first["correction"] == "Two cats."
    assert first["answer"] == "**Answer 1**: a cat." and first["model"] == "gpt-4o"
    with images.derivative_for(one).file.open("rb") as f:
        assert archive.read(first["file_name"]) == f.read()


def test_the_card_names_the_selection_the_counts_and_leaves_the_licence(rita_client, two_photos):
    conversation, _, _ = two_photos

    archive = zip_of(make_dataset(rita_client, [conversation], kind="imagefolder"))

    card = archive.read("README.md").decode()
    assert card.startswith('---\nlicense: ""')
    assert "1 selected conversation" in card and "2 images from 1 conversation" in card
    assert last_report().kept == 2


def test_hugging_face_datasets_loads_it_as_an_imagefolder(rita_client, two_photos, tmp_path):
    require_service(
        importlib.util.find_spec("datasets"),
        "Hugging Face datasets is not installed (pip install -e '.[datasets]')",
    )
    from datasets import load_dataset

    conversation, _, _ = two_photos
    zip_of(make_dataset(rita_client, [conversation], kind="imagefolder")).extractall(tmp_path)

    loaded = load_dataset("imagefolder", data_dir=str(tmp_path), split="train")

    assert loaded.num_rows == 2
    assert sorted(loaded["prompt"]) == ["Question 1 about the cat", "Question 2 about the cat"]
    assert loaded[0]["image"].size == (64, 48)


def test_a_chinese_reviewer_gets_the_card_and_the_report_in_chinese(rita_client, alice, two_photos):
    conversation, _, _ = two_photos
    unreviewed = make_conversation(alice, title="not reviewed")
    attach_image(unreviewed.messages.get(role="user"), name="three.png")
    rita_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"

    response = make_dataset(rita_client, [conversation, unreviewed], kind="imagefolder")
    card = zip_of(response).read("README.md").decode()  # made as the zip streams

    assert "# 带图片的已审阅对话" in card and "选取范围：选中的 2 个对话" in card
    assert "来自 2 个对话的 2 张图片；舍去 1 条提问。" in card
    assert "- 1 × 回答不可用" in card
    answer = answers(unreviewed)[0].pk
    assert f"回答 {answer} 既没有被评为好，也不在已通过的对话中" in card
    report = last_report().report
    assert report["rules"] == {"回答不可用": 1}
