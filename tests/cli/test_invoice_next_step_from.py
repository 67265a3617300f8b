"""``invoice list`` in English says from when the next step is open, as the Russian does.

The next step's day is the first day it may be taken ("суд или взыскание с 2026-10-25");
the English said "court on 2026-10-25", a fixed appointment, and for an invoice long
overdue a day in the past.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from clientguard.cli import build_app


def test_the_next_step_is_open_from_its_day(tmp_path: Path, tmp_home: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    chat = tmp_path / "WhatsApp Chat with Sarah.txt"
    chat.write_text("01.09.2025, 10:05 - Sarah: Hi\n", encoding="utf-8")
    runner = CliRunner()
    env = {"COLUMNS": "200", "CLIENTGUARD_LANG": "en"}
    assert runner.invoke(build_app(), ["import", str(chat), "--client", "X", *db]).exit_code == 0
    args = [
        "invoice",
        "add",
        "X",
        "1800",
        "--currency",
        "USD",
        "--issued",
        "2025-09-01",
        "--due",
        "2025-09-15",
    ]
    assert runner.invoke(build_app(), [*args, *db], env=env).exit_code == 0
    result = runner.invoke(build_app(), ["invoice", "list", "--today", "2025-10-15", *db], env=env)
    assert result.exit_code == 0, result.output
    assert "court from 2025-10-09" in result.stdout
    ru = runner.invoke(
        build_app(), ["invoice", "list", "--today", "2025-10-15", *db], env={**env, "CLIENTGUARD_LANG": "ru"}
    )
    assert "с 2025-10-09" in ru.stdout
