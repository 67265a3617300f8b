"""The "defaults assumed" line names the time zone the profile really used.

QA3 F11: with ``CLIENTGUARD_TZ=Europe/Berlin`` the profile's times, working hours and
off-hours messages were Berlin's, but the console and the HTML report said "Defaults
assumed: time zone Europe/Moscow" (a fixed text), so the user was told the wrong zone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.report.i18n import assumed_default

CHAT = "30.03.2026, 10:30 - Kunde: Please send the plan today!\n30.03.2026, 10:45 - Me: Sure\n"


@pytest.mark.parametrize(("tz", "lang", "says"), [
    ("Europe/Berlin", "en", "time zone Europe/Berlin"),
    ("Asia/Yekaterinburg", "ru", "часовой пояс Asia/Yekaterinburg"),
])  # fmt: skip
def test_the_zone_named_is_the_zone_used(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, tz: str, lang: str, says: str
) -> None:
    monkeypatch.setenv("CLIENTGUARD_TZ", tz)
    monkeypatch.setenv("COLUMNS", "300")
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    args = ["import", str(chat), "--client", "Kunde", "--me", "Me", "--db", db]
    run = CliRunner().invoke(build_app(), args)
    assert run.exit_code == 0, run.output
    html = tmp_path / "r.html"
    r = CliRunner().invoke(build_app(), ["analyze", "--client", "Kunde", "--lang", lang, "--html", str(html),
                                         "--db", db])  # fmt: skip
    assert r.exit_code == 0, r.output
    out = " ".join(r.stdout.split())
    assert says in out and "Europe/Moscow" not in out, out
    assert says in html.read_text(encoding="utf-8")


def test_default_zone_text() -> None:
    assert assumed_default("timezone", "Europe/Moscow", "ru") == "часовой пояс Europe/Moscow"
    assert assumed_default("stage", "Europe/Berlin", "en") == "stage: contract"
