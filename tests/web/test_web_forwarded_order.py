"""The client page and the HTML report show the same forwards, each in its stated order.

Sixteenth session (a user's day on the dashboard): the client page lists a client's
labelled forwards newest first, the report of ``analyze --html`` oldest first, and neither
said so; cut to its limit, the report kept the oldest forwards (and flagged messages)
while the page kept the newest, so past the limit the two showed different messages.
Decided: the report is a chronology (oldest first, as the dispute export), the page a
feed (newest first); a list cut to its limit keeps the newest in both, and each says
its order.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select

from clientguard.analysis.flags import forwarded_flags
from clientguard.report import render_html
from clientguard.store import open_store
from clientguard.store.models import ClientRow
from clientguard.web.app import create_app
from clientguard.web.profiles import compute_profile
from tests.web.web_helpers import ROOT, TestClient, local_config

FIXTURE = ROOT / "tests" / "fixtures" / "analysis" / "forwarded" / "tg-forwarded-threats.json"
CLIENT, ME = "Олег Дроздов", "user100"


def order(part: str, texts: dict[str, str]) -> list[str]:
    """The ids of ``texts`` (id → the start of its text) in the order ``part`` shows them
    (tags dropped: a quote's signal words are highlighted inside its text)."""
    plain = unescape(re.sub(r"<[^>]+>", "", part))
    found = {mid: plain.find(text) for mid, text in texts.items()}
    return [mid for mid, at in sorted(found.items(), key=lambda x: x[1]) if at >= 0]


@pytest.mark.parametrize("limit", [None, 2])
def test_page_and_report_show_the_same_forwards_each_in_its_order(
    tmp_home: Path, monkeypatch: pytest.MonkeyPatch, limit: int | None
) -> None:
    import clientguard.report.html as report_html
    import clientguard.web.routes.client as client_page

    if limit is not None:
        monkeypatch.setattr(report_html, "MAX_FLAGGED", limit)
        monkeypatch.setattr(client_page, "MAX_FLAGGED", limit)
    config = local_config(tmp_home)
    with open_store(config.db_url) as st:
        st.import_paths([FIXTURE], client=CLIENT, me=(ME,))
        with st.engine.connect() as conn:
            cid = int(conn.execute(select(ClientRow.id).where(ClientRow.name == CLIENT)).scalar_one())
        prof = compute_profile(st, CLIENT)
    by_id = {m.id: m for m in prof.messages}
    chronological = list(forwarded_flags(prof))  # oldest first
    assert len(chronological) == 3
    assert [by_id[m].timestamp for m in chronological] == sorted(by_id[m].timestamp for m in chronological)
    texts = {mid: by_id[mid].text[:20] for mid in chronological}
    kept = chronological[-limit:] if limit else chronological  # the newest, in both
    with TestClient(create_app(config)) as client:
        page = {lg: client.get(f"/clients/{cid}?lang={lg}").text for lg in ("ru", "en")}
    report = {lg: render_html(prof, lg) for lg in ("ru", "en")}
    for lg, note_page, note_report in (
        ("ru", "Сначала новые.", "По времени, сначала ранние."),
        ("en", "Newest first.", "In time order, oldest first."),
    ):
        on_page = page[lg][page[lg].index('id="forwarded"') :]
        in_report = report[lg][report[lg].index('<h2 id="forwarded">') :]
        assert order(on_page, texts) == kept[::-1]
        assert order(in_report, texts) == kept
        assert note_page in on_page and note_report in in_report
    flagged_ru = page["ru"][page["ru"].index('id="flagged"') : page["ru"].index('id="forwarded"')]
    assert "сначала новые" in flagged_ru
    assert "по времени, сначала ранние" in report["ru"]


def test_a_cut_report_keeps_the_newest_flagged_messages(
    tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The flagged messages too: cut to two, the report keeps the two latest, oldest first."""
    import clientguard.report.html as report_html
    from clientguard.analysis.flags import message_flags
    from tests.web.web_helpers import SAMPLE_CHAT

    monkeypatch.setattr(report_html, "MAX_FLAGGED", 2)
    with open_store(local_config(tmp_home).db_url) as st:
        st.import_paths([SAMPLE_CHAT], client="Анна")
        prof = compute_profile(st, "Анна")
    by_id = {m.id: m for m in prof.messages}
    flagged = sorted(message_flags(prof), key=lambda mid: by_id[mid].timestamp)
    assert len(flagged) > 2
    html = render_html(prof, "ru")
    part = html[html.index("<h2>Отмеченные сообщения") :]
    shown = re.findall(r'<span class="meta">#([^ ]+) ·', part.split('<h2 id="forwarded">')[0])
    assert shown == flagged[-2:]
