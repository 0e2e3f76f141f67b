"""Extracting fields from a receipt in Chromium: listed in the composer (or
picked from a saved schema), asked of the fake gateway as a JSON Schema, shown
as a table, downloaded as CSV; the list and a marked answer pass axe-core in
both themes."""

import csv
import io

import pytest
from PIL import Image, ImageDraw

from chat.testing.upstream import Reply
from tests.browser.test_accessibility import AXE, THEMES, serious_violations
from tests.support.browser import answer, expect, new_conversation

RECEIPT_LINES = ["CAFE ZOE", "2026-12-03", "Tea      3.50", "Cake     9.00", "TOTAL   12.50"]


def receipt_png():
    picture = Image.new("RGB", (360, 480), "white")
    draw = ImageDraw.Draw(picture)
    for n, line in enumerate(RECEIPT_LINES):
        draw.text((40, 40 + 60 * n), line, fill="black")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return {"name": "receipt.png", "mimeType": "image/png", "buffer": out.getvalue()}


def list_fields(page, fields):
    panel = page.locator("#extract-fields")
    for n, (name, kind) in enumerate(fields):
        if n:
            panel.get_by_role("button", name="Add a field").click()
        row = panel.locator(".extract-field").nth(n)
        row.get_by_role("textbox", name="Field name").fill(name)
        row.get_by_role("combobox", name="Field type").select_option(kind)


def test_it_extracts_fields_from_a_receipt_and_downloads_the_csv(page, live_upstream, tmp_path):
    live_upstream.queue(Reply.json({"Shop": "CAFE ZOE", "Date": "2026-12-03", "Total": 12.5}))
    page.locator("#file-input").set_input_files(receipt_png())
    expect(page.locator(".attachment.ready")).to_have_count(1)

    page.locator("#quick-actions").get_by_role("button", name="Extract these fields…").click()
    list_fields(page, [("Shop", "text"), ("Date", "date"), ("Total", "money")])
    page.get_by_role("button", name="Send").click()

    asked = page.locator(".message.user").last.locator(".extract-asked")
    expect(asked).to_have_text("Fields asked for: Shop, Date, Total")
    table = answer(page).locator(".extraction-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tbody tr").nth(2)).to_have_text("Total12.5")
    expect(answer(page).locator(".extraction-raw pre")).to_be_hidden()  # one click away
    answer(page).get_by_text("Raw JSON").click()
    expect(answer(page).locator(".extraction-raw pre")).to_contain_text('"Total": 12.5')
    expect(page.locator("#extract-fields")).to_be_hidden()  # sent: the list is cleared
    schema = live_upstream.requests[0].body["response_format"]["json_schema"]["schema"]
    assert list(schema["properties"]) == ["Shop", "Date", "Total"]

    with page.expect_download() as download:
        answer(page).get_by_role("link", name="Download the fields as CSV").click()
    download.value.save_as(tmp_path / "fields.csv")
    with open(tmp_path / "fields.csv", encoding="utf-8-sig", newline="") as file:
        assert list(csv.reader(file)) == [
            ["Shop", "Date", "Total"],
            ["CAFE ZOE", "2026-12-03", "12.5"],
        ]


def test_it_marks_the_fields_of_a_reply_that_does_not_fit(page, live_upstream):
    live_upstream.queue(Reply.json({"Total": "twelve and a half"}))
    page.locator("#file-input").set_input_files(receipt_png())
    expect(page.locator(".attachment.ready")).to_have_count(1)

    page.locator("#quick-actions").get_by_role("button", name="Extract these fields…").click()
    list_fields(page, [("Total", "money")])
    page.get_by_role("button", name="Send").click()

    failed = answer(page).locator(".extraction-table tr.failed")
    expect(failed).to_have_count(1)
    expect(failed.locator(".field-error")).to_contain_text("is not of type 'number'")
    expect(answer(page).get_by_role("link", name="Download the fields as CSV")).to_have_count(0)


MAKE_SCHEMA = """
from django.contrib.auth.models import User
from chat.extraction import schema_from_fields
from chat.models import SavedSchema
fields = [{"name": "Shop", "type": "text"}, {"name": "Total", "type": "money"}]
SavedSchema.objects.get_or_create(
    owner=User.objects.get(username="alice"), name="Receipt",
    defaults={"fields": fields, "schema": schema_from_fields(fields)},
)
"""


def test_a_saved_schema_fills_in_its_fields(live_site, page, live_upstream):
    live_site.manage("shell", "-c", MAKE_SCHEMA)
    page.reload()
    live_upstream.queue(Reply.json({"Shop": "CAFE ZOE", "Total": 12.5}))
    page.locator("#file-input").set_input_files(receipt_png())
    expect(page.locator(".attachment.ready")).to_have_count(1)

    page.locator("#quick-actions").get_by_role("button", name="Extract these fields…").click()
    page.get_by_role("combobox", name="Saved schema").select_option(label="Receipt")
    names = page.locator("#extract-fields").get_by_role("textbox", name="Field name")
    expect(names).to_have_count(2)
    expect(names.nth(1)).to_have_value("Total")
    page.get_by_role("button", name="Send").click()

    expect(answer(page).locator(".extraction-table tbody tr")).to_have_count(2)
    schema = live_upstream.requests[0].body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["Total"]["type"] == ["number", "null"]


def test_the_fields_listed_survive_a_reload(page, live_upstream):
    live_upstream.queue(Reply.json({"Shop": "CAFE ZOE", "Total": 12.5}))
    page.locator("#file-input").set_input_files(receipt_png())
    expect(page.locator(".attachment.ready")).to_have_count(1)
    page.locator("#quick-actions").get_by_role("button", name="Extract these fields…").click()
    list_fields(page, [("Shop", "text"), ("Total", "money")])

    page.reload()

    rows = page.locator("#extract-fields .extract-field")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).get_by_role("textbox", name="Field name")).to_have_value("Total")
    expect(rows.nth(1).get_by_role("combobox", name="Field type")).to_have_value("money")
    expect(page.locator(".attachment.ready")).to_have_count(1)
    page.get_by_role("button", name="Send").click()
    expect(answer(page).locator(".extraction-table tbody tr")).to_have_count(2)
    schema = live_upstream.requests[0].body["response_format"]["json_schema"]["schema"]
    assert list(schema["properties"]) == ["Shop", "Total"]


@pytest.fixture(scope="module")
def axe_context(alice_context):
    alice_context.add_init_script(path=AXE)  # by the browser: the page's CSP allows it
    return alice_context


@pytest.mark.parametrize("theme", THEMES)
def test_the_fields_and_a_marked_answer_have_no_serious_violation(
    axe_context, live_upstream, theme
):
    live_upstream.queue(Reply.json({"Shop": "CAFE ZOE", "Total": "twelve"}))
    page = new_conversation(axe_context)
    page.emulate_media(color_scheme=theme)
    page.locator("#file-input").set_input_files(receipt_png())
    expect(page.locator(".attachment.ready")).to_have_count(1)
    page.locator("#quick-actions").get_by_role("button", name="Extract these fields…").click()
    list_fields(page, [("Shop", "text"), ("Total", "money")])

    assert serious_violations(page) == []  # the list of fields, open
    page.get_by_role("button", name="Send").click()
    expect(answer(page).locator(".extraction-table tr.failed")).to_have_count(1)
    answer(page).get_by_text("Raw JSON").click()
    assert serious_violations(page) == []  # the table, a field marked, the raw JSON
    page.close()
