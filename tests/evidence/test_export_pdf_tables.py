"""The evidence PDF's invoice table never splits a number, a date or a word.

With equal column shares (twelve invoice columns of 43 pt) the PDF read "outstandi ng",
"2025-11-0 5" and "1 250 / 000,50" (the Russian thousands separator, a no-break space,
was taken for a space). The table is now sized by its content, as a browser sizes a
table whose CSS sets no widths, and its font shrinks when even that does not fit; each
value must come back from the PDF's text (pypdf) whole, on one line, in both languages.
"""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from export_sample import rich
from lxml import html as lxml_html
from pypdf import PdfReader

from clientguard.cli._console import format_amount
from clientguard.evidence.export import render
from clientguard.evidence.export_pdf import FONT_DIRS, Style, _lines, _width
from clientguard.report.i18n import t
from clientguard.store import Store

pytest.importorskip("reportlab")
sys_fonts = pytest.mark.skipif(
    not any((d / "DejaVuSans.ttf").is_file() for d in FONT_DIRS),
    reason="DejaVu fonts not installed (scripts/system_deps.sh)",
)

#: An invoice with every column the table can have, long amounts, dates and a void reason.
WIDE: dict[str, Any] = {
    "number": "INV-2025-000123",
    "issued": "2025-11-05",
    "due": "2025-12-31",
    "amount": 1250000.5,
    "currency": "RUB",
    "paid_on": "2025-11-28",
    "paid_amount": 15432.61,
    "outstanding": 1234567.89,
    "payments": [{"amount": 15432.61, "paid_on": "2025-11-28", "seq": 9}],
    "voided": "cancelled by agreement",
    "credited": 100000,
    "refunded": 5000.25,
    "seq": 8,
}


def lines_of(pdf: bytes) -> list[str]:
    return [line for page in PdfReader(io.BytesIO(pdf)).pages for line in page.extract_text().split("\n")]


def on_one_line(value: str, lines: list[str]) -> bool:
    """Whether ``value`` is within one line (a no-break space may read back as a space)."""
    value = value.replace("\u00a0", " ")
    return any(value in line.replace("\u00a0", " ") for line in lines)


@sys_fonts
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_invoice_values_and_headers_come_back_whole(store: Store, lang: str) -> None:
    data = rich(store)
    data = dataclasses.replace(data, invoices=(WIDE, *data.invoices))
    lines = lines_of(render(data, "pdf", lang))
    values = [WIDE["number"], WIDE["issued"], WIDE["due"], WIDE["paid_on"], "2025-09-09", "2025-09-15"]
    values += [format_amount(WIDE[k], lang) for k in ("amount", "paid_amount", "outstanding", "refunded")]
    values += [format_amount(WIDE["credited"], lang), format_amount(19999.5, lang)]
    headers = [t("invoice_fields", k, lang) for k in WIDE]
    words = [w for h in headers for w in h.split()] + ["cancelled", "agreement"]
    missing = [v for v in values + words if not on_one_line(v, lines)]
    assert not missing, missing


@sys_fonts
def test_a_few_columns_keep_the_full_font(store: Store) -> None:
    """The sample's invoice table fits at the body size: its dates are drawn whole, unshrunk."""
    pdf = render(rich(store), "pdf", "en")
    drawn: dict[str, set[float]] = {"2025-09-09": set(), "2025-09-15": set()}

    def visit(text: str, _cm: Any, _tm: Any, _font: Any, size: float) -> None:
        if text.strip() in drawn:
            drawn[text.strip()].add(round(size, 1))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    assert drawn == {"2025-09-09": {9.5}, "2025-09-15": {9.5}}


def test_a_no_break_space_keeps_an_amount_whole() -> None:
    """'5 000,50' (U+00A0 inside) is one word: it moves to the next line whole, never split."""
    amount = format_amount(5000.5, "ru")
    assert "\u00a0" in amount
    cell = lxml_html.fragment_fromstring(f"<td>оплата {amount} RUB</td>")
    width = _width(amount, Style()) + 1  # room for the amount, not for "оплата " before it
    shown = ["".join(text for _, text, _ in frags) for _, _, frags in _lines(cell, Style(), width)]
    assert amount in shown
