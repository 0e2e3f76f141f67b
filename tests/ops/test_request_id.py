"""The request id an answer carries, on the admin pages. The id following an answer
from the websocket frame through the gateway request and the JSON log lines is
tested on a running process in tests/system/test_request_ids_through_daphne.py."""


def test_it_shows_the_request_id_in_the_admin_transcript(client, db):
    from chat.models import Conversation, Message
    from tests.support.users import make_user

    staff = make_user("reviewer", is_staff=True, is_superuser=True)
    conversation = Conversation.objects.create(owner=make_user("carol"), title="Traced")
    Message.objects.create(
        conversation=conversation, role="assistant", text="Hi", request_id="0f" * 16
    )
    client.force_login(staff)

    page = client.get(f"/admin/chat/conversation/{conversation.pk}/review/")
    found = client.get("/admin/chat/message/", {"q": "0f" * 16})

    assert page.status_code == 200 and "0f" * 16 in page.content.decode()
    assert "1 message" in found.content.decode() or "1 result" in found.content.decode()
