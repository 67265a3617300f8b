"""The evidence export's invoices table has a column for every field any invoice has.

Its columns were the first invoice's keys: a paid date, a credit or another currency that
only a later invoice logged was dropped from the HTML and the PDF (the JSON kept it), in
a document made for a dispute about exactly those invoices.
"""

from __future__ import annotations

import re
from typing import Any

from clientguard.evidence.export import ExportData, invoice_columns, to_html

#: An unpaid invoice logged with the fields it had then: no paid date, no currency.
FIRST: dict[str, Any] = {
    "number": "7", "issued": "2025-09-01", "due": "2025-09-10", "amount": 1000,
    "paid_amount": 0, "outstanding": 1000, "payments": [], "seq": 3,
}  # fmt: skip
#: A later one, paid, in dollars, credited, and renumbered.
SECOND: dict[str, Any] = {
    "number": "8", "issued": "2025-09-05", "due": "2025-09-15", "amount": 500, "currency": "USD",
    "paid_on": "2025-09-12", "renumbered_from": "B-8", "credited": 100, "paid_amount": 400,
    "outstanding": 0, "payments": [{"amount": 400, "paid_on": "2025-09-12", "seq": 6}], "seq": 5,
}  # fmt: skip


def _data(*invoices: dict[str, Any]) -> ExportData:
    return ExportData(
        client="Кофейня «Пенка»", generated_at="2025-10-01T00:00:00+00:00", period_from=None,
        period_to=None, head_seq=6, head_hash="0" * 64, records=6, verified=True, problems=(),
        chronology=(), flagged=(), signals_note=None, notes=(), invoices=invoices,
    )  # fmt: skip


def _table(html: str) -> tuple[list[str], list[list[str]]]:
    """The invoices table's header titles (field ids) and its rows' cells."""
    heading = "<h2>Счета</h2>" if '<html lang="ru">' in html else "<h2>Invoices</h2>"
    body = html[html.index(heading) :].split("</table>")[0]
    head = re.findall(r'<th title="([a-z_]+)">', body)
    rows = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr><td>.*?</tr>", body)]
    return head, rows


def test_a_field_only_the_second_invoice_has_gets_its_column() -> None:
    head, rows = _table(to_html(_data(FIRST, SECOND), "en"))
    assert {"currency", "paid_on", "credited", "renumbered_from"} <= set(head)
    second = dict(zip(head, rows[1], strict=True))
    assert second["currency"] == "USD" and second["paid_on"] == "2025-09-12"
    assert second["credited"] == "100" and second["renumbered_from"] == "B-8"
    first = dict(zip(head, rows[0], strict=True))
    assert first["paid_on"] == "—" and first["currency"] == "—"  # shown as not logged


def test_the_columns_are_in_one_order_whichever_invoice_comes_first() -> None:
    expected = (
        "number", "issued", "due", "amount", "currency", "paid_on", "renumbered_from",
        "credited", "paid_amount", "outstanding", "payments", "seq",
    )  # fmt: skip
    assert invoice_columns([FIRST, SECOND]) == expected
    assert invoice_columns([SECOND, FIRST]) == expected
    assert _table(to_html(_data(SECOND, FIRST), "ru"))[0] == list(expected)
