"""The client page names the emerging patterns behind a high risk no archetype explains.

The analysis names them (``ClientProfile.emerging``) and the HTML report shows them, but
the dashboard's archetype card still said "no archetypes" beside a critical risk.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clientguard.analysis import build_profile
from clientguard.analysis.model import ClientProfile
from clientguard.store import open_store
from clientguard.store.models import ClientRow
from clientguard.web import profiles
from clientguard.web.app import create_app
from tests.analysis.analysis_helpers import MSK, make_case, make_msg
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, local_config

#: 30 messages in working hours, the signals spread so that none reaches one in five
#: (as in tests/analysis/test_archetypes_emerging.py).
SPREAD = ["insult"] * 5 + ["manipulation"] * 4 + ["payment_delay"] * 3 + ["contract_avoidance"] * 2


def _profile() -> ClientProfile:
    monday = datetime(2025, 10, 6, 11, 0, tzinfo=MSK)
    days = [monday + timedelta(days=d) for d in range(21) if (monday + timedelta(days=d)).weekday() < 5]
    labels: list[str | None] = [*SPREAD, *[None] * (30 - len(SPREAD))]
    msgs = [
        make_msg(i + 1, days[i // 3] + timedelta(hours=i % 3), "текст", (lab,) if lab else ())
        for i, lab in enumerate(labels)
    ]
    return build_profile(msgs, make_case(), label_source="oracle")


def test_the_client_page_shows_emerging_patterns(tmp_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spread = _profile()  # critical, no archetype, abuser and manipulator emerging
    assert spread.risk.level == "critical" and not spread.archetypes and spread.emerging
    monkeypatch.setattr(profiles, "compute_profile", lambda *_a, **_k: spread)
    config = local_config(tmp_home)
    with open_store(config.db_url) as st:
        st.import_paths([SAMPLE_CHAT], client="Клиент")
        with st.engine.connect() as conn:
            cid = int(conn.execute(select(ClientRow.id)).scalar_one())
    with TestClient(create_app(config)) as client:
        ru = client.get(f"/clients/{cid}?lang=ru").text
        en = client.get(f"/clients/{cid}?lang=en").text
    assert "Ранние признаки" in ru and "17% сообщений при пороге 20%" in ru
    assert "Emerging patterns" in en and "17% of messages, threshold 20%" in en
    assert ru.count('class="arch emerging"') == 2
    assert "Устойчивых проблемных типов не найдено" not in ru
