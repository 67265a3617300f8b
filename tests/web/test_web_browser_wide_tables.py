"""Tables fit their cards at real widths: a 1100 px laptop and a 420 px phone (nineteenth session).

Headless Chromium screenshots of every page showed: the portfolio's table cut off at
1100 px (its card hid what overflowed: "Revisions over limit" and "Last activity" were
gone, at 960 px "Overdue" too); on the team page the spill card pushed the page sideways
and the time-and-revenue table broke client names into syllables ("Конста|нтин") and a
sum before its currency ("1 335 000,50 | ₽"); on the client page the invoices table ran
past its card, the time log broke its day into "20|25-|09-|10" and on a phone the
client's header its "as of" day into "2025-09-|25". Now a table that does
not fit scrolls inside its card, names break only between words (or after a hyphen of
their own), and a sum or a day stays on one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.web_helpers import SAMPLE_CHAT, SPLIT, LiveServer, chrome

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LONG_NAMES = (
    "Константин Константинопольский",
    "ООО «Северо-Западная торгово-промышленная компания Балтийский горизонт»",
    "ИП Кондратьев-Никифоровский Вячеслав Евгеньевич",
)

#: For each table in a card: a row whose last cell lies outside the card with no scrolling
#: box between them (cut off by an ``overflow: hidden`` card, or sticking out of it), and a
#: card (or its scrolling box) past the screen's edge, which pushes the whole page sideways.
OUTSIDE_CARDS = """
const W = document.documentElement.clientWidth, out = [];
const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
for (const table of document.querySelectorAll('.card table')) {
  const card = table.closest('.card'), cb = card.getBoundingClientRect();
  const label = (card.id || card.querySelector('h2')?.textContent || table.className).trim().slice(0, 30);
  if (cb.right > W + 1) out.push(label + ': card ends at ' + Math.round(cb.right) + ' px, screen at ' + W);
  let scroller = null;
  for (let p = table.parentElement; p; p = p.parentElement) {
    if (scrolls(p)) { scroller = p; break; }
    if (p === card) break;
  }
  if (scroller) {
    const sb = scroller.getBoundingClientRect();
    if (sb.right > cb.right + 1) out.push(label + ': its scrolling box runs past the card');
    continue;
  }
  for (const row of table.rows) {
    const cell = row.cells[row.cells.length - 1];
    if (!cell) continue;
    const b = cell.getBoundingClientRect();
    if (b.right > cb.right + 1 || b.left < cb.left - 1) {
      out.push(label + ': "' + cell.textContent.trim().slice(0, 25) + '" at ' + Math.round(b.left) + '-'
               + Math.round(b.right) + ' px, the card ' + Math.round(cb.left) + '-' + Math.round(cb.right));
      break;
    }
  }
}
return out;
"""

#: A word of a name; a name may break after a hyphen of its own ("Кондратьев-|Никифоровский").
NAME_PIECE = r"[^\s-]+-?"
#: A sum with its currency: "1 250 000,50 ₽", "1,335,000.50 RUB", "3 400 USD".
SUM = r"\d[\d\u202f\u00a0,.]*[ \u00a0](?:₽|RUB|USD|EUR)"
NAMES = "a.client-link, .card table td:first-child a"
#: A day: "2025-09-25" (the client's "as of" day in its header, the time log, invoices' due dates).
DAY = r"\d{4}-\d\d-\d\d"
DATED = ".hero-meta, #time-log td, .portfolio td, .table.invoices td"


@pytest.fixture()
def served(live_local: LiveServer) -> Iterator[tuple[LiveServer, int]]:
    """Clients with long names, big overdue invoices in two currencies and logged time."""
    from datetime import date

    from clientguard.contracts.repo import add_invoice, pay_invoice
    from clientguard.web.timelog import add_time

    store = live_local.app.state.cg.store
    for k, name in enumerate(LONG_NAMES):
        store.import_paths([SAMPLE_CHAT], client=name)
        add_invoice(store, name, 1250000.5, "2025-09-30", "2025-09-01", number=f"СЧ-2025/{k}17")
        add_invoice(store, name, 85000, "2025-10-15", "2025-10-01", number=f"2025-{k}18")
        pay_invoice(store, name, f"2025-{k}18", "2025-10-10", 40000)
        add_invoice(store, name, 3400, "2025-11-10", "2025-11-01", number=f"USD-{k}", currency="USD")
        add_time(store, name, 7.25, "Анна Смирнова", day=date(2025, 9, 10), note="Подготовка контент-плана")
    first = next(c.id for c in store.clients() if c.name == LONG_NAMES[0])
    yield live_local, first


@pytest.fixture()
def driver() -> Iterator[Any]:
    with chrome("--window-size=1100,900") as d:
        yield d


@pytest.mark.parametrize("width", [1100, 420])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_tables_stay_inside_their_cards(
    served: tuple[LiveServer, int], driver: Any, width: int, lang: str
) -> None:
    server, client_id = served
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    problems: dict[str, Any] = {}
    for page in ("/", "/team", f"/clients/{client_id}"):
        driver.get(f"{server.url}{page}?lang={lang}")
        assert driver.execute_script("return document.querySelectorAll('.card table').length"), page
        found = {
            "outside": driver.execute_script(OUTSIDE_CARDS),
            "names broken": driver.execute_script(SPLIT, NAMES, NAME_PIECE),
            "sums broken": driver.execute_script(SPLIT, "td.num", SUM),
            "days broken": driver.execute_script(SPLIT, DATED, DAY),
        }
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[page] = found
    assert not problems, problems
