"""What an extraction may ask for: fields become a JSON Schema, anything else
is refused with a sentence naming what is wrong."""

import pytest

from chat.extraction import (
    InvalidSchema,
    check_schema,
    response_format_for,
    schema_from_fields,
)

RECEIPT = [
    {"name": "Shop", "type": "text"},
    {"name": "Date", "type": "date"},
    {"name": "Total", "type": "money"},
    {"name": "Items", "type": "list"},
    {"name": "Paid by card", "type": "yesno"},
    {"name": "Count", "type": "number"},
]


def _nested(schema, depth):
    node = schema["properties"]["a"]
    for _ in range(depth):
        node["not"] = {}
        node = node["not"]
    return schema


def test_it_takes_a_property_named_pattern():
    schema = {"type": "object", "properties": {"pattern": {"type": "string"}}}

    assert check_schema(schema) is schema


def test_it_makes_a_closed_object_of_the_fields_in_order():
    schema = schema_from_fields(RECEIPT)

    assert list(schema["properties"]) == ["Shop", "Date", "Total", "Items", "Paid by card", "Count"]
    assert schema["required"] == list(schema["properties"])
    assert schema["additionalProperties"] is False
    assert schema["properties"]["Date"]["format"] == "date"
    assert schema["properties"]["Paid by card"]["type"] == ["boolean", "null"]
    assert check_schema(schema) is schema


@pytest.mark.parametrize(
    "fields, sentence",
    [
        ([], "List at least one field to extract."),
        ([{"name": " ", "type": "text"}], "Field 1 has no name."),
        (
            [{"name": "Total", "type": "money"}, {"name": "total", "type": "number"}],
            "The field “total” is listed twice.",
        ),
        (
            [{"name": "Total", "type": "currency"}],
            "The field “Total” has an unknown type; choose one of "
            "text, number, date, money, yesno, list.",
        ),
        ([{"name": f"f{n}", "type": "text"} for n in range(51)],
         "An extraction can ask for at most 50 fields."),
        ("Total", "List at least one field to extract."),
    ],
)  # fmt: skip
def test_it_refuses_fields_it_cannot_ask_for(fields, sentence):
    with pytest.raises(InvalidSchema) as refused:
        schema_from_fields(fields)

    assert refused.value.message == sentence
    assert refused.value.code == "invalid_schema"


@pytest.mark.parametrize(
    "schema, sentence",
    [
        ({"type": "object", "properties": {"n": {"type": "integr"}}},
         "The schema is not valid JSON Schema at properties/n/type:"),
        ({"type": "array", "items": {"type": "string"}},
         "The schema must describe an object with at least one property."),
        ({"type": "object", "properties": {"n": {"$ref": "https://example.com/s.json"}}},
         "The schema may only refer to its own definitions"),
        ({"type": "object", "properties": {"n": {"description": "x" * 20_000}}},
         "The schema is larger than 16 KB."),
        ([1, 2], "The schema must be a JSON object."),
        # Catastrophic backtracking: seconds of the server's time per answer checked.
        ({"type": "object", "properties": {"a": {"type": "string", "pattern": "^(a+)+$"}}},
         "The schema may not use patterns"),
        ({"type": "object", "properties": {"a": {"patternProperties": {"^(a+)+$": {}}}}},
         "The schema may not use patterns"),
        # Past Python's recursion limit if it were walked recursively.
        (_nested({"type": "object", "properties": {"a": {}}}, 3000),
         "The schema nests deeper than 32 levels."),
    ],
)  # fmt: skip
def test_it_refuses_a_schema_it_cannot_ask_for(schema, sentence):
    with pytest.raises(InvalidSchema) as refused:
        check_schema(schema)

    assert refused.value.message.startswith(sentence)


def test_it_asks_the_listed_models_with_response_format_and_others_not(settings):
    settings.STRUCTURED_OUTPUT_MODELS = ["gpt-4o"]
    schema = schema_from_fields(RECEIPT)

    assert response_format_for("gpt-4o", schema) == {
        "type": "json_schema",
        "json_schema": {"name": "extraction", "strict": True, "schema": schema},
    }
    assert response_format_for("llava-1.6", schema) is None


def test_it_asks_strictly_only_when_every_object_is_closed(settings):
    settings.STRUCTURED_OUTPUT_MODELS = ["gpt-4o"]
    open_schema = {"type": "object", "properties": {"n": {"type": "number"}}}

    assert response_format_for("gpt-4o", open_schema)["json_schema"]["strict"] is False
