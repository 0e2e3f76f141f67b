"""An answer's tables as CSV, XLSX and JSON: found in its Markdown, numbers
kept as numbers, formulas made plain, read back with the same libraries."""

import csv
import io
import json

import openpyxl
import pytest

from chat.live.payloads import message_payload
from chat.models import Message
from chat.tables import find_tables
from tests.support.review import make_conversation

pytestmark = pytest.mark.django_db

ANSWER = """Here are the items:

| Item | Qty | Price |
| --- | --- | --- |
| **Café crème** | 2 | 3.20 |
| 茶 | 1 | 1,250.00 |
| =HYPERLINK("http://evil.example","click") | 007 | -4 |

```json
[{"name": "Zoë", "total": 12.5, "paid": true}, {"name": "@SUM(A1)", "total": 3}]
```

```csv
city,people
Zürich,"421,878"
```
"""


def answer_with(owner, text):
    conversation = make_conversation(owner)
    answer = conversation.messages.get(role=Message.Role.ASSISTANT)
    answer.text = text
    answer.save(update_fields=["text"])
    return answer


def download(client, answer, index, format):
    [table] = [t for i, t in enumerate(message_payload(answer)["tables"], 1) if i == index]
    response = client.get(table[format])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def test_it_finds_each_table_in_order():
    tables = find_tables(ANSWER)

    assert [t.kind for t in tables] == ["table", "json", "csv"]
    assert [t.label for t in tables] == [
        "Table · 3 rows × 3 columns",
        "JSON · 2 rows × 3 columns",
        "CSV · 1 row × 2 columns",
    ]


def test_a_plain_answer_offers_no_download(alice):
    answer = answer_with(alice, "No table here, only prose.")

    assert message_payload(answer)["tables"] == []


def test_the_csv_opens_in_excel_and_reads_back(alice_client, alice):
    answer = answer_with(alice, ANSWER)

    data = download(alice_client, answer, 1, "csv")

    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, accents and 茶 intact
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["Item", "Qty", "Price"],
        ["Café crème", "2", "3.2"],
        ["茶", "1", "1250.0"],
        # Made plain: a spreadsheet shows the text instead of running it.
        ['\'=HYPERLINK("http://evil.example","click")', "007", "-4"],
    ]


def test_the_xlsx_keeps_numbers_as_numbers_and_formulas_as_text(alice_client, alice):
    answer = answer_with(alice, ANSWER)

    data = download(alice_client, answer, 1, "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["Item", "Qty", "Price"],
        ["Café crème", 2, 3.2],
        ["茶", 1, 1250.0],
        ['=HYPERLINK("http://evil.example","click")', "007", -4],
    ]
    assert sheet["A4"].data_type == "s"  # text, not a formula
    assert sheet["B4"].data_type == "s"  # 007 keeps its zeros


def test_a_json_block_downloads_as_json_and_as_a_spreadsheet(alice_client, alice):
    answer = answer_with(alice, ANSWER)

    rows = json.loads(download(alice_client, answer, 2, "json"))
    sheet = openpyxl.load_workbook(io.BytesIO(download(alice_client, answer, 2, "xlsx"))).active

    assert rows == [
        {"name": "Zoë", "total": 12.5, "paid": "yes"},
        {"name": "@SUM(A1)", "total": 3, "paid": None},
    ]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["name", "total", "paid"],
        ["Zoë", 12.5, "yes"],
        ["@SUM(A1)", 3, None],
    ]


def test_a_csv_block_round_trips(alice_client, alice):
    answer = answer_with(alice, ANSWER)

    data = download(alice_client, answer, 3, "csv").decode("utf-8-sig")

    assert list(csv.reader(io.StringIO(data))) == [["city", "people"], ["Zürich", "421878"]]


def test_only_the_owner_downloads_an_answers_tables(alice, bob, client):
    answer = answer_with(alice, ANSWER)
    client.force_login(bob)

    assert client.get(f"/messages/{answer.pk}/tables/1.csv").status_code == 404
    client.force_login(alice)
    assert client.get(f"/messages/{answer.pk}/tables/9.csv").status_code == 404
    assert client.get(f"/messages/{answer.pk}/tables/1.exe").status_code == 404
