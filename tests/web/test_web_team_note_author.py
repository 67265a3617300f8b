"""Team mode: a note records who wrote it (QA pass 7).

Several people write notes on one client; an owner reading "agreed by phone: two more
reels for free" could not tell whose word it was. The note now names its author on the
client page and in its chained record; the local user's notes, and older ones, name none
and keep the payload they were chained with.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from clientguard.evidence.notes import add_note, notes
from clientguard.evidence.verify import verify_client
from clientguard.store import open_store
from tests.web.test_web_team import csrf_of, login
from tests.web.web_helpers import TestClient

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _note(web: TestClient, client_id: int, text: str) -> None:
    page = web.get(f"/clients/{client_id}")
    r = web.post(
        f"/clients/{client_id}/notes",
        data={"csrf": csrf_of(page.text), "text": text, "kind": "call", "day": ""},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:300]


def test_a_note_names_the_team_member_who_wrote_it(
    team_client: TestClient, team_db: dict[str, Any]
) -> None:
    cid = team_db["client_id"]
    login(team_client, "ivan")
    _note(team_client, cid, "Договорились по телефону: ещё два рилса бесплатно")
    team_client.post("/logout", data={"csrf": csrf_of(team_client.get("/").text)})
    login(team_client, "olga")
    _note(team_client, cid, "Договорились по телефону: ещё два рилса бесплатно")  # same words, other person
    page = team_client.get(f"/clients/{cid}").text
    items = re.findall(r'<div class="note-item">(.*?)</div></div>', page, re.S)
    assert len(items) == 2 and "· ivan" in "".join(items) and "· olga" in "".join(items)
    with open_store(team_db["url"]) as store, store.engine.connect() as conn:
        assert [n.author for n in notes(conn, cid)] == ["ivan", "olga"]
        report = verify_client(conn, cid)
    assert report.ok, report


def test_a_note_without_an_author_keeps_its_payload(team_db: dict[str, Any]) -> None:
    cid = team_db["client_id"]
    with open_store(team_db["url"]) as store:
        with store.engine.begin() as conn:
            add_note(conn, cid, "Созвон: бриф согласован", "call")
        with store.engine.connect() as conn:
            assert [n.author for n in notes(conn, cid)] == [None]
            assert verify_client(conn, cid).ok
