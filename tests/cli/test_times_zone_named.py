"""``messages`` and ``clients`` name the time zone of the times they print (QA pass 7).

A New York freelancer without ``CLIENTGUARD_TZ`` read "2025-09-01 17:02 Sarah: Hi Alex!"
for a message her client wrote at 10:02: the times were Moscow's (the default) and nothing
said so. One line on stderr now names the zone and the setting; JSON stays as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app


@pytest.mark.parametrize(("lang", "said"), [("en", "Times are in {zone}"), ("ru", "в часовом поясе {zone}")])
@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Moscow"])
def test_listed_times_name_their_zone(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, zone: str, lang: str, said: str
) -> None:
    monkeypatch.setenv("CLIENTGUARD_TZ", zone)
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    chat = tmp_path / "chat.csv"
    chat.write_text("timestamp,sender,text\n2025-09-01T14:02:00+00:00,Sarah,Hi Alex!\n", encoding="utf-8")
    app = build_app()
    assert CliRunner().invoke(app, ["import", str(chat), "--client", "Bloom", "--db", db]).exit_code == 0
    for args in (["messages", "Bloom"], ["clients"]):
        r = CliRunner().invoke(app, [*args, "--db", db, "--lang", lang])
        assert r.exit_code == 0, r.output
        assert said.format(zone=zone) in r.stderr and "CLIENTGUARD_TZ" in r.stderr, (args, r.stderr)
        assert zone not in r.stdout  # the listing itself is unchanged
    listed = CliRunner().invoke(app, ["messages", "Bloom", "--json", "--db", db])
    assert listed.exit_code == 0 and not listed.stderr, listed.stderr
