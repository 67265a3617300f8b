"""The team page, a group chat's client page and its HTML report at real widths (twentieth session).

Headless Chromium at 1366, 1100, 1024, 960 and 420 px with long Russian names (members,
clients, three people on the client's side of one group chat) and big sums in two currencies:

- the team page on a phone scrolled sideways inside four cards: load by week (488 px in a
  394 px card), time vs revenue (487; 537 in English), spill (517) and the owner's users
  table (646). Now the name has a line of its own and the figures go under their column's
  word; a user is a card, role, access and removal one under another;
- the HTML report of ``clientguard analyze --html`` for the group chat, on a phone: the
  contacts (585 px in 404) and the invoices (439) scrolled inside their box. Now each
  contact and each invoice is a card;
- the client page of the group chat (three contacts with their own risk, behaviour types
  and signals) fits at every width since 3395f79; it is checked here with that data.

Every check runs at every width, so a layout that fits one width by breaking another fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.web.test_web_browser_reflow import DAY, NAME_PIECE, NAMES, SIDEWAYS, SPLIT, SUM, WIDTHS
from tests.web.web_helpers import PASSWORD, SAMPLE_CHAT, LiveServer, chrome, team_config
from tests.web.web_helpers import sample_chat_as as _chat

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GROUP = "ООО «Медиагруппа Объединённые информационно-рекламные технологии»"
#: Three people on the client's side of the group chat (name, Telegram sender id).
SENDERS = (
    ("Александра Константинопольская-Преображенская", "user8880001"),
    ("Вячеслав Никифоровский (директор по маркетингу)", "user8880002"),
    ("Екатерина Великорецкая", "user8880003"),
)
#: The team: the owner signs in; the others have long names of two words.
MEMBERS = (
    ("olga", "owner"),
    ("Анна Смирнова-Кондратьева", "specialist"),
    ("Вячеслав Преображенский", "specialist"),
    ("Екатерина Виноградова", "manager"),
)

#: A table's figure not under its column's word: for every visible header cell of a table
#: (``arguments[0]``), the row's cell of the same place must overlap it side to side.
UNDER_HEADER = """
const out = [];
for (const t of document.querySelectorAll(arguments[0])) {
  const heads = [...t.querySelectorAll('thead th')];
  for (const row of t.querySelectorAll('tbody tr')) {
    [...row.cells].forEach((cell, i) => {
      const h = heads[i] && heads[i].getBoundingClientRect(), c = cell.getBoundingClientRect();
      if (!h || h.width <= 8 || h.height <= 8) return;
      if (c.right < h.left + 1 || c.left > h.right - 1) {
        out.push(heads[i].textContent.trim() + ': ' + cell.textContent.trim().slice(0, 20));
      }
    });
  }
}
return out;
"""


def _width(driver: Any, width: int) -> None:
    """The screen ``width`` px wide (a phone below 600: a window cannot be that narrow)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def _group_chat(tmp: Path) -> Path:
    """A Telegram group export: the client's messages of the sample chat said in turn by three people."""
    data = json.loads(SAMPLE_CHAT.read_text(encoding="utf-8"))
    data["name"], data["id"], data["type"] = GROUP, 7_779_999, "private_group"
    said = 0
    for m in data["messages"]:
        if m.get("from_id") == "user5550002":
            m["from"], m["from_id"] = SENDERS[said % len(SENDERS)]
            said += 1
        m["id"] += 90_000
    path = tmp / "group.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _fill(store: Any, tmp: Path, members: tuple[str, ...], team: bool) -> dict[str, int]:
    """Four long-named clients and the group chat, each with invoices in two currencies, one part
    paid, and hours by every member over four weeks; in a team a member sees every other client."""
    from clientguard.contracts.repo import add_invoice, pay_invoice
    from clientguard.web.auth import grant
    from clientguard.web.timelog import add_time

    for k, name in enumerate(NAMES):
        store.import_paths([_chat(tmp, k, name)], client=name)
    store.import_paths([_group_chat(tmp)], client=GROUP, me=["user5550001"])
    clients = (*NAMES, GROUP)
    for k, name in enumerate(clients):
        add_invoice(store, name, 1_250_000.5, "2025-09-30", "2025-09-01", number=f"СЧ-2025/0{k}17")
        add_invoice(store, name, 985_000, "2025-10-15", "2025-10-01", number=f"2025-{k}18")
        pay_invoice(store, name, f"2025-{k}18", "2025-10-10", 400_000.25)
        add_invoice(store, name, 23_400.75, "2025-09-10", "2025-09-01", number=f"USD-{k}", currency="USD")
        for i, member in enumerate(members):
            if team and member != "olga" and (k + i) % 2:
                grant(store, member, name)
            for week in range(0, 8, 2):
                day = date(2025, 9, 1) + timedelta(days=7 * week + i)
                add_time(store, name, 7.25 + k + i, member, day=day, note="Подготовка контент-плана")
    return {c.name: c.id for c in store.clients()}


@pytest.fixture()
def driver() -> Iterator[Any]:
    with chrome("--window-size=1366,900") as d:
        yield d


