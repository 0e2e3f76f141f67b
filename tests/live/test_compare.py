"""Comparing models over the websocket: one send with "models" stores one user
message and one answer per model, asked of the fake gateway over real HTTP at
once; stop one or all; the streaming limit; picks and the turn after them."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from chat.live.request_body import SYSTEM_PROMPT
from chat.models import Comparison, Conversation, Message, Pick, Preferences
from chat.testing.upstream import Reply
from tests.support.uploads import upload
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)

THREE = ["gpt-4o", "gemini-2.5-pro", "gemini-2.5-flash-image"]


def says(body):
    """Each model answers with its own name, so columns can be told apart."""
    return Reply(tokens=[body["model"], " says ", "hello."])


def held(body):
    return Reply(tokens=[body["model"], " thinks", " more"], hold_after=2)


@pytest.fixture
async def conversation(alice):
    return await Conversation.objects.acreate(owner=alice, model="gpt-4o")


async def receive_ends(communicator, count, timeout=10):
    """Events until `count` answers have ended ("done" or "error" with a message)."""
    events, ended = [], 0
    while ended < count:
        batch = await receive_until(communicator, "done", "error", timeout=timeout)
        events += batch
        ended += bool(batch[-1].get("message"))
        if not batch[-1].get("message"):
            return events
    return events


def finals(events):
    return {e["message"]["id"]: e["message"] for e in events if e["type"] in ("done", "error")}


def answers_of(events):
    return [e["message"] for e in events if e["type"] == "answer"]


async def compare(communicator, models=THREE, **extra):
    await communicator.send_json_to(
        {"action": "send", "text": "Which receipt total?", "models": models, **extra}
    )
    return await receive_ends(communicator, len(models))


async def test_three_models_make_three_requests_with_the_same_messages_and_images(
    conversation, alice_client, upstream, png
):
    upstream.reply_for = says
    image = (await sync_to_async(upload)(alice_client, png)).json()["id"]
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to(
        {"action": "send", "text": "Which receipt total?", "models": THREE,
         "images": [{"id": image, "detail": "low"}]}
    )  # fmt: skip
    events = await receive_ends(communicator, 3)
    await communicator.disconnect()

    bodies = sorted((r.body for r in upstream.requests), key=lambda b: THREE.index(b["model"]))
    assert [b["model"] for b in bodies] == THREE
    # The same conversation, image included, sent to each model.
    assert bodies[0]["messages"] == bodies[1]["messages"] == bodies[2]["messages"]
    assert bodies[0]["messages"][0] == {"role": "system", "content": SYSTEM_PROMPT}
    content = bodies[0]["messages"][1]["content"]
    assert content[0]["type"] == "image_url" and content[0]["image_url"]["detail"] == "low"
    assert content[1] == {"type": "text", "text": "Which receipt total?"}

    user_messages = [e["message"] for e in events if e["type"] == "message"]
    assert len(user_messages) == 1
    started = answers_of(events)
    assert [a["model"] for a in started] == THREE
    assert {a["parent"] for a in started} == {user_messages[0]["id"]}
    ended = finals(events)
    assert {ended[a["id"]]["text"] for a in started} == {f"{m} says hello." for m in THREE}
    # Siblings, as a regenerate makes: each lists the three as its versions.
    assert [v["model"] for v in ended[started[2]["id"]]["versions"]] == THREE
    columns = ended[started[0]["id"]]["comparison"]["columns"]
    assert [c["id"] for c in columns] == [a["id"] for a in started]
    assert [c["label"] for c in columns] == THREE
    assert await Message.objects.filter(role="user").acount() == 1
    assert len(user_messages[0]["images"]) == 1


async def test_the_answers_stream_at_the_same_time(conversation, alice_client, upstream):
    upstream.reply_for = held
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Hi", "models": THREE[:2]})
    seen = {}
    async with asyncio.timeout(10):
        while len(seen) < 2 or any(not text.endswith("thinks") for text in seen.values()):
            event = await communicator.receive_json_from()
            if event["type"] == "token":
                seen[event["message"]] = (
                    seen.get(event["message"], "")[: event["offset"]] + event["text"]
                )
    # Both answers are halfway, both held by the gateway: neither has finished.
    assert sorted(seen.values()) == ["gemini-2.5-pro thinks", "gpt-4o thinks"]
    upstream.release.set()
    events = await receive_ends(communicator, 2)
    await communicator.disconnect()
    assert {m["status"] for m in finals(events).values()} == {"complete"}


async def test_a_stop_naming_one_answer_stops_only_that_one(conversation, alice_client, upstream):
    upstream.reply_for = held
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Hi", "models": THREE[:2]})
    started = answers_of(await receive_until(communicator, "answer"))
    started += answers_of(await receive_until(communicator, "answer"))
    await communicator.send_json_to({"action": "stop", "message": started[1]["id"]})
    first_end = await receive_until(communicator, "done", "error")
    assert first_end[-1]["message"]["id"] == started[1]["id"]
    assert first_end[-1]["message"]["status"] == "stopped"
    upstream.release.set()
    rest = await receive_until(communicator, "done", "error")
    await communicator.disconnect()
    assert rest[-1]["message"]["id"] == started[0]["id"]
    assert rest[-1]["message"]["status"] == "complete"
    assert rest[-1]["message"]["text"] == "gpt-4o thinks more"


async def test_a_stop_naming_no_answer_stops_every_column(conversation, alice_client, upstream):
    upstream.reply_for = held
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Hi", "models": THREE})
    for _ in range(3):
        await receive_until(communicator, "answer")
    await communicator.send_json_to({"action": "stop"})
    events = await receive_ends(communicator, 3)
    await communicator.disconnect()
    assert [m["status"] for m in finals(events).values()] == ["stopped"] * 3
    assert await Message.objects.filter(status="streaming").acount() == 0


async def test_a_comparison_over_the_streaming_limit_is_refused_before_anything_is_stored(
    conversation, alice_client, upstream, settings
):
    settings.LIMIT_STREAMING_ANSWERS = 2
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Hi", "models": THREE})
    refused = await communicator.receive_json_from()
    await communicator.disconnect()
    assert refused["type"] == "error" and refused["code"] == "rate_limited"
    assert refused["error"].startswith("A comparison of 3 models streams 3 answers at once")
    assert "message" not in refused
    assert await Message.objects.acount() == 0
    assert await Comparison.objects.acount() == 0
    assert upstream.requests == []


@pytest.mark.parametrize(
    ("models", "sentence"),
    [
        (["gpt-4o"], "Compare 2 or 3 models at once."),
        (THREE + ["gemini-3-pro-image-preview"], "Compare 2 or 3 models at once."),
        (["gpt-4o", "gpt-4o"], "Pick different models to compare."),
        (["gpt-4o", "no-such-model"], "“no-such-model” is not an available model."),
    ],
)
async def test_a_comparison_of_bad_models_is_refused_with_a_sentence(
    conversation, alice_client, models, sentence
):
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Hi", "models": models})
    refused = await communicator.receive_json_from()
    await communicator.disconnect()
    assert (refused["type"], refused["error"]) == ("error", sentence)
    assert await Message.objects.acount() == 0


async def picked_then_followed(conversation, alice_client, upstream, pick):
    """Compare two models, pick with `pick(answers)`, then send a follow-up; return
    (the answers, the follow-up's request body, the path after the pick)."""
    upstream.reply_for = says
    communicator, _, _ = await open_socket(conversation, alice_client)
    events = await compare(communicator, THREE[:2])
    answers = answers_of(events)
    comparison = answers[0]["comparison"]["id"]
    path = None
    if pick:
        await communicator.send_json_to(
            {"action": "pick", "comparison": comparison, **pick(answers)}
        )
        path = (await receive_until(communicator, "path", "error"))[-1]
    await communicator.send_json_to(
        {"action": "send", "text": "And the date?", "model": "gpt-4o",
         "parent": (path["messages"][-1]["id"] if path else answers[0]["id"])}
    )  # fmt: skip
    await receive_until(communicator, "done", "error")
    await communicator.disconnect()
    return answers, upstream.requests[-1].body, path


async def test_the_turn_after_a_pick_carries_exactly_the_picked_answer(
    conversation, alice_client, upstream, alice
):
    answers, body, path = await picked_then_followed(
        conversation, alice_client, upstream,
        lambda answers: {"outcome": "winner", "message": answers[1]["id"], "reason": "exact"},
    )  # fmt: skip
    assert path["type"] == "path" and path["messages"][-1]["id"] == answers[1]["id"]
    assert path["messages"][-1]["comparison"]["pick"] == {
        "outcome": "winner", "winner": answers[1]["id"], "blind": False, "reason": "exact",
    }  # fmt: skip
    assert body["messages"][1:] == [
        {"role": "user", "content": [{"type": "text", "text": "Which receipt total?"}]},
        {"role": "assistant", "content": "gemini-2.5-pro says hello."},
        {"role": "user", "content": [{"type": "text", "text": "And the date?"}]},
    ]
    pick = await Pick.objects.select_related("comparison").aget()
    assert (pick.outcome, pick.winner_id, pick.winner_model) == (
        "winner",
        answers[1]["id"],
        "gemini-2.5-pro",
    )
    assert (pick.compared_models, pick.blind, pick.reason, pick.user_id) == (
        "gemini-2.5-pro,gpt-4o", False, "exact", alice.pk,
    )  # fmt: skip


async def test_the_turn_after_no_pick_carries_the_first_columns_answer(
    conversation, alice_client, upstream
):
    _, body, _ = await picked_then_followed(conversation, alice_client, upstream, None)
    assert body["messages"][2] == {"role": "assistant", "content": "gpt-4o says hello."}
    assert len(body["messages"]) == 4


async def test_a_tie_keeps_the_first_column_on_the_path(conversation, alice_client, upstream):
    _, body, path = await picked_then_followed(
        conversation, alice_client, upstream, lambda answers: {"outcome": "tie"}
    )
    assert path["messages"][-1]["comparison"]["pick"]["outcome"] == "tie"
    assert body["messages"][2] == {"role": "assistant", "content": "gpt-4o says hello."}


async def test_a_blind_comparison_hides_the_models_until_the_pick(
    conversation, alice_client, upstream, alice
):
    upstream.reply_for = says
    communicator, _, _ = await open_socket(conversation, alice_client)
    events = await compare(communicator, THREE[:2], blind=True)
    ended = list(finals(events).values())
    # Neither the label, nor the versions, nor a cost gives the model away.
    for message in ended:
        assert message["model"] in ("Model A", "Model B")
        assert {v["model"] for v in message["versions"]} == {"Model A", "Model B"}
        assert [c["label"] for c in message["comparison"]["columns"]] == ["Model A", "Model B"]
        assert "cost" not in message
    answer = ended[0]
    await communicator.send_json_to(
        {"action": "pick", "comparison": answer["comparison"]["id"], "outcome": "winner",
         "message": answer["id"]}
    )  # fmt: skip
    path = (await receive_until(communicator, "path"))[-1]
    await communicator.disconnect()
    shown = path["messages"][-1]
    assert sorted(c["label"] for c in shown["comparison"]["columns"]) == sorted(THREE[:2])
    assert shown["comparison"]["pick"]["blind"] is True
    assert (await Pick.objects.aget()).blind is True
    assert (await Preferences.objects.aget(user=alice)).compare_blind is True


async def test_a_changed_pick_takes_the_place_of_the_first_and_another_conversations_is_refused(
    conversation, alice_client, upstream, alice
):
    upstream.reply_for = says
    other = await Conversation.objects.acreate(owner=alice)
    communicator, _, _ = await open_socket(conversation, alice_client)
    answers = answers_of(await compare(communicator, THREE[:2], blind=True))
    pick = {"action": "pick", "comparison": answers[0]["comparison"]["id"], "outcome": "winner"}
    await communicator.send_json_to({**pick, "message": answers[0]["id"]})
    first = (await receive_until(communicator, "path"))[-1]
    await communicator.send_json_to({**pick, "message": answers[1]["id"], "reason": "B is right"})
    changed = (await receive_until(communicator, "path"))[-1]
    elsewhere, _, _ = await open_socket(other, alice_client)
    await elsewhere.send_json_to({**pick, "message": answers[1]["id"]})
    stranger = await receive_until(elsewhere, "error")
    await communicator.disconnect()
    await elsewhere.disconnect()
    assert first["messages"][-1]["id"] == answers[0]["id"]
    # The path now carries the new pick; it was made with the names shown.
    shown = changed["messages"][-1]
    assert shown["id"] == answers[1]["id"]
    assert shown["comparison"]["pick"] == {
        "outcome": "winner", "winner": answers[1]["id"], "blind": False, "reason": "B is right",
    }  # fmt: skip
    assert stranger[-1]["error"] == "That comparison is not in this conversation."
    assert await Pick.objects.acount() == 1
    await conversation.arefresh_from_db()
    assert conversation.current_id == answers[1]["id"]


async def test_a_socket_that_connects_mid_comparison_catches_up_on_every_column(
    conversation, alice_client, upstream
):
    upstream.reply_for = held
    first, _, _ = await open_socket(conversation, alice_client)
    await first.send_json_to({"action": "send", "text": "Hi", "models": THREE[:2]})
    started = answers_of(await receive_until(first, "answer"))
    started += answers_of(await receive_until(first, "answer"))
    second, _, _ = await open_socket(conversation, alice_client)
    await second.send_json_to({"action": "resume", "shown": []})
    path = (await receive_until(second, "path"))[-1]
    upstream.release.set()
    events = await receive_ends(second, 2)
    await receive_ends(first, 2)
    await first.disconnect()
    await second.disconnect()
    on_path = path["messages"][-1]
    assert on_path["id"] == started[0]["id"]
    assert [a["id"] for a in on_path["comparison"]["answers"]] == [started[1]["id"]]
    assert {m["text"] for m in finals(events).values()} == {
        "gpt-4o thinks more", "gemini-2.5-pro thinks more",
    }  # fmt: skip
