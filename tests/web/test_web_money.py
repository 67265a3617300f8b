"""The client page records invoices, payments, voids and time (local mode, SQLite).

Before, all of it was CLI-only (``invoice add|paid|void|void-payment``, ``time add``):
the dashboard showed the figures but a browser user could not record them. The forms
call the CLI's functions, so what they refuse and what the evidence log records are the
CLI's; a refusal comes back in the form in the page's language, never as a 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from clientguard.contracts.repo import invoices, payment_records, voids
from clientguard.evidence.verify import verify_client
from clientguard.store import open_store
from clientguard.store.models_web import TimeEntryRow
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config

C = "Клиент А"


@pytest.fixture()
def money(tmp_home: Path) -> Iterator[tuple[TestClient, int, str]]:
    """The dashboard on a SQLite database holding one client with the sample chat."""
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client=C)
        cid = store.clients()[0].id
    with TestClient(create_app(cfg)) as web:
        web.get("/")  # the CSRF cookie
        yield web, cid, cfg.db_url


def csrf(web: TestClient) -> str:
    return web.cookies.get("cg_csrf") or ""


def error_of(html: str) -> str:
    found = re.search(r'id="error-message"[^>]*>([^<]*)<', html)
    assert found, "no error message on the page"
    return html_unescape(found.group(1))


def post(web: TestClient, path: str, lang: str = "ru", **data: str) -> Any:
    return web.post(f"{path}?lang={lang}", data={"csrf": csrf(web), **data}, follow_redirects=False)


def add_invoice(web: TestClient, cid: int, **data: str) -> Any:
    form = {"amount": "45000", "issued": "2025-09-01", "due": "2025-09-15"} | data
    return post(web, f"/clients/{cid}/invoices", **form)


def stored(url: str) -> list[Any]:
    with open_store(url) as store:
        return invoices(store, C)


def log_ok(url: str, cid: int) -> bool:
    with open_store(url) as store, store.engine.connect() as conn:
        return verify_client(conn, cid).ok


def test_an_invoice_recorded_in_the_form_is_stored_logged_and_said(
    money: tuple[TestClient, int, str],
) -> None:
    web, cid, url = money
    r = add_invoice(web, cid, number="П-09", amount="45 000,50")
    assert r.status_code == 303 and r.headers["location"] == f"/clients/{cid}?done=invoice_added#money"
    [inv] = stored(url)
    assert (inv.id, inv.amount, inv.issued, inv.due, inv.currency) == (
        "П-09",
        45000.5,
        "2025-09-01",
        "2025-09-15",
        "RUB",
    )
    assert log_ok(url, cid)  # chained in the write's own transaction, as `invoice add` does
    page = web.get(r.headers["location"]).text
    assert "Счёт записан." in page and "П-09" in page
    # no number: one after the highest, as `invoice add` numbers them (the scheme continues)
    assert add_invoice(web, cid).status_code == 303
    assert [i.id for i in stored(url)] == ["П-09", "П-10"]


def test_the_currency_defaults_to_the_contracts(money: tuple[TestClient, int, str]) -> None:
    web, cid, url = money
    from clientguard.contracts.repo import set_terms

    with open_store(url) as store:
        set_terms(store, C, currency="EUR")
    page = web.get(f"/clients/{cid}").text
    assert re.search(r'name="currency" value="EUR"', page)
    assert add_invoice(web, cid, currency="").status_code == 303  # left empty: the contract's
    assert stored(url)[0].currency == "EUR"


@pytest.mark.parametrize(
    ("form", "lang", "said"),
    [
        ({"amount": "45.000"}, "ru", "«Сумма»: «45.000» неоднозначно — для тысяч напишите 45000"),
        ({"amount": "много"}, "en", "“Amount”: expected a number such as 25000"),
        ({"amount": "0"}, "ru", "Сумма счёта: ожидается больше 0, получено 0."),
        ({"amount": "0,125"}, "en", "Invoice amount: at most 2 decimal places"),
        ({"due": ""}, "ru", "«Оплатить до»: поле не заполнено."),
        ({"due": "2025-08-01"}, "ru", "Срок оплаты 2025-08-01 раньше даты выставления 2025-09-01."),
        ({"due": "2025-13-01"}, "en", "“Due by”: expected a date like 2025-09-01"),
        ({"issued": "1900-01-01"}, "ru", "Дата выставления: ожидается дата с 1990-01-01"),
        ({"currency": "XYZ1"}, "en", "“Currency”: expected an ISO 4217 code"),
    ],
)
def test_a_wrong_invoice_comes_back_in_the_form(
    money: tuple[TestClient, int, str], form: dict[str, str], lang: str, said: str
) -> None:
    web, cid, url = money
    r = add_invoice(web, cid, lang=lang, **form)
    assert r.status_code == 400
    assert said in error_of(r.text)
    assert 'id="invoice-form"' in r.text  # the page with the form, the input kept
    kept = next(iter(form.values()))
    if kept:
        assert f'value="{kept}"' in r.text
    assert stored(url) == []


def test_a_taken_number_is_refused_as_the_cli_refuses_it(money: tuple[TestClient, int, str]) -> None:
    web, cid, url = money
    add_invoice(web, cid, number="7")
    r = add_invoice(web, cid, number="7")
    assert r.status_code == 400
    assert error_of(r.text).startswith("Счёт № 7 у этого клиента уже есть")
    assert "already exists" in r.text  # the library's own line under the details
    assert len(stored(url)) == 1


def test_a_payment_and_its_refusals(money: tuple[TestClient, int, str]) -> None:
    web, cid, url = money
    add_invoice(web, cid, number="5", amount="45000")
    r = post(web, f"/clients/{cid}/payments", number="5", amount="50 000", day="2025-09-10")
    assert r.status_code == 400
    assert (
        error_of(r.text)
        == "Оплата больше остатка: по счёту осталось 45\u00a0000\u00a0₽, введено 50\u00a0000."
    )
    future = (date.today() + timedelta(days=3)).isoformat()
    r = post(web, f"/clients/{cid}/payments", "en", number="5", day=future)
    assert r.status_code == 400 and f"dated {future}, which has not come yet" in error_of(r.text)
    r = post(web, f"/clients/{cid}/payments", number="5", day="2025-08-01")
    assert r.status_code == 400 and "выставлен 2025-09-01: оплата от 2025-08-01 — раньше этого" in error_of(
        r.text
    )
    r = post(web, f"/clients/{cid}/payments", number="5", amount="15000", day="2025-09-10")
    assert r.status_code == 303 and r.headers["location"].endswith("?done=payment_added#money")
    # the invoice table counts as of today, as `invoice list` and the reply drafts do
    said = web.get(r.headers["location"]).text
    assert "Оплата записана." in said and f"(на дату {date.today().isoformat()})" in said
    [inv] = stored(url)
    assert inv.paid_amount == 15000 and inv.paid_on is None
    r = post(web, f"/clients/{cid}/payments", number="5", day="2025-09-12")  # no amount: the rest
    assert r.status_code == 303
    [inv] = stored(url)
    assert inv.paid_amount == 45000 and inv.paid_on == "2025-09-12"
    r = post(web, f"/clients/{cid}/payments", number="5")
    assert r.status_code == 400 and error_of(r.text) == "Счёт № 5 уже оплачен полностью."
    assert log_ok(url, cid)


def test_a_void_asks_first_then_voids(money: tuple[TestClient, int, str]) -> None:
    web, cid, url = money
    add_invoice(web, cid, number="3", amount="5000")
    r = post(web, f"/clients/{cid}/void", target="invoice:3", reason="")
    assert r.status_code == 400 and error_of(r.text) == "«Причина»: поле не заполнено."
    r = post(web, f"/clients/{cid}/void", target="invoice:3", reason="опечатка в сумме")
    assert r.status_code == 200 and 'id="void-confirm"' in r.text
    assert "счёт № 3 на 5\u00a0000\u00a0₽, срок оплаты 2025-09-15" in r.text
    assert [i.id for i in stored(url)] == ["3"]  # the first step voids nothing
    r = post(web, f"/clients/{cid}/void", target="invoice:3", reason="опечатка в сумме", confirm="yes")
    assert r.status_code == 303 and r.headers["location"].endswith("?done=invoice_voided#money")
    assert stored(url) == []
    with open_store(url) as store:
        assert voids(store, C).invoices["3"].reason == "опечатка в сумме"
    r = post(web, f"/clients/{cid}/void", target="invoice:3", reason="ещё раз", confirm="yes")
    assert r.status_code == 400 and error_of(r.text).startswith("счёт «3» уже аннулирован")
    assert log_ok(url, cid)


def test_a_payment_is_voided_by_its_id(money: tuple[TestClient, int, str]) -> None:
    web, cid, url = money
    add_invoice(web, cid, number="4", amount="9000")
    post(web, f"/clients/{cid}/payments", number="4", amount="1000", day="2025-09-05")
    post(web, f"/clients/{cid}/payments", number="4", amount="2000", day="2025-09-06")
    with open_store(url) as store:
        _first, second = payment_records(store, C)
    page = web.get(f"/clients/{cid}").text
    assert f'value="payment:{second.id}:4"' in page  # each payment is offered by its id
    target = f"payment:{second.id}:4"
    r = post(web, f"/clients/{cid}/void", target=target, reason="не тот счёт")
    assert r.status_code == 200 and "оплата 2\u00a0000\u00a0₽ от 2025-09-06 по счёту № 4" in r.text
    r = post(web, f"/clients/{cid}/void", target=target, reason="не тот счёт", confirm="yes")
    assert r.status_code == 303 and r.headers["location"].endswith("?done=payment_voided#money")
    with open_store(url) as store:
        assert [p.void is not None for p in payment_records(store, C)] == [False, True]
    assert stored(url)[0].paid_amount == 1000


def test_time_is_logged_and_listed(money: tuple[TestClient, int, str]) -> None:
    web, cid, url = money
    r = post(web, f"/clients/{cid}/time", day="2025-09-03", hours="1,5", minutes="30", note="контент-план")
    assert r.status_code == 303 and r.headers["location"].endswith("?done=time_added#time")
    with open_store(url) as store, store.engine.connect() as conn:
        rows = conn.execute(
            select(TimeEntryRow.member, TimeEntryRow.day, TimeEntryRow.hours, TimeEntryRow.note)
        ).all()
    assert [tuple(r) for r in rows] == [("me", "2025-09-03", 2.0, "контент-план")]
    page = web.get(r.headers["location"].split("#")[0] + "&lang=en").text
    log = re.search(r'<div id="time-log">(.*?)</div>', page, re.S)
    assert log and "Total: 2 h" in log.group(1) and "You" in log.group(1) and "контент-план" in log.group(1)


def test_time_logged_elsewhere_shows_on_a_cached_page(money: tuple[TestClient, int, str]) -> None:
    """The page is cached per database version, which time entries are no part of: a
    `time add` from the CLI (or another server process) must show all the same."""
    web, cid, url = money
    assert "Время по этому клиенту ещё не записано." in web.get(f"/clients/{cid}").text
    from clientguard.web.timelog import add_time

    with open_store(url) as store:
        add_time(store, C, 3.25, "me")
    assert "Всего: 3 ч 15 мин" in web.get(f"/clients/{cid}").text


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ({"hours": "", "minutes": ""}, "«Часы»: поле не заполнено."),
        ({"hours": "1", "minutes": "75"}, "«Минуты»: ожидается целое число минут от 0 до 59"),
        ({"hours": "30"}, "Время: ожидается больше 0 и не больше 24 часов за запись, получено 30."),
        ({"hours": "0", "minutes": "0"}, "Время: ожидается больше 0"),
        ({"hours": "2", "day": "вчера"}, "«День»: ожидается дата вида 2025-09-01"),
    ],
)
def test_wrong_time_comes_back_in_the_form(
    money: tuple[TestClient, int, str], form: dict[str, str], said: str
) -> None:
    web, cid, url = money
    r = post(web, f"/clients/{cid}/time", **form)
    assert r.status_code == 400 and said in error_of(r.text)
    assert 'id="time-form"' in r.text
    with open_store(url) as store, store.engine.connect() as conn:
        assert conn.execute(select(TimeEntryRow.id)).first() is None


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("invoices", {"amount": "100", "due": "2025-09-15", "issued": "2025-09-01"}),
        ("payments", {"number": "1"}),
        ("void", {"target": "invoice:1", "reason": "x", "confirm": "yes"}),
        ("time", {"hours": "1"}),
    ],
)
def test_every_form_needs_its_csrf_token(
    money: tuple[TestClient, int, str], path: str, data: dict[str, str]
) -> None:
    web, cid, url = money
    add_invoice(web, cid, number="1", amount="100")
    before = stored(url)
    r = web.post(f"/clients/{cid}/{path}", data=data, follow_redirects=False)
    assert r.status_code == 403
    r = web.post(f"/clients/{cid}/{path}", data=data | {"csrf": "forged"}, follow_redirects=False)
    assert r.status_code == 403
    assert stored(url) == before
    with open_store(url) as store, store.engine.connect() as conn:
        assert conn.execute(select(TimeEntryRow.id)).first() is None


def test_an_unknown_client_is_404(money: tuple[TestClient, int, str]) -> None:
    web, _cid, _url = money
    assert add_invoice(web, 999).status_code == 404
    assert post(web, "/clients/999/time", hours="1").status_code == 404


def test_an_invoice_edited_behind_the_log_refuses_payments_and_voids(
    money: tuple[TestClient, int, str],
) -> None:
    """The pre-write check of `invoice paid` / `invoice void`, worded on the page (409)."""
    web, cid, url = money
    add_invoice(web, cid, number="9", amount="45000")
    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE invoices SET amount = 4500"))
    r = post(web, f"/clients/{cid}/payments", number="9", day="2025-09-10")
    assert r.status_code == 409
    assert error_of(r.text).startswith("Запись, на которую опирается это действие, изменена в базе в обход")
    assert "amount" in r.text  # the log's own line names the field, under the details
    r = post(web, f"/clients/{cid}/void", "en", target="invoice:9", reason="typo", confirm="yes")
    assert r.status_code == 409 and error_of(r.text).startswith("A record this builds on was changed")
    with open_store(url) as store:
        assert payment_records(store, C) == [] and voids(store, C).invoices == {}


def test_json_clients_get_the_refusal_as_json(money: tuple[TestClient, int, str]) -> None:
    web, cid, _url = money
    r = web.post(
        f"/clients/{cid}/invoices?lang=en",
        data={"csrf": csrf(web), "amount": "0", "due": "2025-09-15", "issued": "2025-09-01"},
        headers={"accept": "application/json"},
    )
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Invoice amount: expected more than 0, got 0."


def test_account_and_users_are_team_mode_only(money: tuple[TestClient, int, str]) -> None:
    web, _cid, _url = money
    assert web.get("/account").status_code == 404
    r = post(web, "/team/users", name="ivan", role="specialist", password="long enough")
    assert r.status_code == 404
    assert 'id="users"' not in web.get("/team").text


def test_a_payment_recorded_after_the_chat_went_quiet_settles_the_invoice_on_the_page(
    tmp_home: Path,
) -> None:
    """The page judged invoices as of the client's last message: a payment recorded today
    on a chat whose last message was weeks ago left the invoice "overdue" there (and told
    the user to upload newer messages). Invoices are now judged as of the last message or a
    later recorded payment, whichever is later."""
    from clientguard.contracts.repo import add_invoice, pay_invoice
    from clientguard.store.models import ClientRow

    config = local_config(tmp_home)
    with open_store(config.db_url) as st:
        st.import_paths([SAMPLE_CHAT], client="Клиент")  # last message 2025-09-25
        add_invoice(st, "Клиент", 10000, due="2025-09-10", issued="2025-09-01", number="7")
        with st.engine.connect() as conn:
            cid = int(conn.execute(select(ClientRow.id)).scalar_one())
        with TestClient(create_app(config)) as client:
            before = client.get(f"/clients/{cid}?lang=en").text
            pay_invoice(st, "Клиент", "7", on=date.today().isoformat())
            after = client.get(f"/clients/{cid}?lang=en").text
    # the table counts as of today (helper 131: as the drafts and `invoice list` do)
    assert f"(as of {date.today().isoformat()})" in before and 'class="pill warn">overdue' in before
    assert f"(as of {date.today().isoformat()})" in after
    assert 'class="pill warn"' not in after and "paid late" in after
