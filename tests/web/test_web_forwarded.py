"""The client page marks a client's forward: shown with its signals, not the client's words.

The stored path (import → store → history → profile) must carry ``forwarded_from`` to the
profile, or a forwarded threat is the client's again on the dashboard.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from clientguard.store import open_store
from clientguard.store.models import ClientRow
from clientguard.web.app import create_app
from tests.web.web_helpers import ROOT, TestClient, local_config

FIXTURE = ROOT / "tests" / "fixtures" / "analysis" / "forwarded" / "tg-forwarded-threats.json"
CLIENT, ME = "Олег Дроздов", "user100"


def test_client_page_marks_forwards_and_does_not_count_them(tmp_home: Path) -> None:
    config = local_config(tmp_home)
    with open_store(config.db_url) as st:
        st.import_paths([FIXTURE], client=CLIENT, me=(ME,))
        with st.engine.connect() as conn:
            cid = int(conn.execute(select(ClientRow.id).where(ClientRow.name == CLIENT)).scalar_one())
    with TestClient(create_app(config)) as client:
        ru = client.get(f"/clients/{cid}?lang=ru")
        en = client.get(f"/clients/{cid}?lang=en")
        api = client.get(f"/api/clients/{cid}").json()
    assert ru.status_code == en.status_code == 200
    assert api["risk"]["level"] == "low" and api["archetypes"] == []
    assert api["recommendation"]["action"] == "proceed"
    assert ru.text.count("переслано от «Гость паблика» — чужие слова, в профиле клиента не учтены") == 2
    assert "переслано от «автор скрыт»" in ru.text
    assert "forwarded from “author hidden”" in en.text
