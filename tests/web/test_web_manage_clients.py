"""The dashboard renames, merges and renumbers, as ``clients rename|merge`` and ``invoice renumber``.

Before, a web user who imported one customer twice under two names, or whose two clients
both had an invoice 1, had to go to the command line: the dashboard had none of it. The
manage page (rename, merge) and the money section's renumber form call the CLI's store
functions, so each change is one logged write (every client's evidence log verifies
after it), a refusal is the store's, in the page's language, and the profile caches
follow. Local mode on SQLite here; team access on PostgreSQL in
``test_web_team_manage_clients.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from clientguard.contracts.repo import add_invoice, invoices, pay_invoice
from clientguard.evidence.verify import client_ids, verify_client
from clientguard.store import open_store
from clientguard.store.lookup import find_client, live_names
from tests.web.web_helpers import ROOT, SAMPLE_CHAT, TestClient, create_app, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

CALLS = ROOT / "tests" / "fixtures" / "calls" / "telegram_night_calls.json"
A, B = "Кофейня «Пенка»", "Ночной клиент"


@pytest.fixture()
def two(tmp_home: Path) -> Iterator[tuple[TestClient, dict[str, int], str]]:
    """A (the sample chat, 27 messages) and B (10 messages): each has an invoice 1, B's paid."""
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client=A)
        store.import_paths([CALLS], client=B)
        add_invoice(store, A, 300, "2025-09-20", "2025-09-01", "1")
        add_invoice(store, B, 1000, "2025-09-20", "2025-09-01", "1")
        pay_invoice(store, B, "1", "2025-09-02", 400)
        ids = {c.name: c.id for c in store.clients()}
    with TestClient(create_app(cfg)) as web:
        web.get("/")  # the CSRF cookie
        yield web, ids, cfg.db_url


def post(web: TestClient, path: str, lang: str = "ru", **data: str) -> Any:
    token = web.cookies.get("cg_csrf") or ""
    return web.post(f"{path}?lang={lang}", data={"csrf": token, **data}, follow_redirects=False)


def said(html: str, what: str = "error-message") -> str:
    found = re.search(rf'id="{what}"[^>]*>([^<]*)<', html)
    assert found, f"no {what} on the page"
    return unescape(found.group(1)).strip()


def all_verify(url: str) -> dict[int, bool]:
    """Every client's evidence log, the closed ones' too, as ``evidence verify`` walks them."""
    with open_store(url) as store, store.engine.connect() as conn:
        reports = {cid: verify_client(conn, cid) for cid in client_ids(conn)}
    bad = {cid: [(p.what, p.ref) for p in r.problems][:3] for cid, r in reports.items() if not r.ok}
    assert not bad, bad
    return {cid: r.ok for cid, r in reports.items()}


def names(url: str) -> list[str]:
    with open_store(url) as store, store.engine.connect() as conn:
        return sorted(live_names(conn))


def numbers(url: str, client: str) -> list[str]:
    with open_store(url) as store:
        return sorted(i.id for i in invoices(store, client, include_voided=True))


def records(url: str, cid: int, kind: str) -> list[dict[str, Any]]:
    with open_store(url) as store, store.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT payload FROM evidence_records WHERE client_id = :c AND kind = :k ORDER BY seq"),
            {"c": cid, "k": kind},
        ).scalars()
        return [json.loads(p) for p in rows]


# -- rename ---------------------------------------------------------------------------------
def test_the_client_page_links_the_manage_page_and_it_offers_both_forms(
    two: tuple[TestClient, dict[str, int], str],
) -> None:
    web, ids, _ = two
    page = web.get(f"/clients/{ids[B]}").text
    assert f'href="/clients/{ids[B]}/manage"' in page
    manage = web.get(f"/clients/{ids[B]}/manage")
    assert manage.status_code == 200
    assert 'id="rename-form"' in manage.text and 'id="merge-form"' in manage.text
    assert "суффикс «-merged» (1 → 1-merged)" in unescape(manage.text)  # what --renumber does
    # the clients it can go into: the live ones, not itself
    offered = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', manage.text)
    assert [(int(i), unescape(n)) for i, n in offered] == [(ids[A], A)]


