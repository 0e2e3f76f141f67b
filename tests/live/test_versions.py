"""Versions and branches over the websocket: regenerate, edit, retry, switch,
checked by the exact request bodies the fake gateway received."""

import pytest
from asgiref.sync import sync_to_async

from chat.live.request_body import SYSTEM_PROMPT
from chat.models import Conversation, ImageAttachment, Message
from chat.testing.upstream import Reply
from tests.support.images import image_bytes
from tests.support.uploads import upload
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)

STREAM = {"stream": True, "stream_options": {"include_usage": True}}


def user(text):
    return {"role": "user", "content": [{"type": "text", "text": text}]}


def assistant(text):
    return {"role": "assistant", "content": text}


def body(model, *messages):
    return {
        "model": model,
        **STREAM,
        "messages": [{"role": "system", "content": SYSTEM_PROMPT}, *messages],
    }


async def act(communicator, action, **payload):
    await communicator.send_json_to({"action": action, **payload})
    return await receive_until(communicator, "done", "error", "path")


def answer_of(events):
    return next(e for e in events if e["type"] == "answer")["message"]


def user_message_of(events):
    return next(e for e in events if e["type"] == "message")["message"]


@pytest.fixture
async def conversation(alice):
    return await Conversation.objects.acreate(owner=alice, model="gpt-4o")


async def test_it_regenerates_twice_and_builds_on_the_version_switched_to(
    conversation, alice_client, upstream
):
    upstream.queue(
        Reply(tokens=["Two ", "cats."]),
        Reply(tokens=["Three ", "cats."]),
        Reply(tokens=["Maybe ", "four."]),
        Reply(tokens=["Black ", "and white."]),
    )
    communicator, _, _ = await open_socket(conversation, alice_client)
    first = await act(communicator, "send", text="How many cats?", model="gpt-4o")
    first_answer = answer_of(first)
    second = await act(communicator, "regenerate", message=first_answer["id"], model="gpt-4o")
    third = await act(
        communicator, "regenerate", message=answer_of(second)["id"], model="gemini-2.5-pro"
    )
    switched = await act(communicator, "switch", message=first_answer["id"])
    follow_up = await act(
        communicator,
        "send",
        text="What colour?",
        model="gpt-4o",
        parent=switched[-1]["messages"][-1]["id"],
    )
    await communicator.disconnect()

    asked = body("gpt-4o", user("How many cats?"))
    assert [r.body for r in upstream.requests[:3]] == [
        asked,
        asked,
        {**asked, "model": "gemini-2.5-pro"},  # the same request, another model
    ]
    # The follow-up builds on the first version, the one on screen, and on nothing else.
    assert upstream.requests[3].body == body(
        "gpt-4o", user("How many cats?"), assistant("Two cats."), user("What colour?")
    )
    # Every version is kept and offered with its model.
    final = third[-1]["message"]
    assert final["versions"] == [
        {"id": first_answer["id"], "model": "gpt-4o"},
        {"id": answer_of(second)["id"], "model": "gpt-4o"},
        {"id": final["id"], "model": "gemini-2.5-pro"},
    ]
    assert [m["text"] for m in switched[-1]["messages"]] == ["How many cats?", "Two cats."]
    assert follow_up[-1]["message"]["text"] == "Black and white."
    texts = [m.text async for m in Message.objects.filter(conversation=conversation)]
    assert texts == [
        "How many cats?", "Two cats.", "Three cats.", "Maybe four.", "What colour?",
        "Black and white.",
    ]  # fmt: skip


async def test_it_edits_an_earlier_message_into_a_new_branch(conversation, alice_client, upstream):
    upstream.queue(
        Reply(tokens=["A ", "dog."]),
        Reply(tokens=["Brown."]),
        Reply(tokens=["A ", "horse."]),
        Reply(tokens=["White."]),
    )
    communicator, _, _ = await open_socket(conversation, alice_client)
    first = await act(communicator, "send", text="What animal?", model="gpt-4o")
    await act(communicator, "send", text="What colour?", model="gpt-4o")
    edited = await act(
        communicator,
        "edit",
        message=user_message_of(first)["id"],
        text="What animal is tallest?",
        model="gpt-4o",
    )
    await act(communicator, "send", text="And its colour?", model="gpt-4o")
    old_branch = await act(communicator, "switch", message=user_message_of(first)["id"])
    await communicator.disconnect()

    # The new branch starts where the edited message was: nothing from the old one.
    assert upstream.requests[2].body == body("gpt-4o", user("What animal is tallest?"))
    assert upstream.requests[3].body == body(
        "gpt-4o",
        user("What animal is tallest?"),
        assistant("A horse."),
        user("And its colour?"),
    )
    edit = user_message_of(edited)
    assert edit["parent"] is None
    assert [v["id"] for v in edit["versions"]] == [user_message_of(first)["id"], edit["id"]]
    # The old branch is kept whole and reachable.
    assert [m["text"] for m in old_branch[-1]["messages"]] == [
        "What animal?", "A dog.", "What colour?", "Brown.",
    ]  # fmt: skip
    await conversation.arefresh_from_db()
    assert conversation.current_id == old_branch[-1]["messages"][-1]["id"]


