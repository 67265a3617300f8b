"""QA pass 6 on the dashboard, as a Russian freelancer and an English agency lead.

* N1 notes form: a double click on "Добавить заметку" (or the form sent again) chained the
  same note twice into the append-only evidence log, where a copy can never be removed.
* N3 team page: hours were printed with ``%.1f``: 7.25 h logged read "7.2", and Russian
  pages showed "0.0" with a decimal point while ``clientguard time add`` said "7,25 ч".
* N4 team chart: its weeks were the latest 12 weeks that had messages, so 2025-W17 stood
  next to 2025-W36 as if a week apart; the table under it skipped W42–W45 the same way.
* N7 team page, local mode: logging time for one client as "me" dropped every other client
  from "me"'s stress chart and spill-over.
* N8 team page: a client's invoices were summed across currencies (44 000 RUB + 1 000 USD
  read "45,000 RUB", 11,250 RUB an hour).
* N11 upload: a stored chat uploaded for a mistyped client moved there with all its history
  while the job said only "0 new messages, 49 already stored"; a look-alike new client
  went unmentioned too.
* N13 portfolio: a search or level that matched nobody said "no clients yet, upload an
  export" on a portfolio of fifteen clients.
* N14 team page, local mode: the local user was "me" on Russian pages too.
* N15 presale: brief quotes were cut at 60 characters mid-word and without "…".
* N16 portfolio cards: "1 клиентов", "3 просроченных счетов" (the words did not decline).
* N17 team chart: its accessible name was "stress" in every language.
* N9 language switch: a plain "?lang=en" link dropped the portfolio's search and level filter.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import func, select, update

from clientguard.store.models_evidence import NoteRow
from clientguard.web.pages import clip
from clientguard.web.timelog import add_time, team_view, week_run
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config, wait_job

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

IGOR = quote("Игорь")
NOTE = {"text": "Созвон 12.09: согласовали 2 правки на пост", "kind": "call", "day": "2025-09-12"}


@pytest.fixture()
def app_client(tmp_home: Path) -> TestClient:
    client = TestClient(create_app(local_config(tmp_home)))
    client.__enter__()
    client.app.state.cg.store.import_paths([SAMPLE_CHAT])  # type: ignore[attr-defined]
    client.get("/")  # the CSRF cookie
    yield client  # type: ignore[misc]
    client.__exit__(None, None, None)


def _post_note(client: TestClient, form: dict[str, str]) -> int:
    data = {"csrf": client.cookies.get("cg_csrf") or ""} | form
    return client.post("/clients/1/notes?lang=ru", data=data, follow_redirects=False).status_code


def _count(client: TestClient, what: str) -> int:
    """Notes stored, or note records chained into the evidence log."""
    engine = client.app.state.cg.store.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        if what == "notes":
            return int(conn.execute(select(func.count()).select_from(NoteRow)).scalar_one())
        sql = "SELECT count(*) FROM evidence_records WHERE kind = 'note'"
        return int(conn.exec_driver_sql(sql).scalar_one())


@pytest.mark.parametrize(
    ("second", "stored"),
    [
        (NOTE, 1),  # the same submission twice: one note
        (NOTE | {"text": "  " + NOTE["text"] + " "}, 1),  # the same words, as stored
        (NOTE | {"text": "Созвон 12.09: согласовали 3 правки на пост"}, 2),
        (NOTE | {"kind": "meeting"}, 2),
        (NOTE | {"day": "2025-09-13"}, 2),
        (NOTE | {"day": ""}, 2),
    ],
)
def test_a_note_sent_twice_is_recorded_once(
    app_client: TestClient, second: dict[str, str], stored: int
) -> None:
    assert _post_note(app_client, NOTE) == 303
    assert _post_note(app_client, second) == 303  # the user lands on the notes either way
    assert _count(app_client, "notes") == stored
    assert _count(app_client, "records") == stored


def test_the_same_note_later_is_a_new_note(app_client: TestClient) -> None:
    """Only a repeat within minutes is a double submission: the same call next week is not."""
    assert _post_note(app_client, NOTE) == 303
    engine = app_client.app.state.cg.store.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(update(NoteRow).values(created_at=datetime.now(UTC) - timedelta(hours=1)))
    assert _post_note(app_client, NOTE) == 303
    assert _count(app_client, "notes") == 2


@pytest.mark.parametrize(
    ("hours", "lang", "shown"),
    [
        (7.25, "ru", "7,25"),
        (7.25, "en", "7.25"),
        (0.5, "ru", "0,5"),
        (12.0, "ru", "12"),
        (1.75, "en", "1.75"),
    ],
)
def test_team_hours_are_shown_as_logged(app_client: TestClient, hours: float, lang: str, shown: str) -> None:
    store = app_client.app.state.cg.store  # type: ignore[attr-defined]
    add_time(store, store.clients()[0].name, hours, "anna")
    page = app_client.get(f"/team?lang={lang}").text
    cells = re.findall(r'<td class="num">([^<]*)</td>', page)
    assert cells.count(shown) >= 2, cells  # the client's hours and anna's hours on it
    assert "7.2<" not in page and "0.0<" not in page


@pytest.mark.parametrize(
    ("weeks", "first", "last"),
    [
        ({"2025-W16", "2025-W17", "2025-W36", "2025-W45"}, "2025-W34", "2025-W45"),
        ({"2026-W02"}, "2025-W43", "2026-W02"),  # across the new year
        ({"2021-W05", "2020-W53"}, "2020-W47", "2021-W05"),  # a year of 53 weeks
    ],
)
def test_team_weeks_run_without_gaps(weeks: set[str], first: str, last: str) -> None:
    run = week_run(weeks)
    assert (len(run), run[0], run[-1]) == (12, first, last)
    for a, b in pairwise(run):
        ya, wa = (int(x) for x in a.split("-W"))
        yb, wb = (int(x) for x in b.split("-W"))
        assert (datetime.fromisocalendar(yb, wb, 1) - datetime.fromisocalendar(ya, wa, 1)).days == 7


def test_team_chart_shows_quiet_weeks_as_zero(app_client: TestClient) -> None:
    store = app_client.app.state.cg.store  # type: ignore[attr-defined]
    summaries = {
        1: {"name": "A", "level": "critical", "weeks": {"2025-W16": 8, "2025-W17": 1}},
        2: {"name": "B", "level": "low", "weeks": {"2025-W40": 13, "2025-W41": 23, "2025-W45": 0}},
    }
    view = team_view(store, summaries)
    assert view.weeks[-6:] == ["2025-W40", "2025-W41", "2025-W42", "2025-W43", "2025-W44", "2025-W45"]
    assert "2025-W16" not in view.weeks  # outside the last 12 weeks
    assert view.stress == [("me", [0, 0, 0, 0, 0, 0, 13, 23, 0, 0, 0, 0])]


def test_local_time_entry_keeps_every_client_on_the_team_page(app_client: TestClient) -> None:
    """N7: in local mode one ``time add … --member me`` left "me" that client alone: the
    flagged messages of every other client vanished from the stress chart and spill-over."""
    store = app_client.app.state.cg.store  # type: ignore[attr-defined]
    summaries = {
        1: {"name": store.clients()[0].name, "level": "low", "weeks": {"2025-W40": 1}},
        2: {"name": "B", "level": "critical", "weeks": {"2025-W41": 23, "2025-W42": 26}},
    }
    before = team_view(store, summaries)
    add_time(store, store.clients()[0].name, 1.5, "me")
    add_time(store, store.clients()[0].name, 2.0, "anna")
    after = team_view(store, summaries)
    assert dict(after.stress)["me"] == dict(before.stress)["me"]
    assert sum(dict(after.stress)["me"]) == 50
    assert sum(dict(after.stress)["anna"]) == 1  # a helper has the clients she logged time on
    me = next(s for s in after.spill if s["member"] == "me")
    assert me["toxic"] == ["B"] and me["other_hours"] == 1.5


@pytest.mark.parametrize(
    ("invoices", "revenue", "per_hour"),
    [
        ([(44000, "RUB"), (1000, "USD")], "44,000 RUB + 1,000 USD", "11,000 RUB + 250 USD"),
        ([(30000, "RUB"), (14000, "RUB")], "44,000 RUB", "11,000 RUB"),
        ([(500, "EUR"), (44000, "RUB"), (300, "EUR")], "800 EUR + 44,000 RUB", "200 EUR + 11,000 RUB"),
    ],
)
def test_team_revenue_keeps_currencies_apart(
    app_client: TestClient, invoices: list[tuple[int, str]], revenue: str, per_hour: str
) -> None:
    """N8: one sum per client added 1 000 USD to 44 000 RUB and showed "45,000 RUB"."""
    from clientguard.contracts.repo import add_invoice

    store = app_client.app.state.cg.store  # type: ignore[attr-defined]
    name = store.clients()[0].name
    for i, (amount, currency) in enumerate(invoices):
        add_invoice(store, name, amount, "2025-09-30", "2025-09-01", number=f"N{i}", currency=currency)
    add_time(store, name, 4, "me")
    page = app_client.get("/team?lang=en").text
    row = re.search(r"<tr><td><span class=\"dot[^>]*></span><a href=\"/clients/1\">.*?</tr>", page)
    assert row, page[-800:]
    # each sum is in its own no-wrap span (a sum never wraps inside; its currency is tied to
    # it with U+00A0, as everywhere): compared as text
    cells = [
        re.sub(r"<[^>]+>", "", c).replace("\u00a0", " ")
        for c in re.findall(r'<td class="num">(.*?)</td>', row.group(0))
    ]
    assert cells == ["4", revenue, per_hour]


@pytest.mark.parametrize(
    ("page", "switch"),
    [
        ("/?lang=ru", "?lang=en"),
        (f"/?q={IGOR}&level=critical&lang=ru", f"?q={IGOR}&level=critical&lang=en"),
        ("/?level=high&lang=en", "?level=high&lang=ru"),
        ("/clients/1?lang=en", "?lang=ru"),
    ],
)
def test_language_switch_keeps_the_filters(app_client: TestClient, page: str, switch: str) -> None:
    """N9: the switch was "?lang=en" on every page, so it dropped the portfolio's search and level."""
    found = re.search(r'<a class="lang" href="([^"]*)"', app_client.get(page).text)
    assert found and html.unescape(found.group(1)) == switch