@pytest.fixture()
def team_server(pg_url_schema: str, redis_ok: str, tmp_path: Path) -> Iterator[LiveServer]:
    """Team mode with the long names, the owner ``olga`` and three members."""
    from clientguard.store import open_store
    from clientguard.web.auth import add_user

    with open_store(pg_url_schema) as store:
        for name, role in MEMBERS:
            add_user(store, name, role, PASSWORD)
        _fill(store, tmp_path, tuple(n for n, _ in MEMBERS), team=True)
    with LiveServer(team_config(tmp_path, pg_url_schema, redis_ok)) as server:
        yield server


def _sign_in(driver: Any, url: str, name: str) -> None:
    driver.get(f"{url}/login?lang=ru")
    WebDriverWait(driver, 30).until(ec.visibility_of_element_located((By.ID, "username")))
    driver.find_element(By.ID, "username").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.execute_script("document.getElementById('login-button').click()")
    WebDriverWait(driver, 30).until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".topbar .who")))


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_team_page_fits_every_width(team_server: LiveServer, driver: Any, lang: str) -> None:
    """Load by week, time vs revenue, spill and the owner's users: nothing scrolls sideways, names
    break between words only, a sum stays whole, a figure stays under its column's word."""
    _sign_in(driver, team_server.url, "olga")
    problems = {}
    for width in WIDTHS:
        _width(driver, width)
        driver.get(f"{team_server.url}/team?lang={lang}")
        counts = driver.execute_script(
            "return [...document.querySelectorAll('.card table')].map(t => t.tBodies[0].rows.length)"
        )
        assert counts == [4, 5, 4, 4], (width, counts)  # members; clients; members; users
        names = (
            ".card table td:first-child > a, .card table td:first-child > strong, "
            "#stress-table td:first-child, .card table .chip"
        )
        found = {
            "sideways": driver.execute_script(SIDEWAYS, ".card table"),
            "names broken": driver.execute_script(SPLIT, names, NAME_PIECE),
            "sums broken": driver.execute_script(SPLIT, ".card table td.num", SUM),
            "not under their word": driver.execute_script(UNDER_HEADER, ".card table"),
        }
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[width] = found
    assert not problems, problems


# -- a group chat: three people on the client's side ---------------------------------------

#: The report has no cards: the page, a table or the box it scrolls in wider than it shows.
REPORT_SIDEWAYS = """
const out = [], doc = document.documentElement;
if (doc.scrollWidth > doc.clientWidth) out.push('page ' + doc.scrollWidth + ' px in ' + doc.clientWidth);
for (const t of document.querySelectorAll('table')) {
  const box = t.parentElement, head = t.rows[0].textContent.trim().slice(0, 20) + ': ';
  if (t.scrollWidth > t.clientWidth + 1) out.push(head + 'table ' + t.scrollWidth + ' in ' + t.clientWidth);
  const b = box.scrollWidth, c = box.clientWidth;
  if (b > c + 1) out.push(head + 'box ' + b + ' in ' + c);
}
return out;
"""


@pytest.fixture()
def group(live_local: LiveServer, tmp_path: Path) -> tuple[LiveServer, int]:
    store = live_local.app.state.cg.store
    ids = _fill(store, tmp_path, ("me", "Анна Смирнова-Кондратьева"), team=False)
    return live_local, ids[GROUP]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_group_chat_client_page_and_report_fit(
    group: tuple[LiveServer, int], driver: Any, tmp_path: Path, lang: str
) -> None:
    """Three contacts of one chat, each with a long name: the client page and the HTML report."""
    from typer.testing import CliRunner

    from clientguard.cli import build_app

    server, client_id = group
    db = server.app.state.cg.cfg.db_url
    report = tmp_path / f"report_{lang}.html"
    args = ["--lang", lang, "analyze", "--db", db, "--client", GROUP, "--html", str(report)]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    problems: dict[str, Any] = {}
    for width in WIDTHS:
        _width(driver, width)
        driver.get(f"{server.url}/clients/{client_id}?lang={lang}")
        contacts = driver.execute_script(
            "return [...document.querySelectorAll('.table.contacts tbody td:first-child')]"
            ".map(td => td.textContent.trim())"
        )
        assert sorted(contacts) == sorted(n for n, _ in SENDERS), (width, contacts)
        found = {
            "sideways": driver.execute_script(SIDEWAYS, ".card table"),
            "names broken": driver.execute_script(
                SPLIT, ".table.contacts td:first-child, .msg-head bdi, .quote footer bdi", NAME_PIECE
            ),
            "sums broken": driver.execute_script(SPLIT, ".card table td.num", SUM),
            "days broken": driver.execute_script(SPLIT, ".table.invoices td, .quote footer, .msg-head", DAY),
        }
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[f"page {width}"] = found
        driver.get(report.as_uri())
        shown = driver.execute_script(
            "return [...document.querySelectorAll('table')].some(t => t.textContent.includes(arguments[0]))",
            SENDERS[0][0],
        )
        assert shown, width
        found = {
            "sideways": driver.execute_script(REPORT_SIDEWAYS),
            "names broken": driver.execute_script(SPLIT, "table td:first-child", NAME_PIECE),
            "sums broken": driver.execute_script(SPLIT, "table td", SUM),
            "days broken": driver.execute_script(SPLIT, "table td", DAY),
        }
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[f"report {width}"] = found
    assert not problems, problems
