"""Users' own thumbs up or down, and a comment, on their finished answers."""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from chat.models import Conversation, Feedback, Message
from chat.review.models import QueueItem
from chat.testing.upstream import Reply
from tests.support.review import answers, make_conversation
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(alice):
    return answers(make_conversation(alice))[0]


def rate(client, answer, rating, comment=""):
    return client.post(f"/messages/{answer.pk}/feedback/", {"rating": rating, "comment": comment})


def test_it_keeps_a_thumbs_down_with_its_comment(alice_client, answer):
    response = rate(alice_client, answer, "down", "  It missed the dog  ")

    assert response.json() == {"rating": "down", "comment": "It missed the dog"}
    feedback = Feedback.objects.get(message=answer)
    assert (feedback.rating, feedback.comment) == ("down", "It missed the dog")


def test_it_lets_the_user_change_and_take_back_their_feedback(alice_client, answer):
    rate(alice_client, answer, "down")
    rate(alice_client, answer, "up", "actually fine")
    assert Feedback.objects.get(message=answer).rating == "up"

    rate(alice_client, answer, "")
    assert not Feedback.objects.exists()


def test_it_shows_the_feedback_again_on_the_page(alice_client, answer):
    rate(alice_client, answer, "up", "great")

    page = alice_client.get(f"/c/{answer.conversation.code}/").content.decode()

    assert '"feedback": {"rating": "up", "comment": "great"}' in page


def test_it_refuses_feedback_on_someone_elses_answer(bob, answer):
    client = Client()
    client.force_login(bob)

    assert rate(client, answer, "down").status_code == 404
    assert not Feedback.objects.exists()


def test_it_refuses_a_rating_that_is_not_up_or_down(alice_client, answer):
    response = rate(alice_client, answer, "meh")

    assert response.status_code == 400
    assert response.json()["error"] == "Rate the answer up or down."


def test_it_refuses_feedback_while_the_answer_streams(alice_client, answer):
    Message.objects.filter(pk=answer.pk).update(status="streaming")

    response = rate(alice_client, answer, "up")

    assert response.json()["error"] == "Wait for the answer to finish."
    assert not Feedback.objects.exists()


def test_it_refuses_feedback_on_a_users_own_message(alice_client, answer):
    prompt = answer.conversation.messages.get(role="user")

    assert rate(alice_client, prompt, "up").status_code == 404


def test_it_refuses_an_overlong_comment(alice_client, answer):
    response = rate(alice_client, answer, "down", "x" * 2001)

    assert response.json()["error"] == "Comments can be at most 2,000 characters."


def test_it_takes_feedback_back_whatever_the_comment_says(alice_client, answer):
    rate(alice_client, answer, "down", "It missed the dog")

    response = rate(alice_client, answer, "", "x" * 2001)

    assert response.json() == {"rating": "", "comment": ""}
    assert not Feedback.objects.exists()


def test_it_refuses_a_comment_with_a_null_character(alice_client, answer):
    # The database cannot store one: refused with a sentence, not a server error.
    response = rate(alice_client, answer, "down", "a\x00b")

    assert response.status_code == 400
    assert response.json()["error"] == "Null characters are not allowed."
    assert not Feedback.objects.exists()


def test_it_needs_a_csrf_token(alice, answer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    assert rate(client, answer, "down").status_code == 403


def test_it_puts_a_thumbed_down_conversation_in_the_review_queue(alice_client, answer):
    rate(alice_client, answer, "up")
    assert not QueueItem.objects.exists()

    rate(alice_client, answer, "down")

    item = QueueItem.objects.get()
    assert (item.conversation, item.reason) == (answer.conversation, "thumbs_down")


@pytest.mark.django_db(transaction=True)
async def test_it_sends_each_versions_feedback_with_a_switch_of_version(
    alice, alice_client, upstream
):
    upstream.queue(Reply(tokens=["Two cats."]), Reply(tokens=["Three cats."]))
    conversation = await Conversation.objects.acreate(owner=alice, model="gpt-4o")
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "How many?", "model": "gpt-4o"})
    first = (await receive_until(communicator, "done"))[-1]["message"]
    await sync_to_async(rate)(alice_client, Message(pk=first["id"]), "down", "There are three")
    await communicator.send_json_to(
        {"action": "regenerate", "message": first["id"], "model": "gpt-4o"}
    )
    await receive_until(communicator, "done")

    await communicator.send_json_to({"action": "switch", "message": first["id"]})
    back = (await receive_until(communicator, "path"))[-1]["messages"]
    await communicator.send_json_to({"action": "switch", "message": back[-1]["versions"][1]["id"]})
    other = (await receive_until(communicator, "path"))[-1]["messages"]
    await communicator.disconnect()

    # The thumbs the user gave this version come back with it, and the other
    # version says it has none, so the page clears what it showed.
    assert back[-1]["id"] == first["id"]
    assert back[-1]["feedback"] == {"rating": "down", "comment": "There are three"}
    assert other[-1]["text"] == "Three cats." and other[-1]["feedback"] is None
    assert "feedback" not in other[0]  # the user's own message has none to give
