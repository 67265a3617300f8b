"""Numbers, dates and labels are not broken inside a word (sixteenth session, a user's day).

The client page's invoices table sits in the narrow side column, and the compact table's
rule that lets a long client name break anywhere also broke invoice "12" into "1|2" and
the due date into "2025-|09-15" at desktop width. On a 375 px phone the portfolio's stat
card read "ПРОСРОЧЕННЫ|Х СЧЁТА": the upper-case label did not fit its third of the row and
broke inside the word (browsers here have no Russian hyphenation).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.web_helpers import SAMPLE_CHAT, LiveServer, chrome

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Every word (a run of non-spaces) of the elements matching arguments[0] that the
#: browser laid out on more than one line.
BROKEN_WORDS = """
const out = [];
for (const el of document.querySelectorAll(arguments[0])) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const re = /\\S+/g; let m;
    while ((m = re.exec(n.data))) {
      const r = document.createRange();
      r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
}
return out;
"""
INVOICE_CELLS = "tr[data-invoice] td:nth-child(1), tr[data-invoice] td:nth-child(3)"


@pytest.fixture()
def served(live_local: LiveServer) -> LiveServer:
    """A client with two overdue invoices, one of them part paid (its cell is the tallest)."""
    from clientguard.contracts.repo import add_invoice, pay_invoice

    store = live_local.app.state.cg.store
    store.import_paths([SAMPLE_CHAT], client="Анна")
    add_invoice(store, "Анна", 30000, "2025-09-15", "2025-09-01", number="12")
    pay_invoice(store, "Анна", "12", "2025-09-10", 20000)
    add_invoice(store, "Анна", 15000, "2025-09-20", "2025-09-10", number="2025-117")
    return live_local


@pytest.fixture(params=["desktop", "phone"])
def screen(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "desktop":
        with chrome("--window-size=1440,1000") as driver:
            yield driver
    else:
        with chrome(mobile={"width": 375, "height": 812, "pixelRatio": 1}) as driver:
            yield driver


def test_invoice_numbers_dates_and_stat_labels_stay_whole(served: LiveServer, screen: Any) -> None:
    screen.get(f"{served.url}/clients/1?lang=ru")
    cells = screen.execute_script("return document.querySelectorAll(arguments[0]).length", INVOICE_CELLS)
    assert cells == 4  # two invoices: number and due date each
    assert screen.execute_script(BROKEN_WORDS, INVOICE_CELLS) == []
    screen.get(f"{served.url}/?lang=ru")
    labels = screen.execute_script(
        "return [...document.querySelectorAll('.stat .lbl')].map(e => e.textContent)"
    )
    assert any("просроч" in x.lower() for x in labels), labels
    assert screen.execute_script(BROKEN_WORDS, ".stat .lbl") == []
