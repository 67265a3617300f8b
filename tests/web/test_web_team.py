"""Team mode on a real PostgreSQL and Redis: login, CSRF, rate limit, access control, rq imports."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from clientguard.store import open_store
from clientguard.web.auth import grant
from tests.web.web_helpers import PASSWORD, SAMPLE_CHAT, TestClient, wait_job

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "form without CSRF token"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf": csrf_of(page.text), "next": "/"},
        follow_redirects=False,
    )


def test_pages_need_login(team_client: TestClient) -> None:
    r = team_client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert team_client.get("/api/clients", headers={"accept": "application/json"}).status_code == 401


def test_login_and_session_cookie(team_client: TestClient) -> None:
    r = login(team_client, "olga")
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "cg_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = team_client.get("/")
    assert page.status_code == 200 and "Клиент А" in page.text
    assert login(team_client, "olga", "wrong password").status_code == 401


def test_login_without_csrf_is_rejected(team_client: TestClient) -> None:
    team_client.get("/login")
    r = team_client.post(
        "/login",
        data={"username": "olga", "password": PASSWORD, "csrf": "forged"},
        headers={"accept": "application/json"},
    )
    assert r.status_code == 403


def test_post_with_foreign_csrf_is_rejected(team_client: TestClient, team_db: dict[str, Any]) -> None:
    login(team_client, "olga")
    r = team_client.post(
        f"/clients/{team_db['client_id']}/notes",
        data={"text": "x", "csrf": "forged"},
        headers={"accept": "application/json"},
    )
    assert r.status_code == 403
    page = team_client.get(f"/clients/{team_db['client_id']}")
    ok = team_client.post(
        f"/clients/{team_db['client_id']}/notes",
        data={"text": "Договорились о трёх правках", "csrf": csrf_of(page.text)},
    )
    assert ok.status_code == 200 and "Договорились о трёх правках" in ok.text


def test_login_is_rate_limited(team_client: TestClient) -> None:
    codes = [login(team_client, "olga", "wrong password").status_code for _ in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    assert login(team_client, "olga").status_code == 429  # even the right password, until the minute ends


def test_specialist_sees_only_granted_clients(team_client: TestClient, team_db: dict[str, Any]) -> None:
    cid = team_db["client_id"]
    login(team_client, "petr")
    assert team_client.get(f"/clients/{cid}").status_code == 403
    assert team_client.get(f"/api/clients/{cid}", headers={"accept": "application/json"}).status_code == 403
    assert team_client.get("/api/clients").json() == []
    assert team_client.get("/team").status_code == 403
    team_client.cookies.clear()
    login(team_client, "ivan")
    assert team_client.get(f"/clients/{cid}").status_code == 200


def test_upload_runs_on_rq_worker(team_client: TestClient, tmp_path: Path, redis_ok: str) -> None:
    from clientguard.web.worker import work

    login(team_client, "olga")
    page = team_client.get("/upload")
    export = tmp_path / "new.json"
    export.write_text(
        SAMPLE_CHAT.read_text(encoding="utf-8").replace("Игорь Пенкин", "Новый Клиент"), encoding="utf-8"
    )
    with export.open("rb") as fh:
        r = team_client.post(
            "/upload",
            files={"file": ("new.json", fh)},
            data={"csrf": csrf_of(page.text), "client": "Новый Клиент"},
            follow_redirects=False,
        )
    assert r.status_code == 303
    assert (
        team_client.get(r.headers["location"], headers={"accept": "application/json"}).json()["status"]
        == "queued"
    )
    work(redis_ok, burst=True)  # one rq worker drains the queue in this process
    job = wait_job(team_client, r.headers["location"])
    assert job["status"] == "done", job
    assert job["result"]["clients"][0]["name"] == "Новый Клиент"


def test_new_grant_shows_at_once(team_client: TestClient, team_db: dict[str, Any]) -> None:
    """Cached pages are keyed by the user's access: a grant is visible without any import."""
    login(team_client, "petr")
    assert "Клиент А" not in team_client.get("/").text
    with open_store(team_db["url"]) as store:
        grant(store, "petr", "Клиент А")
    assert "Клиент А" in team_client.get("/").text


@pytest.mark.parametrize("client_id", [2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**22])
def test_client_id_beyond_the_column_is_404_on_postgresql(team_client: TestClient, client_id: int) -> None:
    """PostgreSQL's id column is narrower than SQLite's: a wide id is still just no page."""
    assert login(team_client, "olga").status_code == 303
    for path in (f"/clients/{client_id}", f"/clients/{client_id}/evidence.html", f"/api/clients/{client_id}"):
        r = team_client.get(path)
        assert r.status_code == 404, (path, r.text[:300])
        assert r.headers["x-content-type-options"] == "nosniff"
    assert team_client.get(f"/api/clients/{client_id}").json()["error"]["status"] == 404
