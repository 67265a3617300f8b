"""Tables reflow instead of scrolling sideways, with long names and sums (twentieth session).

Headless Chromium screenshots at 1366, 1100, 960 and 420 px with realistic data (long
Russian client names, sums of "1 250 000,50 ₽", a dozen invoices with payments, a refund
and a credit) showed three tables still scrolling inside their card after 57312d5:

- the client page's invoices in the side column (about 340 px at 1100-1366 px, 394 on a
  phone): a sum as long as "1 111 001,50 → 986 001 ₽" left no room for the due date and
  the status, the table needed 506 px; now each invoice is two lines (number and sum, due
  date and status) and the header takes the same shape;
- the portfolio at 960 px and on a phone: its seven columns needed 1 060 px; now each
  client is a card, each figure under its column's word;
- the contract page's clauses on a phone: the quote column was 90 px wide and the table
  423 px in a 394 px card; now each clause is a card, the quote under its name.

Every check runs at every width, so a layout that fits one width by breaking another fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.web.web_helpers import ROOT, SPLIT, LiveServer, chrome
from tests.web.web_helpers import sample_chat_as as _chat

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = (1366, 1100, 1024, 960, 420)
NAMES = (
    "ООО «Северо-Западная торгово-промышленная компания Балтийский горизонт»",
    "АНО «Центр поддержки предпринимательства и экспортно-ориентированных инициатив»",
    "ИП Кондратьев-Никифоровский Вячеслав Евгеньевич",
    "Константин Константинопольский",
)
CONTRACT = ROOT / "tests" / "contracts" / "data" / "video_ru.md"

#: What scrolls sideways: the page itself, or a table (``arguments[0]``) wider than its card,
#: past its card's edge, or in a card that scrolls.
SIDEWAYS = """
const out = [], doc = document.documentElement;
if (doc.scrollWidth > doc.clientWidth) out.push('page ' + doc.scrollWidth + ' px in ' + doc.clientWidth);
for (const t of document.querySelectorAll(arguments[0])) {
  const card = t.closest('.card'), tb = t.getBoundingClientRect(), cb = card.getBoundingClientRect();
  if (t.scrollWidth > t.clientWidth + 1) out.push('table: ' + t.scrollWidth + ' px in ' + t.clientWidth);
  if (card.scrollWidth > card.clientWidth + 1) {
    out.push('card scrolls: ' + card.scrollWidth + ' px in ' + card.clientWidth);
  }
  if (tb.right > cb.right + 1) {
    out.push('table ends at ' + Math.round(tb.right) + ', its card at ' + Math.round(cb.right));
  }
}
return out;
"""
#: A sum with its currency ("1 250 000,50 ₽", "1,250,000.50 RUB", "4 250 EUR") and a day.
SUM = r"\d[\d\u00a0,.]*\u00a0(?:₽|RUB|USD|EUR)"
DAY = r"\d{4}-\d\d-\d\d"


@pytest.fixture()
def served(live_local: LiveServer, tmp_path: Path) -> Iterator[tuple[LiveServer, int]]:
    """Four clients with long names and big overdue sums in two currencies; the first has thirteen
    invoices in three currencies, part paid, one refunded and one credited (a second line each)."""
    from clientguard.contracts.repo import add_invoice, credit_invoice, pay_invoice, refund_invoice

    store = live_local.app.state.cg.store
    for k, name in enumerate(NAMES):
        store.import_paths([_chat(tmp_path, k, name)], client=name)
        add_invoice(store, name, 1_250_000.5, "2025-09-30", "2025-09-01", number=f"СЧ-2025/0{k}17")
        add_invoice(store, name, 985_000, "2025-10-15", "2025-10-01", number=f"2025-{k}18")
        pay_invoice(store, name, f"2025-{k}18", "2025-10-10", 400_000.25)
        add_invoice(store, name, 23_400.75, "2025-09-10", "2025-09-01", number=f"USD-{k}", currency="USD")
    first = NAMES[0]
    for j in range(9):
        number, month = f"ДОГ-2025/11-{j:02d}", f"2025-{j + 1:02d}"
        add_invoice(store, first, 1_000_000 + 37_000.5 * j, f"{month}-28", f"{month}-01", number=number)
        if j % 3 == 0:
            pay_invoice(store, first, number, f"{month}-20", 500_000)
    refund_invoice(store, first, "ДОГ-2025/11-03", 125_000.5, "2025-04-25", "спор по объёму работ")
    credit_invoice(store, first, "ДОГ-2025/11-04", 210_000.75, "2025-05-10", "скидка за задержку")
    add_invoice(store, first, 4250, "2025-12-31", "2025-11-20", number="EUR-2025-ПРЕДОПЛАТА", currency="EUR")
    yield live_local, next(c.id for c in store.clients() if c.name == first)


@pytest.fixture()
def driver() -> Iterator[Any]:
    with chrome("--window-size=1366,900") as d:
        yield d


def _width(driver: Any, width: int) -> None:
    """The screen ``width`` px wide (a phone below 600: a window cannot be that narrow)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_invoices_fit_the_side_column(served: tuple[LiveServer, int], driver: Any, lang: str) -> None:
    server, client_id = served
    problems = {}
    for width in WIDTHS:
        _width(driver, width)
        driver.get(f"{server.url}/clients/{client_id}?lang={lang}")
        rows = driver.execute_script(
            "return document.querySelectorAll('.table.invoices tr[data-invoice]').length"
        )
        assert rows == 13, (width, rows)
        found = {
            "sideways": driver.execute_script(SIDEWAYS, ".table.invoices"),
            "sums broken": driver.execute_script(SPLIT, ".table.invoices td.num", SUM),
            "days broken": driver.execute_script(SPLIT, ".table.invoices td", DAY),
        }
        # the header still shows every column's word and the day the statuses are counted on
        heads = driver.execute_script(
            "return [...document.querySelectorAll('.table.invoices th')]"
            ".filter(h => h.getBoundingClientRect().width > 8).map(h => h.textContent.trim())"
        )
        if len(heads) != 4 or not re.search(DAY, heads[3]):
            found["header"] = heads
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[width] = found
    assert not problems, problems


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_portfolio_reflows_on_a_tablet_and_a_phone(
    served: tuple[LiveServer, int], driver: Any, lang: str
) -> None:
    server, _ = served
    problems = {}
    for width in WIDTHS:
        _width(driver, width)
        driver.get(f"{server.url}/?lang={lang}")
        assert driver.execute_script("return document.querySelectorAll('.portfolio tbody tr').length") == 4
        found = {
            "sideways": driver.execute_script(SIDEWAYS, ".table.portfolio"),
            "sums broken": driver.execute_script(SPLIT, ".portfolio td.num", SUM),
            "days broken": driver.execute_script(SPLIT, ".portfolio td", DAY),
        }
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[width] = found
    assert not problems, problems


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_contract_clauses_fit_a_phone(served: tuple[LiveServer, int], driver: Any, lang: str) -> None:
    server, _ = served
    problems = {}
    for width in WIDTHS:
        _width(driver, width)
        driver.get(f"{server.url}/contract?lang={lang}")
        driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(CONTRACT))
        driver.execute_script("document.querySelector(\"form[action='/contract']\").submit()")
        WebDriverWait(driver, 60).until(ec.presence_of_element_located((By.ID, "contract-report")))
        clauses = driver.execute_script(
            "return document.querySelectorAll('#contract-report tbody tr').length"
        )
        assert clauses >= 10, clauses
        closed = driver.execute_script(SIDEWAYS, "#contract-report table")
        # a suggested wording opened to be copied fits as well
        driver.execute_script(
            "document.querySelectorAll('#contract-report details').forEach(d => d.open = true)"
        )
        opened = driver.execute_script(SIDEWAYS, "#contract-report table")
        if closed or opened:
            problems[width] = {"closed": closed, "opened": opened}
    assert not problems, problems