def test_a_rename_is_the_clis_logged_and_said(two: tuple[TestClient, dict[str, int], str]) -> None:
    web, ids, url = two
    r = post(web, f"/clients/{ids[B]}/rename", new_name="  ООО   Ночь  ")
    assert r.status_code == 303 and r.headers["location"] == f"/clients/{ids[B]}?done=renamed"
    page = web.get(r.headers["location"]).text
    assert said(page, "done-message") == "✓ Клиент переименован; прежнее имя по-прежнему находит его."
    assert "<h1>ООО Ночь</h1>" in page  # spaces as the store keeps them
    assert names(url) == sorted([A, "ООО Ночь"])
    with open_store(url) as store, store.engine.connect() as conn:
        assert find_client(conn, B) == (ids[B], "ООО Ночь")  # the old name is an alias
    assert records(url, ids[B], "renamed") == [{"by": None, "from": B, "to": "ООО Ночь"}]
    all_verify(url)
    manage = web.get(f"/clients/{ids[B]}/manage").text
    assert said(manage, "aliases").endswith(f"«{B}»")
    assert "ООО Ночь" in web.get("/").text  # the portfolio follows


@pytest.mark.parametrize(
    ("new", "lang", "message"),
    [
        ("   ", "ru", "«Новое имя»: поле не заполнено."),
        ("кофейня «пенка»", "ru", "Клиент «Кофейня „Пенка“» уже есть (имена сравниваются без учёта регистра"),
        ("КОФЕЙНЯ «ПЁНКА»", "en", "A client named “Кофейня ‘Пенка’” already exists (names are compared"),
        (B, "en", f"The client is already named “{B}”; nothing changed."),
        ("я" * 301, "ru", "«Новое имя»: не длиннее 300 символов, введено 301."),
    ],
)
def test_a_rename_the_store_refuses_comes_back_in_the_pages_language(
    two: tuple[TestClient, dict[str, int], str], new: str, lang: str, message: str
) -> None:
    web, ids, url = two
    r = post(web, f"/clients/{ids[B]}/rename", lang=lang, new_name=new)
    assert r.status_code == 400
    assert said(r.text).startswith(message), said(r.text)
    assert f'value="{new}"' in unescape(r.text) or not new.strip()  # what was typed is kept
    assert names(url) == sorted([A, B])
    assert records(url, ids[B], "renamed") == []


# -- merge ----------------------------------------------------------------------------------
def test_a_merge_needs_a_client_chosen_and_the_box_ticked(
    two: tuple[TestClient, dict[str, int], str],
) -> None:
    web, ids, url = two
    r = post(web, f"/clients/{ids[B]}/merge", into=str(ids[A]), renumber="yes")
    assert r.status_code == 400 and said(r.text).startswith("«да, объединить")
    for into in ("", "abc", "999", str(ids[B])):  # nothing, junk, no such client, itself
        r = post(web, f"/clients/{ids[B]}/merge", lang="en", into=into, confirm="yes", renumber="yes")
        assert r.status_code == 400 and said(r.text) == "“Move everything to”: this field is empty.", into
    assert names(url) == sorted([A, B])


def test_clashing_invoices_refuse_the_merge_and_the_renumber_box_does_it(
    two: tuple[TestClient, dict[str, int], str],
) -> None:
    web, ids, url = two
    before = web.get(f"/clients/{ids[A]}").text  # cached: the merge must replace it
    assert "27 сообщений" in before
    r = post(web, f"/clients/{ids[B]}/merge", into=str(ids[A]), confirm="yes")
    assert r.status_code == 400
    assert said(r.text).startswith("У обоих клиентов есть счёт № 1,")
    assert "Отметьте «перенумеровать совпадающие счета»" in said(r.text)
    assert 'id="merge-renumber"' in r.text  # the box the message names is on the page
    assert "clientguard invoice renumber" in r.text  # the store's own line, under "details"
    assert names(url) == sorted([A, B]) and numbers(url, B) == ["1"]

    r = post(web, f"/clients/{ids[B]}/merge", into=str(ids[A]), confirm="yes", renumber="yes")
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"/clients/{ids[A]}?done=merged_renumbered&merge=")
    page = web.get(r.headers["location"]).text
    assert said(page, "done-message").startswith("✓ Клиенты объединены")
    assert "суффикс «-merged»" in said(page, "done-message")
    assert "37 сообщений" in page  # 27 of A's and 10 of B's: the cached page did not stay
    assert 'data-invoice="1-merged"' in page
    assert names(url) == [A] and numbers(url, A) == ["1", "1-merged"]
    assert web.get(f"/clients/{ids[B]}").status_code == 404
    assert web.get(f"/clients/{ids[B]}/manage").status_code == 404
    with open_store(url) as store, store.engine.connect() as conn:
        assert find_client(conn, B) == (ids[A], A)  # B's name is A's alias
    [out] = records(url, ids[B], "merged_out")
    assert out["by"] is None
    all_verify(url)  # A's, and B's closed chain


