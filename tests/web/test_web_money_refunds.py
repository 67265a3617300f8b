"""The client page records refunds and credits and voids them (SQLite and PostgreSQL).

Before, ``invoice refund|credit|void-refund`` were CLI-only: a user of the dashboard saw
an invoice credited by agreement as still owed and could not record it. The forms call
the CLI's functions (:func:`clientguard.contracts.repo.refund_invoice`,
``credit_invoice``, ``void_adjustment``), so what they refuse, the evidence-log record
and the tamper check are the CLI's; the invoice table shows the amount as issued and
what it asks after them, as ``invoice list`` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from clientguard.contracts.repo import add_invoice, adjustments, invoices, pay_invoice
from clientguard.evidence.verify import verify_client
from clientguard.store import open_store
from tests.web.test_web_team import csrf_of, login
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config

C = "Клиент А"
FUTURE = (date.today() + timedelta(days=3)).isoformat()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def money(request: pytest.FixtureRequest, tmp_home: Path) -> Iterator[tuple[TestClient, int, str]]:
    """The dashboard (local mode) over one client with invoice 5: 45 000 RUB issued
    2025-09-01, due 2025-09-15, 10 000 paid on 2025-09-10."""
    extra = {"db_url": request.getfixturevalue("pg_url_schema")} if request.param == "postgres" else {}
    cfg = local_config(tmp_home, **extra)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client=C)
        cid = store.clients()[0].id
        add_invoice(store, C, 45000, "2025-09-15", "2025-09-01", "5")
        pay_invoice(store, C, "5", "2025-09-10", 10000)
    with TestClient(create_app(cfg)) as web:
        web.get("/")  # the CSRF cookie
        yield web, cid, cfg.db_url


def post(web: TestClient, path: str, lang: str = "ru", **data: str) -> Any:
    token = web.cookies.get("cg_csrf") or ""
    return web.post(f"{path}?lang={lang}", data={"csrf": token, **data}, follow_redirects=False)


def error_of(html: str) -> str:
    found = re.search(r'id="error-message"[^>]*>([^<]*)<', html)
    assert found, "no error message on the page"
    return unescape(found.group(1))


def made(url: str) -> list[tuple[str, float, str, bool]]:
    """(kind, amount, day, voided) of every refund and credit stored."""
    with open_store(url) as store:
        return [(x.kind, x.amount, x.on, x.void is not None) for x in adjustments(store, C)]


def invoice(url: str) -> tuple[float, float | None]:
    """Invoice 5's (net amount, paid net of refunds) as every figure reads them."""
    with open_store(url) as store:
        [inv] = invoices(store, C)
    return inv.amount, inv.paid_amount


def amount_cell(html: str) -> str:
    found = re.search(r'<tr data-invoice="5">.*?<span class="inv-amount">([^<]*)</span>', html, re.S)
    assert found, "no invoice 5 in the table"
    return unescape(found.group(1))


def log_ok(url: str, cid: int) -> bool:
    with open_store(url) as store, store.engine.connect() as conn:
        return verify_client(conn, cid).ok


REFUND = {"number": "5", "amount": "3 000", "day": "2025-09-12", "reason": "спор о сроках"}
CREDIT = {"number": "5", "amount": "5000", "day": "2025-09-12", "reason": "скидка за задержку"}


def test_a_refund_and_a_credit_are_recorded_logged_and_netted_in_the_table(
    money: tuple[TestClient, int, str],
) -> None:
    web, cid, url = money
    page = web.get(f"/clients/{cid}").text
    assert 'id="refund-form"' in page and 'id="credit-form"' in page
    assert amount_cell(page) == "45\u00a0000\u00a0₽"  # nothing taken off: the amount alone
    r = post(web, f"/clients/{cid}/refunds", **REFUND)
    assert r.status_code == 303 and r.headers["location"] == f"/clients/{cid}?done=refund_added#money"
    assert "Возврат записан." in web.get(r.headers["location"]).text
    r = post(web, f"/clients/{cid}/credits", **CREDIT)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=credit_added#money")
    assert made(url) == [("refund", 3000.0, "2025-09-12", False), ("credit", 5000.0, "2025-09-12", False)]
    assert invoice(url) == (37000.0, 7000.0)  # 45 000 − 5 000 credited − 3 000 refunded; 10 000 − 3 000
    assert log_ok(url, cid)  # chained in the write's own transaction, as the CLI does
    page = web.get(f"/clients/{cid}").text
    # as `invoice list`: the amount as issued → what it asks now, and what was taken off
    assert amount_cell(page) == "45\u00a0000 → 37\u00a0000\u00a0₽"
    assert "уменьшено 5\u00a0000\u00a0₽ · возвращено 3\u00a0000\u00a0₽" in page
    assert "осталось: 30\u00a0000\u00a0₽" in page
    en = web.get(f"/clients/{cid}?lang=en").text
    assert amount_cell(en) == "45,000 → 37,000\u00a0RUB"
    assert "credited 5,000\u00a0RUB · refunded 3,000\u00a0RUB" in en


