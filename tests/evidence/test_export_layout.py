"""The evidence export's invoices table at real widths and on paper (twenty-first session).

The HTML export is a print-first page whose tables had ``table-layout: fixed`` and
``overflow-wrap: anywhere``: its twelve-column invoices table (a client with payments,
a refund, a credit, a renumbered and a voided invoice) gave each column the same share,
so at 960-1366 px "1 287 000,50" went over two lines as "1 287 000" / ",50", and every
day at 960 as "2025-01-" / "01" (a day breaks after its hyphens even without that rule).
On A4 it was worse: "оплат" / "а", "125 00" / "0,75 R" / "UB,".

Now the invoices table sizes its columns by their content, a sum, a day, a currency and
each payment line stay on one line, and in print the invoices go on a landscape A4 page
(``@page wide``), where the twelve columns fit. Every check runs at every width.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.test_web_browser_reflow import WIDTHS, _width
from tests.web.web_helpers import SAMPLE_CHAT, SPLIT, chrome

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLIENT = "ООО «Северо-Западная торгово-промышленная компания Балтийский горизонт»"
#: A sum grouped by thousands ("1 287 000,50", "1,287,000.50") or a day.
WHOLE = r"\d{1,3}(?:[\u00a0,]\d{3})+(?:[.,]\d\d)?|\d{4}-\d\d-\d\d"
HEADING = {"ru": "Счета", "en": "Invoices"}
#: Gives the table after the invoices heading (``arguments[0]``) the id ``inv``; its rows.
MARK = """
const h = [...document.querySelectorAll('h2')].find(x => x.textContent.trim() === arguments[0]);
h.nextElementSibling.id = 'inv';
return h.nextElementSibling.rows.length - 1;
"""
#: The page wider than the window, or the invoices table (or one of its cells) wider than it shows.
SIDEWAYS = """
const out = [], doc = document.documentElement, t = document.getElementById('inv');
if (doc.scrollWidth > doc.clientWidth) out.push('page ' + doc.scrollWidth + ' px in ' + doc.clientWidth);
const r = t.getBoundingClientRect();
if (r.right > doc.clientWidth + 1) out.push('table ends at ' + Math.round(r.right));
for (const c of t.querySelectorAll('td, th')) {
  if (c.scrollWidth > c.clientWidth + 1) out.push(c.textContent.trim().slice(0, 20) + ' overflows its cell');
}
return out;
"""


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The HTML export, ru and en, of a client with ten invoices in two currencies: three paid
    in two parts, one refunded, one credited, one renumbered, one voided; every column shown."""
    from clientguard.contracts.renumber import renumber_invoice
    from clientguard.contracts.repo import (
        add_invoice,
        credit_invoice,
        pay_invoice,
        refund_invoice,
        void_invoice,
    )
    from clientguard.evidence.dispute import prepare
    from clientguard.evidence.export import to_html
    from clientguard.evidence.verify import resolve_client
    from clientguard.store import open_store

    tmp = tmp_path_factory.mktemp("export_layout")
    with open_store(f"sqlite:///{tmp / 'cg.sqlite3'}") as store:
        store.import_paths([SAMPLE_CHAT], client=CLIENT)
        for j in range(9):
            number, month = f"ДОГ-2025/11-{j:02d}", f"2025-{j + 1:02d}"
            add_invoice(store, CLIENT, 1_250_000 + 37_000.5 * j, f"{month}-28", f"{month}-01", number=number)
            if j % 3 == 0:
                pay_invoice(store, CLIENT, number, f"{month}-20", 500_000)
                pay_invoice(store, CLIENT, number, f"{month}-25", 125_000.75)
        refund_invoice(store, CLIENT, "ДОГ-2025/11-03", 125_000.5, "2025-04-25", "спор по объёму работ")
        credit_invoice(store, CLIENT, "ДОГ-2025/11-04", 210_000.75, "2025-05-10", "скидка за задержку")
        add_invoice(store, CLIENT, 23_400.75, "2025-09-10", "2025-09-01", number="USD-1", currency="USD")
        renumber_invoice(store, CLIENT, "ДОГ-2025/11-05", "СЧ-2025/0517-ИСПР")
        void_invoice(store, CLIENT, "ДОГ-2025/11-07", "выставлен по ошибке")
        with store.engine.connect() as conn:
            data = prepare(store.engine, resolve_client(conn, CLIENT))
    assert len(data.invoice_columns) == 12, data.invoice_columns
    paths = {}
    for lang in ("ru", "en"):
        paths[lang] = tmp / f"export_{lang}.html"
        paths[lang].write_text(to_html(data, lang), encoding="utf-8")
    yield paths


def _read(pdf: bytes) -> tuple[list[str], list[str]]:
    """Each page's text, and what is printed past the page's right margin (14 mm) or smaller
    than the page's smallest type (7.5 pt): Chromium shrinks a whole document that is wider
    than its page (to 7.1 pt from 9.5, 5.6 from 7.5, with the invoices on a portrait page)."""
    import pypdf

    texts: list[str] = []
    past: list[str] = []
    for number, page in enumerate(pypdf.PdfReader(io.BytesIO(pdf)).pages, 1):
        right = float(page.mediabox.width) - 14 * 72 / 25.4

        def seen(
            text: str,
            cm: list[float],
            tm: list[float],
            _font: Any,
            size: float,
            edge: float = right,
            n: int = number,
        ) -> None:
            x, pt = tm[4] * cm[0] + cm[4], size * tm[0] * cm[0]  # where the run starts, its size
            if text.strip() and x > edge:
                past.append(f"page {n}: {text.strip()[:20]} at {x:.0f} pt, the margin at {edge:.0f}")
            if text.strip() and pt < 7.4:
                past.append(f"page {n}: {text.strip()[:20]} in {pt:.1f} pt")

        texts.append(page.extract_text(visitor_text=seen))
    return texts, past


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chrome("--window-size=1366,900") as d:
        yield d


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_invoices_keep_sums_and_days_whole_at_every_width(
    exports: dict[str, Path], driver: Any, lang: str
) -> None:
    problems = {}
    for width in WIDTHS:
        _width(driver, width)
        driver.get(exports[lang].as_uri())
        assert driver.execute_script(MARK, HEADING[lang]) == 10, width
        found = {
            "sideways": driver.execute_script(SIDEWAYS),
            "broken": driver.execute_script(SPLIT, "#inv td", WHOLE),
        }
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[width] = found
    assert not problems, problems


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_printed_invoices_fit_the_page_with_sums_and_days_whole(
    exports: dict[str, Path], driver: Any, lang: str
) -> None:
    """Chromium's own print (A4, the page's @page rules): each sum and day of the invoices table
    is on one line, and nothing is printed past the right margin (14 mm) of any page."""
    _width(driver, 1366)
    driver.get(exports[lang].as_uri())
    driver.execute_script(MARK, HEADING[lang])
    cells = driver.execute_script(
        "return [...document.querySelectorAll('#inv td')].map(c => c.textContent.trim())"
    )
    values = {v for c in cells for v in re.findall(WHOLE, c)}
    assert len(values) > 40, values
    printed = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    texts, past = _read(base64.b64decode(printed["data"]))
    whole = "\n".join(texts)
    table = whole[whole.index(HEADING[lang] + "\n") :]
    table = table[: table.index("\n" + ("Хронология" if lang == "ru" else "Chronology"))]
    broken = sorted(v for v in values if v not in table)
    assert not broken, broken
    assert not past, past