def test_a_merge_without_clashes_is_said_without_renumbering(
    two: tuple[TestClient, dict[str, int], str],
) -> None:
    web, ids, url = two
    with open_store(url) as store:
        store.import_paths([SAMPLE_CHAT], client="Третий")  # no invoices
        third = next(c.id for c in store.clients() if c.name == "Третий")
    r = post(web, f"/clients/{third}/merge", lang="en", into=str(ids[B]), confirm="yes", renumber="yes")
    assert r.status_code == 303 and r.headers["location"].startswith(f"/clients/{ids[B]}?done=merged&merge=")
    assert said(web.get(r.headers["location"]).text, "done-message") == (
        "✓ Clients merged: everything was moved here, and the former name is now this client's alias."
    )
    assert numbers(url, B) == ["1"] and "Третий" not in names(url)
    all_verify(url)


def report_lines(html: str, what: str) -> list[str]:
    """The items of one list of the merge report (``merge-renumbered``, ``merge-moved``)."""
    found = re.search(rf'<ul id="{what}">(.*?)</ul>', html, re.S)
    assert found, f"no {what} on the page"
    items = re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", i)).split()) for i in items]


@pytest.mark.parametrize(
    ("lang", "renumbered", "moved", "terms"),
    [
        (
            "ru",
            ["счёт 1 → 1-merged", "счёт 2 → 2-merged аннулирован"],
            ["переписок: 1", "сообщений: 10", "событий (звонки и т. п.): 5", "собеседников: 1",
             "счетов: 2", "оплат: 1"],
            f"Условия договора «{B}» не перенесены: у этого клиента есть свои",
        ),
        (
            "en",
            ["invoice 1 → 1-merged", "invoice 2 → 2-merged voided"],
            ["conversations: 1", "messages: 10", "events (calls etc.): 5", "contacts: 1", "invoices: 2",
             "payments: 1"],
            f"The contract terms of “{B}” were not moved: this client has its own",
        ),
    ],
)
def test_a_merge_says_what_the_cli_says_renumbered_invoices_voided_marked_and_what_moved(
    two: tuple[TestClient, dict[str, int], str],
    lang: str,
    renumbered: list[str],
    moved: list[str],
    terms: str,
) -> None:
    """The page said only "Clients merged … see the invoices table": which invoices took
    which number, and how much came over, the CLI prints and the dashboard did not; a voided
    invoice renumbered read like one still owed."""
    from clientguard.contracts.repo import set_terms, void_invoice

    web, ids, url = two
    with open_store(url) as store:
        add_invoice(store, A, 50, "2025-09-20", "2025-09-01", "2")
        add_invoice(store, B, 60, "2025-09-20", "2025-09-01", "2")
        void_invoice(store, B, "2", "опечатка")
        set_terms(store, A, price=100, currency="RUB")
        set_terms(store, B, price=200, currency="RUB")
    r = post(web, f"/clients/{ids[B]}/merge", lang=lang, into=str(ids[A]), confirm="yes", renumber="yes")
    assert r.status_code == 303
    page = web.get(r.headers["location"]).text
    assert report_lines(page, "merge-renumbered") == renumbered
    assert report_lines(page, "merge-moved") == moved
    assert said(page, "merge-terms").startswith(terms)
    heading = "Перешло от «Ночной клиент»:" if lang == "ru" else "Moved over from “Ночной клиент”:"
    assert heading in unescape(page)
    assert numbers(url, A) == ["1", "1-merged", "2", "2-merged"]
    # the page can be reloaded: the report is in its address
    assert report_lines(web.get(r.headers["location"]).text, "merge-moved") == moved


def test_the_merge_report_is_the_servers_own_and_the_clients(
    two: tuple[TestClient, dict[str, int], str],
) -> None:
    """The report rides in the address, signed: a link with made-up facts, or one about
    another client's merge, shows the plain line only."""
    from itsdangerous import URLSafeTimedSerializer

    from clientguard.web.routes.manage import REPORT_SALT

    web, ids, _ = two
    r = post(web, f"/clients/{ids[B]}/merge", into=str(ids[A]), confirm="yes", renumber="yes")
    real = r.headers["location"]
    assert 'id="merge-report"' in web.get(real).text
    forged = URLSafeTimedSerializer("not the server's", salt="clientguard-session").dumps(
        {"into": ids[A], "from": "X", "renumbered": [["7", "8", False]], "counts": {"messages": 99}},
        salt=REPORT_SALT,
    )
    for url in (
        f"/clients/{ids[A]}?done=merged&merge={forged}",
        f"/clients/{ids[A]}?done=merged&merge=garbage",
        f"/clients/{ids[A]}?done=merged",
    ):
        page = web.get(url).text
        assert said(page, "done-message").startswith("✓ Клиенты объединены")
        assert 'id="merge-report"' not in page
    with open_store(two[2]) as store:
        store.import_paths([SAMPLE_CHAT], client="Третий")
        third = next(c.id for c in store.clients() if c.name == "Третий")
    token = real.split("merge=", 1)[1]
    assert 'id="merge-report"' not in web.get(f"/clients/{third}?done=merged&merge={token}").text


