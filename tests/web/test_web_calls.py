"""The client page shows the client's calls outside working time beside the late messages."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from clientguard.store import open_store
from clientguard.store.models import ClientRow
from clientguard.web.app import create_app
from clientguard.web.profiles import cache_keys
from tests.web.web_helpers import ROOT, TestClient, local_config

FIXTURE = ROOT / "tests" / "fixtures" / "calls" / "telegram_night_calls.json"
CLIENT, ME = "Ирина Соколова", "user7770001"


def _import(db: str, path: Path) -> int:
    with open_store(db) as st:
        st.import_paths([path], client=CLIENT, me=(ME,))
        with st.engine.connect() as conn:
            return int(conn.execute(select(ClientRow.id).where(ClientRow.name == CLIENT)).scalar_one())


def test_client_page_names_the_night_calls(tmp_home: Path) -> None:
    config = local_config(tmp_home)
    cid = _import(config.db_url, FIXTURE)
    with TestClient(create_app(config)) as client:
        ru = client.get(f"/clients/{cid}?lang=ru")
        en = client.get(f"/clients/{cid}?lang=en")
        api = client.get(f"/api/clients/{cid}").json()
    assert ru.status_code == en.status_code == 200
    assert "пропущенный звонок в 02:14 (сб)" in ru.text and "звонок в 23:40 (вт)" in ru.text
    assert "missed call at 02:14 (Sat)" in en.text and "call at 23:40 (Tue)" in en.text
    assert "(ср)" not in ru.text  # the client's call on Wednesday noon is inside working hours
    assert "(чт)" not in ru.text  # the specialist's call on Thursday night is not the client's
    [off] = [s for s in api["conversation_signals"] if s["id"] == "off_hours_message"]
    assert [d["source_id"] for d in off["details"]] == ["6", "9"]


def test_a_new_call_alone_refreshes_the_cached_profile(tmp_home: Path, tmp_path: Path) -> None:
    """A newer export may add a call and no message; the page must not keep the old profile."""
    config = local_config(tmp_home)
    cid = _import(config.db_url, FIXTURE)
    with open_store(config.db_url) as st:
        before = cache_keys(st, [cid])[cid]
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["messages"].append(
        {
            "id": 16,
            "type": "service",
            "date": "2025-09-20T03:01:00",
            "date_unixtime": "1758326460",
            "actor": CLIENT,
            "actor_id": "user5550001",
            "action": "phone_call",
            "discard_reason": "missed",
            "text": "",
            "text_entities": [],
        }
    )
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _import(config.db_url, newer)
    with open_store(config.db_url) as st:
        assert cache_keys(st, [cid])[cid] != before
