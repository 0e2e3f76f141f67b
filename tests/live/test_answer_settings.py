"""Per-conversation settings (instructions, temperature, longest answer), the
model saved when picked, and a person's defaults for new conversations."""

import pytest
from django.contrib.auth import get_user_model

from chat.live.request_body import SYSTEM_PROMPT
from chat.models import Conversation, Message, Preferences
from chat.testing.upstream import Reply
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def conversation(alice):
    return Conversation.objects.create(owner=alice, model="gpt-4o")


def post_settings(client, conversation, **values):
    return client.post(f"/c/{conversation.code}/settings/", values)


async def ask(conversation, client, text, model="gpt-4o"):
    communicator, _, _ = await open_socket(conversation, client)
    await communicator.send_json_to({"action": "send", "text": text, "model": model})
    events = await receive_until(communicator, "done", "error")
    await communicator.disconnect()
    return events


async def test_it_sends_the_settings_as_standard_fields_after_the_apps_prompt(
    conversation, alice_client, upstream
):
    response = await sync(post_settings)(
        alice_client, conversation,
        instructions="  Answer in French.  ", temperature="0.3", max_tokens="500",
    )  # fmt: skip
    upstream.queue(Reply(tokens=["Un ", "chat."]))

    await ask(conversation, alice_client, "What is it?")

    assert response.json() == {
        "instructions": "Answer in French.", "temperature": 0.3, "max_tokens": 500,
    }  # fmt: skip
    assert upstream.requests[0].body == {
        "model": "gpt-4o",
        "stream": True,
        "stream_options": {"include_usage": True},
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},  # the app's own stays first
            {"role": "system", "content": "Answer in French."},
            {"role": "user", "content": [{"type": "text", "text": "What is it?"}]},
        ],
        "temperature": 0.3,
        "max_tokens": 500,
    }
    # Stored with the answer, for review to see what produced it.
    answer = await Message.objects.aget(conversation=conversation, role="assistant")
    assert (answer.instructions, answer.temperature, answer.max_tokens) == (
        "Answer in French.", 0.3, 500,
    )  # fmt: skip


async def test_it_sends_max_completion_tokens_to_models_that_want_it(
    conversation, alice_client, upstream, settings
):
    settings.TOKENGATE_MODELS = ["gpt-4o", "o4-mini"]
    await sync(post_settings)(alice_client, conversation, max_tokens="64")
    upstream.queue(Reply(tokens=["Fine."]))

    await ask(conversation, alice_client, "Think", model="o4-mini")

    body = upstream.requests[0].body
    assert body["max_completion_tokens"] == 64 and "max_tokens" not in body
    assert "temperature" not in body  # unset: the model's default


def test_it_refuses_settings_out_of_range_with_a_sentence(conversation, alice_client):
    response = post_settings(alice_client, conversation, temperature="3", max_tokens="0")

    assert response.status_code == 400
    error = response.json()["error"]
    assert "Temperature: Ensure this value is less than or equal to 2." in error
    assert "Longest answer: Ensure this value is greater than or equal to 1." in error
    conversation.refresh_from_db()
    assert conversation.temperature is None and conversation.max_tokens is None


def test_it_saves_the_model_when_picked(conversation, alice, alice_client):
    response = alice_client.post(f"/c/{conversation.code}/model/", {"model": "gemini-2.5-pro"})
    refused = alice_client.post(f"/c/{conversation.code}/model/", {"model": "gpt-99"})

    assert response.json() == {"model": "gemini-2.5-pro"}
    assert refused.status_code == 400 and "gpt-99" in refused.json()["error"]
    conversation.refresh_from_db()
    assert conversation.model == "gemini-2.5-pro"


def test_it_starts_a_new_conversation_with_what_the_person_used_last(
    conversation, alice, alice_client
):
    alice_client.post(f"/c/{conversation.code}/model/", {"model": "gemini-2.5-pro"})
    post_settings(alice_client, conversation, instructions="Only here.", temperature="1.2")
    conversation.messages.create(role="user", text="so the next one is new")

    response = alice_client.post("/c/new/")

    new = Conversation.objects.exclude(pk=conversation.pk).get()
    assert response.url == f"/c/{new.code}/"
    assert (new.model, new.temperature, new.max_tokens) == ("gemini-2.5-pro", 1.2, None)
    # Instructions belong to their conversation; new ones get the person's default.
    assert new.instructions == ""


def test_it_sets_a_persons_defaults_on_their_settings_page(alice, alice_client):
    page = alice_client.get("/settings/").content.decode()
    response = alice_client.post(
        "/settings/",
        {"model": "gemini-2.5-pro", "instructions": "Be brief.", "temperature": "",
         "max_tokens": "800"},
    )  # fmt: skip
    saved = alice_client.get(response.url).content.decode()
    alice_client.post("/c/new/")

    assert "Longest answer" in page and 'name="instructions"' in page
    assert "Saved. New conversations start with these settings." in saved
    new = Conversation.objects.get(owner=alice)
    assert (new.model, new.instructions, new.max_tokens) == ("gemini-2.5-pro", "Be brief.", 800)


def test_it_refuses_another_users_conversation_settings(conversation, bob):
    from django.test import Client

    client = Client()
    client.force_login(bob)

    assert post_settings(client, conversation, temperature="1").status_code == 404
    assert client.post(f"/c/{conversation.code}/model/", {"model": "gpt-4o"}).status_code == 404


def test_it_keeps_defaults_per_person(alice, bob):
    Preferences.objects.create(user=alice, model="gemini-2.5-pro")

    assert Preferences.of(bob).model == ""
    assert get_user_model().objects.get(pk=alice.pk).preferences.model == "gemini-2.5-pro"


def sync(function):
    from asgiref.sync import sync_to_async

    return sync_to_async(function)
