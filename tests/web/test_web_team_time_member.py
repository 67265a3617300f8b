"""An owner logs time for a team member who works on the client; nobody else can.

The time form logged only the signed-in user's hours, so an owner entering the team's
timesheet had to use ``time add --member`` on the server. The CLI takes any team member;
the page offers the members who may open the client (owners and managers, specialists
granted it), the owner first, and the server refuses anyone else, and any choice at all
from a non-owner (403), whatever the form sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clientguard.store import open_store
from clientguard.store.models_web import TimeEntryRow
from clientguard.web.app import create_app
from clientguard.web.auth import add_user, grant
from tests.web.test_web_team import csrf_of, login
from tests.web.test_web_team_money import error_of
from tests.web.web_helpers import PASSWORD, SAMPLE_CHAT, TestClient, team_config

pytestmark = pytest.mark.redis
C = "Клиент А"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def team(
    request: pytest.FixtureRequest, tmp_path: Path, redis_ok: str
) -> Iterator[tuple[TestClient, int, str]]:
    """Team mode: owner ``olga``, manager ``maria``, specialists ``ivan`` (granted «Клиент А»)
    and ``petr`` (nothing)."""
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url_schema")
    else:
        url = f"sqlite:///{tmp_path / 'team.sqlite3'}"
    with open_store(url) as store:
        store.import_paths([SAMPLE_CHAT], client=C)
        for name, role in (
            ("olga", "owner"),
            ("maria", "manager"),
            ("ivan", "specialist"),
            ("petr", "specialist"),
        ):
            add_user(store, name, role, PASSWORD)
        grant(store, "ivan", C)
        cid = store.clients()[0].id
    with TestClient(create_app(team_config(tmp_path, url, redis_ok))) as web:
        yield web, cid, url


def log_time(web: TestClient, cid: int, lang: str = "ru", **data: str) -> Any:
    token = csrf_of(web.get(f"/clients/{cid}").text)
    form = {"csrf": token, "hours": "2", "day": "2025-09-03", "note": "отчёт"} | data
    return web.post(f"/clients/{cid}/time?lang={lang}", data=form, follow_redirects=False)


def rows(url: str) -> list[tuple[str, float]]:
    with open_store(url) as store, store.engine.connect() as conn:
        return [(str(m), float(h)) for m, h in conn.execute(select(TimeEntryRow.member, TimeEntryRow.hours))]


def offered(html: str) -> list[str]:
    """The member select's option values, in order ([] when there is none)."""
    import re

    found = re.search(r'<select name="member" id="time-member">(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"', found.group(1)) if found else []


def test_an_owner_logs_time_for_a_member_working_on_the_client(team: tuple[TestClient, int, str]) -> None:
    web, cid, url = team
    login(web, "olga")
    # the owner first, then who may open the client: the manager and the granted specialist
    assert offered(web.get(f"/clients/{cid}").text) == ["olga", "ivan", "maria"]
    r = log_time(web, cid, member="ivan", hours="1,5")
    assert r.status_code == 303 and r.headers["location"].endswith("?done=time_added#time")
    assert log_time(web, cid).status_code == 303  # no member sent: the owner's own
    assert log_time(web, cid, member="olga", hours="1").status_code == 303
    assert rows(url) == [("ivan", 1.5), ("olga", 2.0), ("olga", 1.0)]
    assert "ivan" in web.get(f"/clients/{cid}").text.split('id="time-log"')[1].split("</div>")[0]


@pytest.mark.parametrize(
    ("member", "lang", "said"),
    [
        ("petr", "ru", "«Участник»: у «petr» нет доступа к этому клиенту"),
        ("nobody", "en", "“Member”: “nobody” has no access to this client"),
        ("IVAN", "ru", "«Участник»: у «IVAN» нет доступа к этому клиенту"),
    ],
)
def test_an_owner_cannot_log_time_for_someone_off_the_client(
    team: tuple[TestClient, int, str], member: str, lang: str, said: str
) -> None:
    web, cid, url = team
    login(web, "olga")
    r = log_time(web, cid, lang, member=member, hours="3", minutes="15", note="созвон")
    assert r.status_code == 400 and said in error_of(r.text)
    form = r.text[r.text.index('id="time-form"') :]
    form = form[: form.index("</form>")]
    for kept in ('value="3"', 'value="15"', 'value="созвон"', 'value="2025-09-03"'):
        assert kept in form  # what was typed stays
    assert rows(url) == []


def test_a_grant_puts_the_member_in_the_owners_form(team: tuple[TestClient, int, str]) -> None:
    """The page is cached per database version: a grant given since must show in the select."""
    web, cid, url = team
    login(web, "olga")
    assert "petr" not in offered(web.get(f"/clients/{cid}").text)
    with open_store(url) as store:
        grant(store, "petr", C)
    assert offered(web.get(f"/clients/{cid}").text) == ["olga", "ivan", "maria", "petr"]
    assert log_time(web, cid, member="petr").status_code == 303
    with open_store(url) as store:
        grant(store, "petr", C, revoke=True)
    assert "petr" not in offered(web.get(f"/clients/{cid}").text)
    assert log_time(web, cid, member="petr").status_code == 400
    assert rows(url) == [("petr", 2.0)]


@pytest.mark.parametrize("who", ["ivan", "maria"])
def test_anyone_else_logs_only_their_own_time(team: tuple[TestClient, int, str], who: str) -> None:
    web, cid, url = team
    login(web, who)
    assert offered(web.get(f"/clients/{cid}").text) == []  # no choice offered
    r = log_time(web, cid, member="olga")  # a forged form
    assert r.status_code == 403 and "только владелец" in r.text
    assert rows(url) == []
    assert log_time(web, cid, member=who).status_code == 303  # naming oneself is fine
    assert log_time(web, cid).status_code == 303
    assert rows(url) == [(who, 2.0), (who, 2.0)]


def test_logging_time_for_a_member_needs_the_csrf_token(team: tuple[TestClient, int, str]) -> None:
    web, cid, url = team
    login(web, "olga")
    for token in ({}, {"csrf": "forged"}):
        r = web.post(
            f"/clients/{cid}/time", data={"hours": "1", "member": "ivan"} | token, follow_redirects=False
        )
        assert r.status_code == 403
    assert rows(url) == []


def test_local_mode_offers_no_member(local_client: TestClient, tmp_home: Path) -> None:
    """One user, no team: the time is "me", as `time add` without --member."""
    from tests.web.web_helpers import local_config

    url = local_config(tmp_home).db_url
    with open_store(url) as store:
        store.import_paths([SAMPLE_CHAT], client=C)
        cid = store.clients()[0].id
    assert offered(local_client.get(f"/clients/{cid}").text) == []
    token = local_client.cookies.get("cg_csrf") or ""
    r = local_client.post(f"/clients/{cid}/time", data={"csrf": token, "hours": "1"}, follow_redirects=False)
    assert r.status_code == 303
    assert rows(url) == [("me", 1.0)]
