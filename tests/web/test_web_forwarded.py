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


def test_forwarded_threats_are_out_of_the_flagged_count_and_listed_apart(tmp_home: Path) -> None:
    """Fifteenth session: ``message_flags`` listed a client's forwards by their own labels,
    so the page's flagged count, the portfolio's and the dispute export's flagged list
    counted a third party's threat as the client's. The forwards are listed apart instead
    ("forwarded, not counted", with a count), so nothing is hidden."""
    from clientguard.analysis.flags import forwarded_flags, message_flags
    from clientguard.web.profiles import compute_profile, summarize

    config = local_config(tmp_home)
    with open_store(config.db_url) as st:
        st.import_paths([FIXTURE], client=CLIENT, me=(ME,))
        with st.engine.connect() as conn:
            cid = int(conn.execute(select(ClientRow.id).where(ClientRow.name == CLIENT)).scalar_one())
        prof = compute_profile(st, CLIENT)
    forwards = {m.id for m in prof.messages if not m.counted}
    fwd = forwarded_flags(prof)
    assert len(fwd) == 3 and set(fwd) <= forwards, "the three forwarded threats carry labels"
    assert not set(message_flags(prof)) & set(fwd), "a forward's own labels flag nothing"
    assert summarize(prof, len(prof.messages), None)["flagged"] == len(message_flags(prof))
    with TestClient(create_app(config)) as client:
        ru = client.get(f"/clients/{cid}?lang=ru").text
        en = client.get(f"/clients/{cid}?lang=en").text
        portfolio = client.get("/api/clients").json()
    flagged_ru = ru[ru.index('id="flagged"') : ru.index('id="forwarded"')]
    assert "показано 0 из 0" in flagged_ru and "найду" not in flagged_ru
    forwarded_ru = ru[ru.index('id="forwarded"') :]
    assert "Переслано, не учтено" in forwarded_ru
    assert '<span class="muted small" id="forwarded-count">3</span>' in forwarded_ru
    assert forwarded_ru.count('class="msg fwd"') == 3 and "ноги переломаю" in forwarded_ru
    assert "переслано от «Гость паблика»" in forwarded_ru
    assert "Forwarded, not counted" in en and "forwarded from “author hidden”" in en
    row = next(r for r in portfolio if r["id"] == cid)
    assert row["flagged"] == 0