def test_a_credit_of_all_that_is_due_settles_the_invoice(money: tuple[TestClient, int, str]) -> None:
    web, cid, _url = money
    r = post(web, f"/clients/{cid}/credits", **CREDIT | {"amount": "35 000"})
    assert r.status_code == 303
    page = web.get(f"/clients/{cid}").text
    assert amount_cell(page) == "45\u00a0000 → 10\u00a0000\u00a0₽"
    row = page[page.index('<tr data-invoice="5">') :]
    assert 'class="pill warn"' not in row[: row.index("</tr>")]  # no longer overdue
    assert 'id="credit-form"' not in page  # nothing left to take off


@pytest.mark.parametrize(
    ("path", "form", "lang", "said"),
    [
        ("refunds", {"amount": ""}, "ru", "«Сумма возврата»: поле не заполнено."),
        ("refunds", {"amount": "много"}, "ru", "«Сумма возврата»: ожидается число вроде 25 000,50"),
        (
            "refunds",
            {"amount": "3.000"},
            "ru",
            "«Сумма возврата»: «3.000» неоднозначно — для тысяч напишите 3000",
        ),
        ("refunds", {"amount": "-5"}, "ru", "Сумма возврата: ожидается больше 0, получено -5."),
        ("refunds", {"amount": "0,125"}, "en", "Refund amount: at most 2 decimal places"),
        (
            "refunds",
            {"amount": "20 000"},
            "ru",
            "Возврат больше оплаченного: по счёту № 5 оплачено за вычетом прежних возвратов "
            "10\u00a0000\u00a0₽, введено 20\u00a0000.",
        ),
        ("refunds", {"day": ""}, "ru", "«Дата возврата»: поле не заполнено."),
        (
            "refunds",
            {"day": "2025-08-20"},
            "ru",
            "«Дата возврата»: 2025-08-20 — раньше, чем выставлен счёт № 5",
        ),
        ("refunds", {"day": FUTURE}, "en", f"“Refund date”: {FUTURE} has not come yet"),
        ("refunds", {"day": "12.09.2025"}, "ru", "«Дата возврата»: ожидается дата вида 2025-09-01"),
        ("refunds", {"day": "2025-09-05"}, "ru", "По счёту № 5 к 2025-09-05 ничего не оплачено"),
        ("refunds", {"reason": "  "}, "ru", "«Причина»: поле не заполнено."),
        ("refunds", {"number": ""}, "ru", "«Счёт»: поле не заполнено."),
        ("refunds", {"number": "77"}, "en", "no invoice '77' for 'Клиент А'"),
        (
            "credits",
            {"amount": "50 000"},
            "ru",
            "Уменьшение больше остатка: по счёту № 5 к оплате 35\u00a0000\u00a0₽, введено 50\u00a0000.",
        ),
        ("credits", {"amount": "0"}, "en", "Credit amount: expected more than 0, got 0."),
        ("credits", {"day": ""}, "en", "“Date agreed”: this field is empty."),
        ("credits", {"reason": ""}, "en", "“Reason”: this field is empty."),
    ],
)
def test_a_wrong_refund_or_credit_comes_back_in_the_form(
    money: tuple[TestClient, int, str], path: str, form: dict[str, str], lang: str, said: str
) -> None:
    web, cid, url = money
    sent = (REFUND if path == "refunds" else CREDIT) | form
    r = post(web, f"/clients/{cid}/{path}", lang, **sent)
    assert r.status_code == 400
    assert said in error_of(r.text)
    kind = path.removesuffix("s")
    box = r.text[r.text.index(f'id="{kind}-form-box"') :]
    box = box[: box.index("</form>")]
    assert " open" in box.split(">")[0] and 'id="error-message"' in box  # the message in its own form
    for name in ("amount", "day", "reason"):  # what was typed is kept
        if sent[name].strip():
            assert f'name="{name}" id="{kind}-{"date" if name == "day" else name}"' in box
            assert f'value="{sent[name]}"' in box, name
    assert made(url) == [] and invoice(url) == (45000.0, 10000.0)