async def test_it_edits_the_images_keeping_removing_and_adding(
    conversation, alice, alice_client, upstream, png, jpeg
):
    red = (await sync_to_async(upload)(alice_client, png, "red.png")).json()["id"]
    blue = (await sync_to_async(upload)(alice_client, jpeg, "blue.jpg")).json()["id"]
    communicator, _, _ = await open_socket(conversation, alice_client)
    first = await act(
        communicator, "send", text="Compare", model="gpt-4o",
        images=[{"id": red, "detail": "low"}, {"id": blue, "detail": "low"}],
    )  # fmt: skip
    green = image_bytes("PNG", size=(40, 40), color=(20, 200, 20))
    green_png = (await sync_to_async(upload)(alice_client, green, "green.png")).json()["id"]
    edited = await act(
        communicator, "edit", message=user_message_of(first)["id"], text="Compare these",
        model="gpt-4o", images=[{"id": blue, "detail": "low"}, {"id": green_png, "detail": "low"}],
    )  # fmt: skip
    await communicator.disconnect()

    sent = upstream.requests[1].body["messages"][1]["content"]
    first_sent = upstream.requests[0].body["messages"][1]["content"]
    # Blue kept (the same bytes as before), red removed, the new upload added.
    assert sent[0] == first_sent[1]
    assert sent[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert sent[1] not in first_sent
    assert sent[2:] == [{"type": "text", "text": "Compare these"}]
    names = [i["name"] for i in user_message_of(edited)["images"]]
    assert names == ["blue.jpg", "green.png"]
    # The first version keeps its own images.
    original = await Message.objects.aget(pk=user_message_of(first)["id"])
    assert [a.name async for a in original.images.all()] == ["red.png", "blue.jpg"]


async def test_it_retries_a_failed_answer_with_the_same_images(
    conversation, alice_client, upstream, png
):
    image = (await sync_to_async(upload)(alice_client, png, "receipt.png")).json()["id"]
    upstream.queue(
        Reply(status=400, body='{"error": {"message": "bad luck"}}'),
        Reply(tokens=["Total: ", "12 €."]),
    )
    communicator, _, _ = await open_socket(conversation, alice_client)
    failed = await act(
        communicator, "send", text="The total?", model="gpt-4o",
        images=[{"id": image, "detail": "high"}],
    )  # fmt: skip
    retried = await act(communicator, "regenerate", message=answer_of(failed)["id"], model="gpt-4o")
    await communicator.disconnect()

    assert failed[-1]["type"] == "error"
    assert retried[-1]["type"] == "done" and retried[-1]["message"]["text"] == "Total: 12 €."
    first, second = upstream.requests
    assert second.body == first.body
    assert second.body["messages"][1]["content"][0]["image_url"]["detail"] == "high"
    assert await ImageAttachment.objects.acount() == 1  # nothing uploaded or copied again
    # The failed answer is kept as the first version.
    assert [v["id"] for v in retried[-1]["message"]["versions"]] == [
        answer_of(failed)["id"], answer_of(retried)["id"],
    ]  # fmt: skip


async def test_it_moves_every_socket_to_the_version_switched_to(
    conversation, alice_client, upstream
):
    upstream.queue(Reply(tokens=["One."]), Reply(tokens=["Two."]))
    communicator, _, _ = await open_socket(conversation, alice_client)
    other_tab, _, _ = await open_socket(conversation, alice_client)
    first = await act(communicator, "send", text="Count", model="gpt-4o")
    await act(communicator, "regenerate", message=answer_of(first)["id"], model="gpt-4o")
    await receive_until(other_tab, "done")
    await receive_until(other_tab, "done")
    await act(communicator, "switch", message=answer_of(first)["id"])
    seen = await receive_until(other_tab, "path")
    await communicator.disconnect()
    await other_tab.disconnect()

    assert [m["text"] for m in seen[-1]["messages"]] == ["Count", "One."]


async def test_it_refuses_versions_of_a_message_from_another_conversation(
    conversation, alice, bob, alice_client, upstream
):
    bobs = await Conversation.objects.acreate(owner=bob)
    message = await sync_to_async(bobs.append)(role="user", text="Bob's secret")
    communicator, _, _ = await open_socket(conversation, alice_client)

    events = [
        await act(communicator, action, message=message.pk, model="gpt-4o", text="Mine now")
        for action in ("regenerate", "edit", "switch")
    ]
    await communicator.disconnect()

    assert [e[-1]["code"] for e in events] == ["unknown_message"] * 3
    assert upstream.requests == []
    assert await Message.objects.filter(conversation=conversation).acount() == 0


async def test_it_refuses_a_switch_while_an_answer_streams(conversation, alice_client, upstream):
    upstream.queue(Reply(tokens=["slow "] * 100, seconds_between_tokens=0.02))
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Go", "model": "gpt-4o"})
    answer = (await receive_until(communicator, "answer"))[-1]["message"]

    refused = await act(communicator, "switch", message=answer["id"])
    await communicator.send_json_to({"action": "stop", "message": answer["id"]})
    await receive_until(communicator, "done")
    await communicator.disconnect()

    assert refused[-1] == {
        "type": "error",
        "code": "answer_in_progress",
        "error": "The previous answer is still streaming: wait for it or stop it first.",
    }