#: Menu entries broken over two lines, or past the screen's right edge.
MENU = """
const W = document.documentElement.clientWidth, out = [];
for (const a of document.querySelectorAll('.topbar .nav a, .topbar .right > *')) {
  const rects = [...a.getClientRects()], b = a.getBoundingClientRect();
  if (new Set(rects.map(r => Math.round(r.top))).size > 1) out.push(a.textContent.trim() + ': two lines');
  if (b.right > W + 1) out.push(a.textContent.trim() + ': ends at ' + Math.round(b.right) + ', screen ' + W);
}
return out;
"""


def _top_bar_problems(driver: Any, url: str, widths: tuple[int, ...]) -> dict[int, list[str]]:
    problems = {}
    for width in widths:
        _width(driver, width)
        driver.get(url)
        found = driver.execute_script(SIDEWAYS, "none") + driver.execute_script(MENU)
        if found:
            problems[width] = found
    return problems


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_top_bar_fits_a_tablet(live_local: LiveServer, driver: Any, lang: str) -> None:
    """The Russian menu and the local-mode pill needed 836 px: at 768 the page was 808 px wide."""
    widths = (1366, 1100, 960, 900, 820, 768, 700, 641)
    assert not _top_bar_problems(driver, f"{live_local.url}/upload?lang={lang}", widths)


@pytest.mark.postgres
@pytest.mark.redis
def test_top_bar_fits_with_a_signed_in_owner(
    team_db: dict[str, Any], redis_ok: str, tmp_path: Path, driver: Any
) -> None:
    """The owner's name, role and "Выйти" take more room than the local-mode pill."""
    from tests.web.web_helpers import PASSWORD, team_config

    with LiveServer(team_config(tmp_path, team_db["url"], redis_ok)) as server:
        driver.get(f"{server.url}/login?lang=ru")
        WebDriverWait(driver, 30).until(ec.visibility_of_element_located((By.ID, "username")))
        driver.find_element(By.ID, "username").send_keys("olga")
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.execute_script("document.getElementById('login-button').click()")
        WebDriverWait(driver, 30).until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".topbar .who")))
        widths = (1366, 1100, 1024, 960, 900, 768, 700)
        assert not _top_bar_problems(driver, f"{server.url}/upload?lang=ru", widths)


#: A word of a name; a name may break after a hyphen of its own ("Северо-|Западная").
NAME_PIECE = r"[^\s-]+-?"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_contacts_fit_the_main_column(served: tuple[LiveServer, int], driver: Any, lang: str) -> None:
    """A long company name, its risk, behaviour chips and signal words needed 632 px: the table
    scrolled inside its 629 px card at 1100 px (553 at 1024, 394 on a phone)."""
    server, client_id = served
    table = "section.card.scroll-x table"  # the contacts: the client page's one such card
    problems = {}
    for width in WIDTHS:
        _width(driver, width)
        driver.get(f"{server.url}/clients/{client_id}?lang={lang}")
        rows = driver.execute_script(
            "return document.querySelectorAll(arguments[0] + ' tbody tr').length", table
        )
        assert rows >= 1, width
        found = {
            "sideways": driver.execute_script(SIDEWAYS, table),
            "names broken": driver.execute_script(SPLIT, f"{table} td:first-child", NAME_PIECE),
        }
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[width] = found
    assert not problems, problems
