"""QA pass 7, team mode: after logging in, the user is back where they were.

The login redirect kept only the path: a filtered portfolio came back unfiltered, and a
form sent when the session had expired (a note, "Log out") led after logging in to a GET
of a POST-only address: "Method not allowed".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.test_web_team import csrf_of
from tests.web.web_helpers import PASSWORD, TestClient

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _next_of(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == "/login", location
    return parse_qs(parts.query)["next"][0]


def _log_in(client: TestClient, back: str) -> Any:
    page = client.get("/login", params={"next": back})
    return client.post(
        "/login",
        data={"username": "ivan", "password": PASSWORD, "csrf": csrf_of(page.text), "next": back},
        follow_redirects=False,
    )


def test_a_filtered_page_keeps_its_query_through_login(team_client: TestClient) -> None:
    r = team_client.get("/?q=Клиент А&level=critical&lang=en", follow_redirects=False)
    back = _next_of(r.headers["location"])
    assert urlsplit(back).path == "/"
    assert parse_qs(urlsplit(back).query) == {"q": ["Клиент А"], "level": ["critical"], "lang": ["en"]}
    done = _log_in(team_client, back)
    assert done.status_code == 303 and done.headers["location"] == back


def test_a_form_sent_after_the_session_ended_returns_to_its_page(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    cid = team_db["client_id"]
    form_page = f"http://testserver/clients/{cid}?lang=en"
    r = team_client.post(
        f"/clients/{cid}/notes",
        data={"text": "Договорились о трёх правках", "csrf": "stale"},
        headers={"referer": form_page},
        follow_redirects=False,
    )
    back = _next_of(r.headers["location"])
    assert back == f"/clients/{cid}?lang=en"
    assert _log_in(team_client, back).headers["location"] == back
    assert team_client.get(back).status_code == 200  # the client page, not 405
    team_client.cookies.clear()

    # Logging out with an ended session: back to the page, never to GET /logout.
    r = team_client.post("/logout", headers={"referer": "http://testserver/upload"}, follow_redirects=False)
    assert _next_of(r.headers["location"]) == "/upload"


def test_a_foreign_referer_is_not_followed(team_client: TestClient, team_db: dict[str, Any]) -> None:
    r = team_client.post(
        f"/clients/{team_db['client_id']}/notes",
        data={"text": "x"},
        headers={"referer": "https://evil.example/clients/1"},
        follow_redirects=False,
    )
    assert _next_of(r.headers["location"]) == "/"


def test_an_ended_session_is_said_on_the_login_page(team_client: TestClient, team_db: dict[str, Any]) -> None:
    """The owner set a new password (``user passwd`` ends the sessions): the user lands on
    the login form with the reason, not on a bare form mid-work."""
    from clientguard.store import open_store
    from clientguard.web.auth import set_password
    from clientguard.web.i18n import tr

    assert _log_in(team_client, "/").status_code == 303
    with open_store(team_db["url"]) as store:
        set_password(store, "ivan", "another long password")
    r = team_client.get(f"/clients/{team_db['client_id']}", follow_redirects=False)
    page = team_client.get(r.headers["location"])
    assert tr("session_ended", "ru") in page.text and 'id="login-notice"' in page.text
    assert "cg_session" not in team_client.cookies  # the dead cookie is dropped: said once
    assert tr("session_ended", "ru") not in team_client.get("/login").text
