"""An answer checked against its schema: what fits becomes a row, what does not
is pinned to its field, never accepted as data."""

from chat.extraction import WHOLE, schema_from_fields, validate

SCHEMA = schema_from_fields(
    [
        {"name": "Shop", "type": "text"},
        {"name": "Date", "type": "date"},
        {"name": "Total", "type": "money"},
        {"name": "Items", "type": "list"},
        {"name": "Paid by card", "type": "yesno"},
    ]
)
FITS = (
    '{"Shop": "Café Zoë", "Date": "2026-12-03", "Total": 12.5,'
    ' "Items": ["Tea", "Cake"], "Paid by card": true}'
)


def test_it_accepts_a_reply_that_fits_and_gives_its_row():
    extraction = validate(SCHEMA, FITS)

    assert extraction.valid and extraction.errors == {}
    assert extraction.cells() == ["Café Zoë", "2026-12-03", 12.5, "Tea; Cake", "yes"]
    assert extraction.table().header == ["Shop", "Date", "Total", "Items", "Paid by card"]


def test_it_reads_json_in_a_code_fence():
    extraction = validate(SCHEMA, f"Here it is:\n```json\n{FITS}\n```\n")

    assert extraction.valid and extraction.cells()[0] == "Café Zoë"


def test_it_marks_each_field_that_does_not_fit():
    extraction = validate(
        SCHEMA,
        '{"Shop": "Café", "Date": "3 Dec 2026", "Total": "12,50 €", "Items": [], "Extra": 1}',
    )

    assert not extraction.valid
    assert set(extraction.errors) == {"Date", "Total", "Paid by card", "Extra"}
    assert extraction.errors["Date"] == ["'3 Dec 2026' is not a 'date'"]
    assert extraction.errors["Total"] == ["'12,50 €' is not of type 'number', 'null'"]
    assert "Shop" not in extraction.errors  # what fits is not marked


def test_it_marks_an_answer_that_is_not_json_as_a_whole():
    extraction = validate(SCHEMA, "The receipt is from Café Zoë, total 12.50.")

    assert not extraction.valid
    assert extraction.errors == {WHOLE: ["The answer is not JSON."]}
    assert extraction.cells() == [None] * 5


def test_it_accepts_null_for_a_field_the_model_could_not_find():
    extraction = validate(
        SCHEMA, '{"Shop": null, "Date": null, "Total": null, "Items": null, "Paid by card": null}'
    )

    assert extraction.valid and extraction.cells() == [None] * 5


def test_it_marks_an_answer_nested_thousands_deep_without_crashing():
    # An image can ask the model for this; json.loads alone raises RecursionError.
    too_deep_to_parse = validate(SCHEMA, "[" * 5000 + "]" * 5000)
    too_deep_to_use = validate(SCHEMA, '{"Shop": ' + "[" * 100 + "]" * 100 + "}")

    assert too_deep_to_parse.errors == {WHOLE: ["The answer is not JSON."]}
    assert too_deep_to_use.errors == {WHOLE: ["The answer nests deeper than 32 levels."]}
