"""A note cannot say it happened in the future or before 1990 (QA4 F13).

A note is chained for good, with no edit: "2052-09-12" typed for "2025-09-12" was logged
as the day of the call, by ``note add --date`` and by the dashboard's notes form alike.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.evidence.notes import check_day


def test_check_day() -> None:
    today = date(2025, 9, 20)
    assert check_day(date(2025, 9, 12), today) == date(2025, 9, 12)
    assert check_day(today + timedelta(days=1), today)  # a user ahead of UTC
    for bad in (date(2052, 9, 12), today + timedelta(days=2), date(1, 1, 1), date(1989, 12, 31)):
        with pytest.raises(ValueError):
            check_day(bad, today)


def test_cli_refuses_a_future_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGUARD_DB", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English refusal is asserted below
    runner = CliRunner()
    assert runner.invoke(build_app(), ["import", str(SAMPLE), "--client", CLIENT]).exit_code == 0
    r = runner.invoke(
        build_app(), ["note", "add", CLIENT, "Созвон", "--kind", "call", "--date", "2052-09-12"]
    )
    assert r.exit_code == 2 and "has not come yet" in r.output
    r = runner.invoke(build_app(), ["note", "list", CLIENT, "--lang", "en"])
    assert "Созвон" not in r.output
    r = runner.invoke(
        build_app(), ["note", "add", CLIENT, "Созвон", "--kind", "call", "--date", "2025-09-12"]
    )
    assert r.exit_code == 0, r.output
