"""``note add --kind`` takes the kind as ``note list`` words it.

``note list`` shows "звонок", "встреча", "договорённость" in Russian; typing the word one
sees (``--kind звонок``, or ``Call``) was refused with "expected a note kind of call,
meeting, agreement".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("звонок", "звонок"), ("Встреча", "встреча"), ("договоренность", "договорённость"), ("Call", "звонок")],
)
def test_the_kind_as_note_list_words_it(tmp_path: Path, tmp_home: Path, typed: str, kind: str) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    chat = tmp_path / "WhatsApp Chat with Игорь.txt"
    chat.write_text("01.09.2025, 10:05 - Игорь: Добрый день\n", encoding="utf-8")
    runner = CliRunner()
    env = {"COLUMNS": "200", "CLIENTGUARD_LANG": "ru"}
    assert (
        runner.invoke(build_app(), ["import", str(chat), "--client", "X", "--me", "Анна", *db]).exit_code == 0
    )
    result = runner.invoke(build_app(), ["note", "add", "X", "Созвон", "--kind", typed, *db], env=env)
    assert result.exit_code == 0, result.output
    assert f"({kind})" in result.stdout
    assert f" {kind} " in runner.invoke(build_app(), ["note", "list", "X", *db], env=env).stdout


def test_an_unknown_kind_is_still_refused(tmp_path: Path, tmp_home: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    chat = tmp_path / "WhatsApp Chat with Игорь.txt"
    chat.write_text("01.09.2025, 10:05 - Игорь: Добрый день\n", encoding="utf-8")
    runner = CliRunner()
    assert (
        runner.invoke(build_app(), ["import", str(chat), "--client", "X", "--me", "Анна", *db]).exit_code == 0
    )
    result = runner.invoke(build_app(), ["note", "add", "X", "Созвон", "--kind", "письмо", *db])
    assert result.exit_code == 1
