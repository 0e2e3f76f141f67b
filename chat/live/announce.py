"""What every open page of a person hears about their list of conversations:
one channel-layer group per person, joined by each of their sockets, so the
sidebar of every tab keeps the order of latest activity, new titles, renames
and deletions live."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from chat.live.payloads import conversation_payload


def person_group(user_id):
    return f"person-{user_id}"


async def conversation_changed(conversation):
    await get_channel_layer().group_send(
        person_group(conversation.owner_id),
        {
            "type": "chat.event",
            "event": {"type": "conversation", "conversation": conversation_payload(conversation)},
        },
    )


def conversation_renamed(conversation):
    async_to_sync(conversation_changed)(conversation)


def conversation_deleted(conversation, conversation_group):
    """Tell every tab's sidebar, and close the conversation's own sockets (4404)."""
    layer = get_channel_layer()
    event = {"type": "conversation_deleted", "code": str(conversation.code)}
    async_to_sync(layer.group_send)(
        person_group(conversation.owner_id), {"type": "chat.event", "event": event}
    )
    async_to_sync(layer.group_send)(conversation_group, {"type": "chat.deleted"})