CONTRACT = "ДОГОВОР\n1. Исполнитель вносит не более 2 раундов правок.\n2. Оплата в течение 5 дней.\n"


def _send_contract(client: TestClient, form: str, name: str, lang: str, create: bool) -> tuple[int, str, str]:
    data = {"csrf": client.cookies.get("cg_csrf") or "", "client": name}
    if create:
        data["create_client"] = "1"
    if form == "upload":
        data["kind"] = "contract"
    r = client.post(
        f"/{form}?lang={lang}",
        data=data,
        files={"file": ("договор.md", CONTRACT.encode())},
        headers={"accept": "text/html"},
        follow_redirects=False,
    )
    return r.status_code, html.unescape(r.text), r.headers.get("location", "")


@pytest.mark.parametrize("form", ["upload", "contract"])
@pytest.mark.parametrize(
    ("name", "create", "lang", "refused", "words"),
    [
        ("Игорь Пенкн", False, "ru", True, "может быть, «Игорь Пенкин»?"),
        ("Igor Penkin", False, "en", True, "there is no client “Igor Penkin”"),
        ("Совсем Другой", False, "ru", True, "клиента «Совсем Другой» нет. Проверьте имя"),
        ("игорь пенкин", False, "ru", False, ""),  # the stored client, whatever the case
        ("Совсем Другой", True, "ru", False, ""),  # a new client on purpose
    ],
)
def test_contract_for_an_unknown_client_asks_first(
    app_client: TestClient, form: str, name: str, create: bool, lang: str, refused: bool, words: str
) -> None:
    """N10: both contract forms created any name typed: a contract for "Игорь Пенкн" made a
    phantom client holding it while Игорь Пенкин's page still said "no contract"."""
    store = app_client.app.state.cg.store  # type: ignore[attr-defined]
    before = [c.name for c in store.clients()]
    status, page, location = _send_contract(app_client, form, name, lang, create)
    if refused:
        assert status == 400
        alert = re.search(r'id="error-message" role="alert">(.*?)</p>', page, re.S)
        assert alert and words in alert.group(1), page[-1500:]
        assert 'name="create_client"' in page and f'value="{name}"' in page  # the way out
        assert [c.name for c in store.clients()] == before
    else:
        assert status in (200, 303), page[-1500:]
        if form == "upload":
            assert wait_job(app_client, location)["status"] == "done"
        expected = before + ([name] if create else [])
        assert sorted(c.name for c in store.clients()) == sorted(expected)


