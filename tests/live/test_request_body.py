"""The request body built from a stored conversation: the image-history policy,
the history budget, URL images."""

import pytest

from chat import images
from chat.live import request_body
from chat.models import Conversation, Message
from tests.support.images import image_bytes, noisy_png

pytestmark = pytest.mark.django_db


def add_turn(conversation, text, pictures=(), answer="Seen.", detail="auto"):
    message = conversation.append(role=Message.Role.USER, text=text)
    for name, data, *url in pictures:
        checked = images.check_image(data, name=name)
        attachment = images.store_image(
            owner=conversation.owner, checked=checked, name=name, detail=detail,
            source_url=url[0] if url else "",
        )  # fmt: skip
        attachment.message = message
        attachment.save(update_fields=["message"])
    if answer:
        conversation.append(role=Message.Role.ASSISTANT, text=answer)
    return message


def build(conversation, *, model):
    return request_body.build(
        conversation.path(), model=model, image_history_turns=conversation.image_history_turns
    )


def contents(body):
    return [m["content"] for m in body["messages"] if m["role"] == "user"]


def part_kinds(content):
    return [p["type"] for p in content]


@pytest.fixture
def conversation(alice):
    return Conversation.objects.create(owner=alice, model="gpt-4o")


def test_it_takes_the_image_history_default_from_settings(alice, settings):
    settings.IMAGE_HISTORY_TURNS = 2

    assert Conversation.objects.create(owner=alice).image_history_turns == 2


def test_it_resends_only_the_images_of_the_last_n_turns(conversation):
    conversation.image_history_turns = 2
    conversation.save()
    for turn in range(1, 4):
        add_turn(conversation, f"Turn {turn}", [(f"photo{turn}.png", image_bytes("PNG"))])

    body, left_out = build(conversation, model="gpt-4o")

    first, second, third = contents(body)
    assert first == [
        {"type": "text", "text": "[image 1 of turn 1: photo1.png, 64×48, not resent]"},
        {"type": "text", "text": "Turn 1"},
    ]
    assert part_kinds(second) == part_kinds(third) == ["image_url", "text"]
    assert (left_out.turns, left_out.images) == (0, 1)


def test_it_drops_the_oldest_turns_to_fit_the_budget(conversation, settings):
    settings.HISTORY_TOKEN_BUDGET = 1000
    for turn in range(1, 6):
        add_turn(conversation, f"Turn {turn} " + "words " * 200, [("a.png", image_bytes("PNG"))])

    body, left_out = build(conversation, model="gpt-4o")

    # Each turn costs about 300 text + 85 image tokens (a 64×48 image goes low).
    kept = [c[-1]["text"].split(" ", 2)[:2] for c in contents(body)]
    assert kept == [["Turn", "4"], ["Turn", "5"]]
    assert (left_out.turns, left_out.images) == (3, 3)
    assert body["messages"][0] == {"role": "system", "content": request_body.SYSTEM_PROMPT}


def test_it_keeps_the_latest_message_whole_even_over_budget(conversation, settings):
    settings.HISTORY_TOKEN_BUDGET = 10
    add_turn(conversation, "Old turn")
    question = "A long question. " * 100
    add_turn(conversation, question, answer=None)

    body, left_out = build(conversation, model="gpt-4o")

    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert contents(body)[0] == [{"type": "text", "text": question}]
    assert left_out.turns == 1


def test_it_counts_images_by_estimate_not_by_base64_length(conversation, settings):
    # Noise: a large PNG derivative, hundreds of kilobytes of base64, 85 tokens at low.
    settings.HISTORY_TOKEN_BUDGET = 300
    add_turn(conversation, "Old", [("noise.png", noisy_png((500, 500)))], detail="low")
    add_turn(conversation, "New", answer=None)

    body, left_out = build(conversation, model="gpt-4o")

    assert len(body["messages"][1]["content"][0]["image_url"]["url"]) > 100_000
    assert (left_out.turns, left_out.images) == (0, 0)


def test_it_sends_the_resolved_detail(conversation):
    add_turn(conversation, "Small", [("small.png", image_bytes("PNG"))], detail="auto")

    body, _ = build(conversation, model="gpt-4o")

    assert contents(body)[0][0]["image_url"]["detail"] == "low"


URL = "https://images.example.com/cat.png"


def test_it_passes_a_new_url_image_to_gpt4o_as_the_url(conversation):
    add_turn(conversation, "This?", [("cat.png", image_bytes("PNG"), URL)], answer=None)

    body, _ = build(conversation, model="gpt-4o")

    assert contents(body)[0][0]["image_url"]["url"] == URL


def test_it_sends_an_earlier_url_image_from_the_stored_copy(conversation):
    add_turn(conversation, "This?", [("cat.png", image_bytes("PNG"), URL)])
    add_turn(conversation, "And now?", answer=None)

    body, _ = build(conversation, model="gpt-4o")

    assert contents(body)[0][0]["image_url"]["url"].startswith("data:image/png;base64,")


@pytest.mark.parametrize("model, fetch_all", [("gemini-2.5-pro", False), ("gpt-4o", True)])
def test_it_sends_url_images_as_data_when_the_model_or_operator_wants(
    conversation, settings, model, fetch_all
):
    settings.IMAGE_URL_FETCH_ALL_MODELS = fetch_all
    add_turn(conversation, "This?", [("cat.png", image_bytes("PNG"), URL)], answer=None)

    body, _ = build(conversation, model=model)

    assert contents(body)[0][0]["image_url"]["url"].startswith("data:image/png;base64,")


def test_it_changes_the_image_history_policy(alice_client, conversation):
    url = f"/c/{conversation.code}/image-history/"

    assert alice_client.post(url, {"value": "3"}).status_code == 200
    conversation.refresh_from_db()
    assert conversation.image_history_turns == 3
    alice_client.post(url, {"value": "all"})
    conversation.refresh_from_db()
    assert conversation.image_history_turns is None
    for refused in ({"value": "0"}, {"value": "101"}, {"value": "3 turns"}, {}):
        response = alice_client.post(url, refused)
        assert response.status_code == 400
        assert response.json()["error"] == "Choose every turn or a number of turns."
    conversation.refresh_from_db()
    assert conversation.image_history_turns is None


def test_it_changes_the_policy_only_for_the_owner(client, bob, conversation):
    client.force_login(bob)

    response = client.post(f"/c/{conversation.code}/image-history/", {"value": "1"})

    assert response.status_code == 404
