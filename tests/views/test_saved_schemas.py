"""Saved extraction schemas on a person's settings: added from lines of
"name: type", refused with the reason when a field is wrong, offered in the
composer, and nobody else's."""

import json

import pytest

from chat.models import Conversation, SavedSchema

pytestmark = pytest.mark.django_db


def save(client, name, lines):
    return client.post("/settings/schemas/", {"name": name, "field_lines": lines})


def composer_schemas(client, owner):
    conversation = Conversation.objects.create(owner=owner)
    page = client.get(f"/c/{conversation.code}/").content.decode()
    found = page.split('<script id="saved-schemas" type="application/json">')[1]
    return json.loads(found.split("</script>")[0])


def test_it_saves_the_fields_and_offers_them_in_the_composer(alice_client, alice):
    response = save(alice_client, "Receipt", "Shop: text\nDate: date\n\nTotal: money\nCard: yes/no")

    assert response.status_code == 302
    schema = SavedSchema.objects.get(owner=alice)
    assert list(schema.schema["properties"]) == ["Shop", "Date", "Total", "Card"]
    assert schema.schema["properties"]["Card"]["type"] == ["boolean", "null"]
    assert composer_schemas(alice_client, alice) == [
        {"name": "Receipt", "fields": [
            {"name": "Shop", "type": "text"}, {"name": "Date", "type": "date"},
            {"name": "Total", "type": "money"}, {"name": "Card", "type": "yesno"},
        ]},
    ]  # fmt: skip


def test_it_refuses_a_field_of_unknown_type_and_stores_nothing(alice_client):
    response = save(alice_client, "Receipt", "Total: currency")

    assert response.status_code == 200
    assert "The field “Total” has an unknown type" in response.content.decode()
    assert SavedSchema.objects.count() == 0


def test_it_refuses_a_second_schema_of_the_same_name(alice_client):
    save(alice_client, "Receipt", "Total: money")

    response = save(alice_client, "Receipt", "Shop")

    assert "You already have a schema of that name." in response.content.decode()
    assert SavedSchema.objects.count() == 1


def test_no_one_else_sees_or_deletes_a_schema(alice_client, alice, bob, client):
    save(alice_client, "Receipt", "Total: money")
    schema = SavedSchema.objects.get()
    client.force_login(bob)

    assert "Receipt" not in client.get("/settings/schemas/").content.decode()
    assert composer_schemas(client, bob) == []
    assert client.post(f"/settings/schemas/{schema.code}/delete/").status_code == 404
    assert SavedSchema.objects.filter(pk=schema.pk).exists()
    client.force_login(alice)  # alice_client is the same client
    assert client.post(f"/settings/schemas/{schema.code}/delete/").status_code == 302
    assert not SavedSchema.objects.exists()


def test_the_schemas_page_needs_a_login(client):
    response = client.get("/settings/schemas/")

    assert response.status_code == 302 and "/login/" in response["Location"]