def _upload_chat(client: TestClient, path: Path, name: str, lang: str) -> tuple[dict[str, Any], str]:
    """Upload ``path`` for client ``name``: the job's JSON and its page's text."""
    with path.open("rb") as fh:
        r = client.post(
            "/upload",
            files={"file": (path.name, fh)},
            data={"csrf": client.cookies.get("cg_csrf") or "", "client": name},
            follow_redirects=False,
        )
    job = wait_job(client, r.headers["location"])
    page = client.get(f"{r.headers['location']}?lang={lang}").text
    return job, html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", "перенесена от клиента «Игорь Пенкин» к клиенту «Игорь Пенкн» вместе со всеми её сообщениями"),
        ("en", "moved from client “Игорь Пенкин” to client “Игорь Пенкн” with all its messages"),
    ],
)
def test_upload_says_when_it_moves_a_stored_chat(app_client: TestClient, lang: str, words: str) -> None:
    """N11: the same chat uploaded for a mistyped client moved there with all its history
    ("Геннадий Кравец" was left with 0 messages) while the job said only "0 new, 49 stored"."""
    store = app_client.app.state.cg.store  # type: ignore[attr-defined]
    assert [c.name for c in store.clients()] == ["Игорь Пенкин"]
    job, page = _upload_chat(app_client, SAMPLE_CHAT, "Игорь Пенкн", lang)
    assert job["status"] == "done" and job["result"]["moved"], job
    assert words in page
    assert "Игорь Пенкн" in page and "похожие" not in page  # said once, as a move


