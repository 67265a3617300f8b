"""Team mode on PostgreSQL: who may record money and time, one's own password, the users.

``team_db``: owner ``olga``, specialists ``ivan`` (granted «Клиент А») and ``petr``
(nothing). Before, all of it was ``clientguard invoice|time|user`` only.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from sqlalchemy import select, text

from clientguard.contracts.repo import invoices, payment_records
from clientguard.store import open_store
from clientguard.store.models_web import SessionRow, TimeEntryRow
from clientguard.web.app import create_app
from clientguard.web.auth import authenticate, users
from tests.web.test_web_team import csrf_of, login
from tests.web.web_helpers import PASSWORD, TestClient, team_config

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
C = "Клиент А"


def send(web: TestClient, path: str, page: str = "/", **data: str) -> Any:
    token = csrf_of(web.get(page).text)
    return web.post(path, data={"csrf": token, **data}, follow_redirects=False)


def error_of(html: str) -> str:
    found = re.search(r'id="error-message"[^>]*>([^<]*)<', html)
    assert found, "no error message on the page"
    return unescape(found.group(1))


def invoice(web: TestClient, cid: int, **extra: str) -> Any:
    data = {"amount": "30000", "issued": "2025-09-01", "due": "2025-09-15"} | extra
    return send(web, f"/clients/{cid}/invoices", f"/clients/{cid}", **data)


def stored(url: str) -> list[Any]:
    with open_store(url) as store:
        return invoices(store, C)


def time_rows(url: str) -> list[tuple[str, float]]:
    with open_store(url) as store, store.engine.connect() as conn:
        return [(str(m), float(h)) for m, h in conn.execute(select(TimeEntryRow.member, TimeEntryRow.hours))]


def test_an_owner_records_an_invoice_and_a_payment(team_client: TestClient, team_db: dict[str, Any]) -> None:
    cid, url = team_db["client_id"], team_db["url"]
    login(team_client, "olga")
    assert invoice(team_client, cid, number="12").status_code == 303
    r = send(team_client, f"/clients/{cid}/payments", f"/clients/{cid}", number="12", day="2025-09-20")
    assert r.status_code == 303
    [inv] = stored(url)
    assert inv.paid_on == "2025-09-20" and inv.paid_amount == 30000


def test_a_specialist_logs_time_as_themself_but_records_no_money(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    cid, url = team_db["client_id"], team_db["url"]
    login(team_client, "ivan")
    page = team_client.get(f"/clients/{cid}").text
    assert 'id="money-readonly"' in page and 'id="invoice-form"' not in page
    r = invoice(team_client, cid)
    assert r.status_code == 403 and "владелец, менеджер" in r.text
    assert stored(url) == []
    r = send(team_client, f"/clients/{cid}/time", f"/clients/{cid}", hours="2", minutes="15")
    assert r.status_code == 303
    assert time_rows(url) == [("ivan", 2.25)]  # the signed-in user, never "me"


def test_a_client_not_granted_is_refused_for_time_too(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    cid, url = team_db["client_id"], team_db["url"]
    login(team_client, "petr")
    r = send(team_client, f"/clients/{cid}/time", hours="1")
    assert r.status_code == 403
    assert time_rows(url) == []


def test_money_forms_need_csrf_in_team_mode(team_client: TestClient, team_db: dict[str, Any]) -> None:
    cid, url = team_db["client_id"], team_db["url"]
    login(team_client, "olga")
    data = {"amount": "100", "due": "2025-09-15", "issued": "2025-09-01"}
    assert team_client.post(f"/clients/{cid}/invoices", data=data).status_code == 403
    assert team_client.post(f"/clients/{cid}/time", data={"hours": "1", "csrf": "forged"}).status_code == 403
    assert stored(url) == [] and time_rows(url) == []


def test_a_payment_over_a_forged_invoice_is_refused_on_postgresql(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    cid, url = team_db["client_id"], team_db["url"]
    login(team_client, "olga")
    invoice(team_client, cid, number="8", amount="45000")
    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE invoices SET amount = 4500"))
    r = send(team_client, f"/clients/{cid}/payments?lang=en", f"/clients/{cid}", number="8", day="2025-09-10")
    assert r.status_code == 409 and error_of(r.text).startswith("A record this builds on was changed")
    with open_store(url) as store:
        assert payment_records(store, C) == []


def test_a_wrong_value_comes_back_in_the_form_on_postgresql(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    cid, url = team_db["client_id"], team_db["url"]
    login(team_client, "olga")
    r = invoice(team_client, cid, due="2025-08-01")
    assert r.status_code == 400
    assert error_of(r.text) == "Срок оплаты 2025-08-01 раньше даты выставления 2025-09-01."
    assert stored(url) == []


# -- the account page ------------------------------------------------------------------
def change(web: TestClient, current: str, new: str, repeat: str | None = None) -> Any:
    return send(web, "/account/password", "/account", current=current, new=new, repeat=repeat or new)


def test_changing_ones_password_ends_the_other_sessions_only(
    team_client: TestClient, team_db: dict[str, Any], redis_ok: str, tmp_path: Any
) -> None:
    url = team_db["url"]
    login(team_client, "ivan")
    with TestClient(create_app(team_config(tmp_path, url, redis_ok))) as phone:
        login(phone, "ivan")
        assert phone.get("/", follow_redirects=False).status_code == 200
        r = change(team_client, "wrong password", "new password 1")
        assert r.status_code == 400 and error_of(r.text) == "Текущий пароль неверен."
        r = change(team_client, PASSWORD, "new password 1", "new password 2")
        assert r.status_code == 400 and error_of(r.text) == "Новый пароль и повтор не совпадают."
        r = change(team_client, PASSWORD, "short")
        assert r.status_code == 400 and error_of(r.text) == "Пароль должен быть не короче 8 символов."
        with open_store(url) as store:
            assert authenticate(store, "ivan", PASSWORD) is not None  # nothing changed so far
        r = change(team_client, PASSWORD, "new password 1")
        assert r.status_code == 303 and r.headers["location"] == "/account?done=password"
        assert "Пароль изменён" in team_client.get(r.headers["location"]).text  # this browser stays in
        assert phone.get("/", follow_redirects=False).status_code == 303  # the other is logged out
    with open_store(url) as store:
        assert authenticate(store, "ivan", PASSWORD) is None
        assert authenticate(store, "ivan", "new password 1") is not None
        with store.engine.connect() as conn:
            assert len(conn.execute(select(SessionRow.id)).all()) == 1


def test_the_account_form_needs_csrf_and_a_login(team_client: TestClient) -> None:
    assert team_client.get("/account", follow_redirects=False).status_code == 303  # to the login
    login(team_client, "ivan")
    r = team_client.post("/account/password", data={"current": PASSWORD, "new": "x" * 9, "repeat": "x" * 9})
    assert r.status_code == 403


# -- the users card of the team page ---------------------------------------------------
def roles(url: str) -> dict[str, tuple[str, list[str]]]:
    with open_store(url) as store:
        return {u.name: (u.role, granted) for u, granted in users(store)}


def test_an_owner_adds_grants_changes_and_removes_users(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    url = team_db["url"]
    login(team_client, "olga")
    page = team_client.get("/team").text
    assert 'id="users"' in page and 'data-user="petr"' in page
    ivan = page.split('data-user="ivan"')[1].split("</tr>")[0]
    assert "/team/users/grant" not in ivan  # every client is his already: nothing to offer
    r = send(team_client, "/team/users", "/team", name="anna", role="manager", password="anna's password")
    assert r.status_code == 303 and r.headers["location"] == "/team?done=user_added#users"
    assert "Пользователь добавлен." in team_client.get(r.headers["location"]).text
    r = send(team_client, "/team/users", "/team", name="Anna", role="specialist", password="long enough")
    assert r.status_code == 400 and error_of(r.text).startswith("Пользователь «Anna» уже есть")
    r = send(team_client, "/team/users", "/team", name="vera", role="specialist", password="short")
    assert r.status_code == 400 and error_of(r.text) == "Пароль должен быть не короче 8 символов."
    r = send(team_client, "/team/users/grant", "/team", name="petr", client=C)
    assert r.headers["location"] == "/team?done=grant_granted#users"
    assert roles(url)["petr"] == ("specialist", [C])
    r = send(team_client, "/team/users/revoke", "/team", name="petr", client=C)
    assert r.headers["location"] == "/team?done=revoke_revoked#users"
    r = send(team_client, "/team/users/revoke", "/team", name="petr", client=C)
    assert r.headers["location"] == "/team?done=revoke_had_none#users"
    r = send(team_client, "/team/users/role", "/team", name="petr", role="manager")
    assert r.status_code == 303 and roles(url)["petr"][0] == "manager"
    r = send(team_client, "/team/users/remove", "/team", name="petr")  # the box not ticked
    assert r.status_code == 400 and "petr" in roles(url)
    r = send(team_client, "/team/users/remove", "/team", name="petr", confirm="yes")
    assert r.headers["location"] == "/team?done=removed#users" and "petr" not in roles(url)


def test_the_only_owner_can_be_neither_demoted_nor_removed(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    url = team_db["url"]
    login(team_client, "olga")
    r = send(team_client, "/team/users/role?lang=en", "/team", name="olga", role="manager")
    assert r.status_code == 400
    assert error_of(r.text) == "“olga” is the team's only owner: add or promote another owner first."
    r = send(team_client, "/team/users/remove?lang=ru", "/team", name="olga", confirm="yes")
    assert r.status_code == 400 and error_of(r.text).startswith("«olga» — единственный владелец")
    assert roles(url)["olga"][0] == "owner"
    send(team_client, "/team/users/role", "/team", name="ivan", role="owner")  # a second owner
    r = send(team_client, "/team/users/role", "/team", name="olga", role="manager")
    assert r.status_code == 303 and roles(url)["olga"][0] == "manager"


def test_only_owners_manage_users(team_client: TestClient, team_db: dict[str, Any]) -> None:
    url = team_db["url"]
    login(team_client, "olga")
    send(team_client, "/team/users/role", "/team", name="petr", role="manager")
    team_client.post("/logout", data={"csrf": csrf_of(team_client.get("/").text)})
    login(team_client, "petr")  # a manager sees the team page, not the users card
    page = team_client.get("/team")
    assert page.status_code == 200 and 'id="users"' not in page.text
    r = send(team_client, "/team/users", "/team", name="mal", role="owner", password="long enough")
    assert r.status_code == 403 and "mal" not in roles(url)
    login(team_client, "olga")
    assert team_client.post("/team/users", data={"name": "x", "password": "long enough"}).status_code == 403
    assert "x" not in roles(url)