# -- renumber -------------------------------------------------------------------------------
def test_an_invoice_renumbered_in_the_money_section(two: tuple[TestClient, dict[str, int], str]) -> None:
    web, ids, url = two
    page = web.get(f"/clients/{ids[B]}").text
    assert 'id="renumber-form"' in page and '<option value="1">№ 1</option>' in page
    r = post(web, f"/clients/{ids[B]}/renumber", number="1", new=" Б-1 ")
    assert r.status_code == 303
    assert r.headers["location"] == f"/clients/{ids[B]}?done=invoice_renumbered#money"
    page = web.get(r.headers["location"]).text
    assert said(page, "done-message").startswith("✓ Номер счёта изменён")
    assert 'data-invoice="Б-1"' in page and 'data-invoice="1"' not in page
    assert numbers(url, B) == ["Б-1"]
    with open_store(url) as store:
        [inv] = invoices(store, B)
    assert inv.paid_amount == 400  # the payment followed the invoice
    logged = [r.get("number") for r in records(url, ids[B], "invoice")]
    assert logged == ["1", "Б-1"]  # the chain keeps the number as first written
    all_verify(url)
    # the two clients no longer clash: the merge goes through without the box
    r = post(web, f"/clients/{ids[B]}/merge", into=str(ids[A]), confirm="yes")
    assert r.status_code == 303 and "?done=merged&merge=" in r.headers["location"]
    assert numbers(url, A) == ["1", "Б-1"]
    all_verify(url)


@pytest.mark.parametrize(
    ("number", "new", "lang", "message"),
    [
        ("1", "1", "ru", "У счёта № 1 уже этот номер — ничего не изменилось."),
        ("1", "2", "en", "This client already has an invoice No. 2 (a voided one counts too)"),
        ("1", "", "ru", "«Новый номер»: поле не заполнено."),
        ("1", "a\x07", "ru", "«Номер счёта»: недопустимые символы."),
        ("1", "9" * 101, "en", "“New number”: at most 100 characters, 101 entered."),
        ("77", "78", "ru", "нет счёта"),
    ],
)
def test_a_renumber_the_store_refuses_comes_back_in_the_form(
    two: tuple[TestClient, dict[str, int], str], number: str, new: str, lang: str, message: str
) -> None:
    web, ids, url = two
    with open_store(url) as store:
        add_invoice(store, B, 50, "2025-09-20", "2025-09-01", "2")
    r = post(web, f"/clients/{ids[B]}/renumber", lang=lang, number=number, new=new)
    assert r.status_code == 400
    assert message.casefold() in said(r.text).casefold(), said(r.text)
    assert 'id="renumber-form-box" open' in r.text
    assert numbers(url, B) == ["1", "2"]
    all_verify(url)


# -- caches and guards ------------------------------------------------------------------------
def test_another_server_process_sees_the_renumber_and_the_rename(tmp_home: Path) -> None:
    """The profile is cached on disk by a key per client (``profiles.cache_keys``): a
    renumber changes no count and a rename no message, so a second server process (or the
    next start) served the profile saved before, with the old number and name."""
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([CALLS], client=B)
        add_invoice(store, B, 1000, "2025-09-20", "2025-09-01", "1")
        cid = store.clients()[0].id
    with TestClient(create_app(cfg)) as other:
        first = other.get(f"/api/clients/{cid}").json()
        assert [i["id"] for i in first["invoices"]] == ["1"] and first["client"] == B
    with TestClient(create_app(cfg)) as web:
        web.get("/")
        assert post(web, f"/clients/{cid}/renumber", number="1", new="Н-1").status_code == 303
        assert post(web, f"/clients/{cid}/rename", new_name="Ночной").status_code == 303
    with TestClient(create_app(cfg)) as other:  # a fresh process: only the disk cache is shared
        again = other.get(f"/api/clients/{cid}").json()
    assert [i["id"] for i in again["invoices"]] == ["Н-1"] and again["client"] == "Ночной"


def test_the_forms_need_the_csrf_token(two: tuple[TestClient, dict[str, int], str]) -> None:
    web, ids, url = two
    for path, data in (
        ("rename", {"new_name": "Другое"}),
        ("merge", {"into": str(ids[A]), "confirm": "yes", "renumber": "yes"}),
        ("renumber", {"number": "1", "new": "5"}),
    ):
        r = web.post(f"/clients/{ids[B]}/{path}", data={"csrf": "forged", **data}, follow_redirects=False)
        assert r.status_code == 403, path
    assert names(url) == sorted([A, B]) and numbers(url, B) == ["1"]