def test_upload_names_a_new_client_that_looks_like_a_stored_one(
    app_client: TestClient, tmp_path: Path
) -> None:
    other = tmp_path / "chat.txt"
    other.write_text("01.10.2025, 10:00 - Анна: Добрый день\n01.10.2025, 10:05 - Игорь: ок\n", "utf-8")
    job, page = _upload_chat(app_client, other, "Игорь Пенкн", "ru")
    assert job["result"]["new_alike"] == [{"name": "Игорь Пенкн", "close": ["Игорь Пенкин"]}], job
    assert "Заведён новый клиент «Игорь Пенкн», а в базе есть похожие: «Игорь Пенкин»." in page
    job, page = _upload_chat(app_client, other.rename(tmp_path / "b.txt"), "Агентство Север", "ru")
    assert job["result"]["new_alike"] == [] and "похожие" not in page  # nothing alike: no note


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(
    ("query", "lang", "words"),
    [
        ("q=zzz", "ru", "Нет клиентов, чьё имя подходит под «zzz»."),
        ("q=zzz", "en", "No client name matches “zzz”."),
        ("level=low", "ru", "Нет клиентов с уровнем риска «низкий»."),
        ("q=zzz&level=high", "en", "No client at risk level “high” has a name matching “zzz”."),
    ],
)
def test_a_search_that_finds_nobody_says_so(
    app_client: TestClient, query: str, lang: str, words: str, htmx: bool
) -> None:
    """N13: a search or level that matched nobody said "no clients yet, upload an export"
    on a portfolio of fifteen clients."""
    headers = {"hx-request": "true"} if htmx else {}
    page = html.unescape(app_client.get(f"/?{query}&lang={lang}", headers=headers).text)
    cell = re.search(r'id="no-match">(.*?)</td>', page, re.S)
    assert cell and words in cell.group(1), page[-1500:]
    assert 'href="/"' in cell.group(1)  # the way back to every client
    assert "пока нет" not in page and "yet" not in page.split("<tbody")[-1]


def test_an_empty_portfolio_still_invites_an_upload(tmp_home: Path) -> None:
    with TestClient(create_app(local_config(tmp_home))) as client:
        page = html.unescape(client.get("/?lang=ru").text)
    assert "Клиентов пока нет" in page and 'id="no-match"' not in page


