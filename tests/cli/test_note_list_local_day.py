"""``note list`` dates a note by the day it was written where the user is (QA pass 7).

A note added at 01:51 Moscow time was listed as the day before (the UTC date), while the
evidence export of the same note said "2026-11-25 01:51 +03:00": two days for one note.
The list now takes the day in the configured time zone (``CLIENTGUARD_TZ``), as the export.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app


def test_note_list_shows_the_local_day(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a zone whose date differs from UTC's right now: +14 h late in the UTC day, -12 h early in it
    zone = "Pacific/Kiritimati" if datetime.now(UTC).hour >= 10 else "Etc/GMT+12"
    monkeypatch.setenv("CLIENTGUARD_TZ", zone)
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    chat = tmp_path / "chat.csv"
    chat.write_text("timestamp,sender,text\n2025-09-12T10:00:00+00:00,Sarah,Hi\n", encoding="utf-8")
    app = build_app()
    assert CliRunner().invoke(app, ["import", str(chat), "--client", "Bloom", "--db", db]).exit_code == 0
    added = CliRunner().invoke(app, ["note", "add", "Bloom", "Call: 2 revisions per post", "--kind", "call",
                                     "--db", db, "--lang", "en"])  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = CliRunner().invoke(app, ["note", "list", "Bloom", "--db", db, "--lang", "en"])
    assert listed.exit_code == 0, listed.output
    local = datetime.now(ZoneInfo(zone)).date().isoformat()
    assert local != datetime.now(UTC).date().isoformat()  # the case this test is about
    assert f"  {local}  " in listed.stdout, listed.stdout
