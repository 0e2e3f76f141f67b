"""Evaluation sets: each prompt with its images and a reference answer."""

import pytest

from chat.review import corrections
from chat.review.models import Review
from tests.support.datasets import lines, make_dataset
from tests.support.review import answers, attach_image, make_conversation

pytestmark = pytest.mark.django_db


def test_each_answer_becomes_a_prompt_with_its_reference(rita_client, rita, ravi, alice):
    conversation = make_conversation(alice, turns=2)
    Review.objects.create(conversation=conversation, state="approved")
    attach_image(conversation.messages.filter(role="user").first())
    first, second = answers(conversation)
    corrections.approve(corrections.write(first, ravi, "Two cats."), rita)

    one, two = lines(make_dataset(rita_client, [conversation], kind="eval"))

    assert one["reference"] == "Two cats." and one["reference_is_correction"] is True
    assert [m["role"] for m in one["messages"]] == ["system", "user"]
    assert one["messages"][1]["content"][0]["type"] == "image_url"
    assert two["reference"] == "**Answer 2**: a cat." and two["reference_is_correction"] is False
    # The earlier answer in the prompt is its correction too.
    assert two["messages"][2] == {"role": "assistant", "content": "Two cats."}
    assert two["id"] == f"{conversation.code}:{second.pk}" and two["model"] == "gpt-4o"
