"""Team mode on PostgreSQL: who may rename, merge and renumber on the dashboard.

The same rule as the CLI's ``--as`` (``clients rename|merge``): renaming is an owner's, a
manager's, and a specialist's on a client granted to them; merging is the owner's only;
renumbering an invoice is a money form (owners and managers). The evidence log names who
did it, and every client's log verifies after the merge on PostgreSQL too.

``team_db``: «Клиент А» (the sample chat); owner ``olga``, specialists ``ivan`` (granted
«Клиент А») and ``petr`` (nothing). Each test adds «Клиент Б» with an invoice 1 beside
A's invoice 1, and a manager ``mila``.
"""

from __future__ import annotations

from typing import Any

import pytest

from clientguard.contracts.repo import add_invoice
from clientguard.store import open_store
from clientguard.web.auth import add_user
from tests.web.test_web_manage_clients import CALLS, all_verify, names, numbers, records, said
from tests.web.test_web_team import csrf_of, login
from tests.web.web_helpers import PASSWORD, TestClient

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
A, B = "Клиент А", "Клиент Б"


def with_b(team_db: dict[str, Any]) -> int:
    """«Клиент Б» (10 messages) and an invoice 1 for each client; a manager; B's id."""
    with open_store(team_db["url"]) as store:
        store.import_paths([CALLS], client=B)
        add_invoice(store, A, 300, "2025-09-20", "2025-09-01", "1")
        add_invoice(store, B, 1000, "2025-09-20", "2025-09-01", "1")
        add_user(store, "mila", "manager", PASSWORD)
        return next(c.id for c in store.clients() if c.name == B)


def send(web: TestClient, path: str, page: str, **data: str) -> Any:
    token = csrf_of(web.get(page).text)
    return web.post(path, data={"csrf": token, **data}, follow_redirects=False)


def test_a_granted_specialist_renames_but_neither_merges_nor_renumbers(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    a, url = team_db["client_id"], team_db["url"]
    b = with_b(team_db)
    login(team_client, "ivan")
    page = team_client.get(f"/clients/{a}/manage").text
    assert 'id="rename-form"' in page and 'id="merge-form"' not in page and 'id="merge-readonly"' in page
    assert 'id="renumber-form"' not in team_client.get(f"/clients/{a}").text
    r = send(team_client, f"/clients/{a}/merge", f"/clients/{a}", into=str(b), confirm="yes", renumber="yes")
    assert r.status_code == 403 and "владелец" in r.text
    r = send(team_client, f"/clients/{a}/renumber", f"/clients/{a}", number="1", new="А-1")
    assert r.status_code == 403
    r = send(team_client, f"/clients/{a}/rename", f"/clients/{a}", new_name="Клиент Альфа")
    assert r.status_code == 303 and r.headers["location"] == f"/clients/{a}?done=renamed"
    assert names(url) == ["Клиент Альфа", B] and numbers(url, "Клиент Альфа") == ["1"]
    assert records(url, a, "renamed") == [{"by": "ivan", "from": A, "to": "Клиент Альфа"}]
    all_verify(url)


def test_a_client_not_granted_is_refused_before_any_form(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    a, url = team_db["client_id"], team_db["url"]
    b = with_b(team_db)
    login(team_client, "ivan")  # granted A, not B
    assert team_client.get(f"/clients/{b}/manage").status_code == 403
    r = send(team_client, f"/clients/{b}/rename", "/", new_name="Чужой")
    assert r.status_code == 403
    login(team_client, "petr")  # granted nothing
    assert team_client.get(f"/clients/{a}/manage").status_code == 403
    r = send(team_client, f"/clients/{a}/rename", "/", new_name="Чужой")
    assert r.status_code == 403
    assert names(url) == [A, B]


def test_a_manager_renames_and_renumbers_but_does_not_merge(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    a, url = team_db["client_id"], team_db["url"]
    b = with_b(team_db)
    login(team_client, "mila")
    r = send(team_client, f"/clients/{b}/merge", f"/clients/{b}", into=str(a), confirm="yes", renumber="yes")
    assert r.status_code == 403
    r = send(team_client, f"/clients/{b}/renumber", f"/clients/{b}", number="1", new="Б-1")
    assert r.status_code == 303 and numbers(url, B) == ["Б-1"]
    r = send(team_client, f"/clients/{b}/rename", f"/clients/{b}", new_name="Клиент Бета")
    assert r.status_code == 303 and names(url) == [A, "Клиент Бета"]
    all_verify(url)


def test_an_owner_merges_with_the_renumber_box_on_postgresql(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    a, url = team_db["client_id"], team_db["url"]
    b = with_b(team_db)
    login(team_client, "olga")
    r = send(team_client, f"/clients/{b}/merge", f"/clients/{b}/manage", into=str(a), confirm="yes")
    assert r.status_code == 400 and said(r.text).startswith("У обоих клиентов есть счёт № 1,")
    r = send(
        team_client, f"/clients/{b}/merge", f"/clients/{b}/manage", into=str(a), confirm="yes", renumber="yes"
    )
    assert r.status_code == 303 and r.headers["location"].startswith(f"/clients/{a}?done=merged_renumbered&")
    assert names(url) == [A] and numbers(url, A) == ["1", "1-merged"]
    [out] = records(url, b, "merged_out")
    assert out["by"] == "olga"
    all_verify(url)  # A's and B's closed chain, on PostgreSQL
    assert team_client.get(f"/clients/{b}").status_code == 404
    login(team_client, "ivan")  # A's grant stays, and B's chats are A's now
    page = team_client.get(f"/clients/{a}")
    assert page.status_code == 200 and "37 сообщений" in page.text
