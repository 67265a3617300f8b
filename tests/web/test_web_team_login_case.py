"""QA pass 7, team mode: a phone's capital first letter does not lock a user out.

Phones capitalise the first letter of a text field: "Olga" got "Wrong user name or
password" for the user olga, on the 390 px login page of an agency's owner.
"""

from __future__ import annotations

from typing import Any

import pytest

from clientguard.errors import ConfigError
from clientguard.store import open_store
from clientguard.web.auth import add_user
from tests.web.test_web_team import login
from tests.web.web_helpers import PASSWORD, TestClient

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_login_name_in_another_letter_case(team_client: TestClient) -> None:
    page = team_client.get("/login").text
    assert 'autocapitalize="none"' in page  # the phone keyboard does not capitalise it
    assert login(team_client, "Olga").status_code == 303
    assert "olga" in team_client.get("/").text  # signed in as the stored name
    team_client.cookies.clear()
    assert login(team_client, "OLGA", "wrong password").status_code == 401


def test_a_name_differing_only_in_case_is_refused(team_db: dict[str, Any]) -> None:
    refusal = pytest.raises(ConfigError, match="'Olga' already exists as 'olga'")
    with open_store(team_db["url"]) as store, refusal:
        add_user(store, "Olga", "manager", PASSWORD)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_api_without_login_answers_in_the_requests_language(team_client: TestClient, lang: str) -> None:
    """``/api/…`` without a session said "login required" in English to every client."""
    from clientguard.web.i18n import tr

    r = team_client.get("/api/clients", headers={"accept-language": lang})
    assert r.status_code == 401
    assert r.json()["error"]["message"] == tr("login_required", lang) != "login_required"