@pytest.mark.parametrize(("lang", "you"), [("ru", "Вы"), ("en", "You")])
def test_the_local_user_is_you_on_the_team_page(app_client: TestClient, lang: str, you: str) -> None:
    """N14: the team table, chart legend and spill-over named the local user "me" on a
    Russian page; helpers keep the names their time was logged under."""
    store = app_client.app.state.cg.store  # type: ignore[attr-defined]
    add_time(store, store.clients()[0].name, 1.5, "anna")
    page = app_client.get(f"/team?lang={lang}").text
    table = re.search(r'id="stress-table">(.*?)</table>', page, re.S)
    assert table, page[-1500:]
    members = re.findall(r"</span>([^<]+)</td>", table.group(1))
    assert members == ["anna", you]
    assert f"<strong>{you}</strong>" in page  # spill-over
    assert ">me<" not in page and "me ·" not in page  # nor in the chart's tooltips


@pytest.mark.parametrize(
    ("text", "limit", "shown"),
    [
        ("Аудитория: офисные сотрудники 25–40 лет, которые идут мимо на работу.", 60,
         "Аудитория: офисные сотрудники 25–40 лет, которые идут мимо…"),
        ("Цель: больше заявок.", 60, "Цель: больше заявок."),
        ("Budget: 50k a month for ads, plus the fee, paid weekly", 30, "Budget: 50k a month for ads…"),
        ("Нужно\n  срочно,   к пятнице", 60, "Нужно срочно, к пятнице"),
        ("Оченьдлинноесловобезпробеловкотороенекудаперенести", 20, "Оченьдлинноесловобез…"),
    ],
)  # fmt: skip
def test_clip_cuts_at_a_word_and_marks_the_cut(text: str, limit: int, shown: str) -> None:
    assert clip(text, limit) == shown


def test_presale_brief_quotes_show_where_they_were_cut(app_client: TestClient) -> None:
    """N15: brief quotes were cut with [:60]: "«…которые идут мимо н»", mid-word and
    with no mark, read as the whole of what the lead wrote."""
    brief = "Аудитория: офисные сотрудники 25–40 лет из бизнес-центров, которые идут мимо кофейни на работу."
    r = app_client.post(
        "/presale?lang=ru",
        data={"csrf": app_client.cookies.get("cg_csrf") or "", "messages": "", "brief": brief},
    )
    assert r.status_code == 200
    quotes = re.findall(r'<span class="muted small">«([^»]*)»</span>', html.unescape(r.text))
    cut = [q[:-1] for q in quotes if q.endswith("…")]
    assert cut, quotes  # the audience is longer than a quote
    for q in cut:
        at = brief.index(q) + len(q)
        assert brief[at] in " ,.;:", (q, brief[at:])  # cut between words, and marked


@pytest.mark.parametrize(
    ("n", "lang", "clients", "overdue"),
    [
        (1, "ru", "клиент", "просроченный счёт"),
        (3, "ru", "клиента", "просроченных счёта"),
        (5, "ru", "клиентов", "просроченных счетов"),
        (21, "ru", "клиент", "просроченный счёт"),
        (1, "en", "client", "overdue invoice"),
        (3, "en", "clients", "overdue invoices"),
    ],
)
def test_portfolio_cards_decline_their_words(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch, n: int, lang: str, clients: str, overdue: str
) -> None:
    """N16: the cards under the counts were fixed words: "1 клиентов", "3 просроченных счетов"."""
    from clientguard.web.profiles import PortfolioRow

    data = {"messages": 0, "archetypes": [], "overdue": 0, "revisions_over": 0}
    data["overdue_amounts"] = [["RUB", 1.0]]
    rows = [PortfolioRow(i + 1, f"К{i}", 80, "high", "stable", data | {"name": f"К{i}"}) for i in range(n)]
    rows[0].data["overdue"] = n  # n overdue invoices in all
    st = app_client.app.state.cg  # type: ignore[attr-defined]
    monkeypatch.setattr(st.cache, "portfolio", lambda allowed=None: rows)
    page = html.unescape(app_client.get(f"/?lang={lang}").text)
    cards = re.findall(r'<div class="num[^"]*">(\d+)</div><div class="lbl">([^<]*)</div>', page)
    assert cards[0] == (str(n), clients) and cards[2] == (str(n), overdue), cards


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_team_chart_is_named_in_the_page_language(app_client: TestClient, lang: str) -> None:
    """N17: the stress chart's accessible name was the English id "stress" on every page."""
    from clientguard.web.i18n import texts

    page = app_client.get(f"/team?lang={lang}").text
    names = re.findall(r'<svg class="chart" role="img" aria-label="([^"]*)"', page)
    assert names == [html.escape(texts(lang)["stress_load"])], names