def test_a_refund_or_credit_is_voided_after_a_confirmation(money: tuple[TestClient, int, str]) -> None:
    web, cid, url = money
    post(web, f"/clients/{cid}/refunds", **REFUND)
    post(web, f"/clients/{cid}/credits", **CREDIT)
    with open_store(url) as store:
        refund, credit = adjustments(store, C)
    page = web.get(f"/clients/{cid}").text
    target = f"adjustment:{credit.id}:5"
    assert f'value="adjustment:{refund.id}:5"' in page and f'value="{target}"' in page
    r = post(web, f"/clients/{cid}/void", target=target, reason="")
    assert r.status_code == 400 and error_of(r.text) == "«Причина»: поле не заполнено."
    r = post(web, f"/clients/{cid}/void", target=target, reason="скидку не согласовали")
    assert r.status_code == 200 and 'id="void-confirm"' in r.text
    assert "уменьшение суммы на 5\u00a0000\u00a0₽ от 2025-09-12 по счёту № 5" in r.text
    assert "сумма к оплате снова вырастет" in r.text
    assert [v for *_, v in made(url)] == [False, False]  # the first step voids nothing
    r = post(web, f"/clients/{cid}/void", target=target, reason="скидку не согласовали", confirm="yes")
    assert r.status_code == 303 and r.headers["location"].endswith("?done=adjustment_voided#money")
    assert [v for *_, v in made(url)] == [False, True]
    assert invoice(url) == (42000.0, 7000.0)  # the credit counts nowhere; the refund still does
    page = web.get(r.headers["location"]).text
    assert "Запись аннулирована." in page and amount_cell(page) == "45\u00a0000 → 42\u00a0000\u00a0₽"
    assert f'value="{target}"' not in page  # no longer offered
    r = post(web, f"/clients/{cid}/void", target=target, reason="ещё раз", confirm="yes")
    assert r.status_code == 400 and error_of(r.text).startswith(
        "Эта запись уже аннулирована"
    )
    r = post(web, f"/clients/{cid}/void", "en", target=f"adjustment:{refund.id}:5", reason="typo")
    assert r.status_code == 200 and "refund of 3,000\u00a0RUB on 2025-09-12, invoice no. 5" in r.text
    assert log_ok(url, cid)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("refunds", REFUND),
        ("credits", CREDIT),
        ("void", {"target": "adjustment:1:5", "reason": "x", "confirm": "yes"}),
    ],
)
def test_every_refund_form_needs_its_csrf_token(
    money: tuple[TestClient, int, str], path: str, data: dict[str, str]
) -> None:
    web, cid, url = money
    if path == "void":
        post(web, f"/clients/{cid}/refunds", **REFUND)
    before = made(url)
    for sent in (data, data | {"csrf": "forged"}):
        assert web.post(f"/clients/{cid}/{path}", data=sent, follow_redirects=False).status_code == 403
    assert made(url) == before


def test_a_refund_on_an_invoice_edited_behind_the_log_is_refused(money: tuple[TestClient, int, str]) -> None:
    """The pre-write tamper check of `invoice refund` / `invoice credit`, worded on the page (409)."""
    web, cid, url = money
    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE invoice_payments SET amount = 40000"))
    r = post(web, f"/clients/{cid}/refunds", **REFUND)
    assert r.status_code == 409
    assert error_of(r.text).startswith("Запись, на которую опирается это действие, изменена в базе в обход")
    r = post(web, f"/clients/{cid}/credits", "en", **CREDIT)
    assert r.status_code == 409 and error_of(r.text).startswith("A record this builds on was changed")
    assert made(url) == []


def test_json_clients_get_a_refunds_refusal_as_json(money: tuple[TestClient, int, str]) -> None:
    web, cid, _url = money
    r = web.post(
        f"/clients/{cid}/refunds?lang=en",
        data={"csrf": web.cookies.get("cg_csrf") or ""} | REFUND | {"amount": "0"},
        headers={"accept": "application/json"},
    )
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Refund amount: expected more than 0, got 0."


# -- team mode (PostgreSQL and Redis) ---------------------------------------------------
def send(web: TestClient, path: str, page: str, **data: str) -> Any:
    token = csrf_of(web.get(page).text)
    return web.post(path, data={"csrf": token, **data}, follow_redirects=False)


@pytest.mark.postgres
@pytest.mark.redis
def test_only_owners_and_managers_record_refunds_and_credits(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    cid, url = team_db["client_id"], team_db["url"]
    with open_store(url) as store:
        add_invoice(store, C, 45000, "2025-09-15", "2025-09-01", "5")
        pay_invoice(store, C, "5", "2025-09-10", 10000)
    page = f"/clients/{cid}"
    login(team_client, "ivan")  # a specialist granted the client
    html = team_client.get(page).text
    assert 'id="refund-form"' not in html and 'id="credit-form"' not in html and 'id="money-readonly"' in html
    for path, data in (("refunds", REFUND), ("credits", CREDIT)):
        r = send(team_client, f"/clients/{cid}/{path}", page, **data)
        assert r.status_code == 403 and "владелец, менеджер" in r.text
    assert made(url) == []
    team_client.post("/logout", data={"csrf": csrf_of(team_client.get("/").text)})
    login(team_client, "olga")
    assert send(team_client, f"/clients/{cid}/refunds", page, **REFUND).status_code == 303
    assert send(team_client, f"/clients/{cid}/credits", page, **CREDIT).status_code == 303
    assert invoice(url) == (37000.0, 7000.0)
