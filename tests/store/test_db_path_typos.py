"""A typo in --db is one line naming the path, never a new empty database (QA pass 6, I3).

``--db sqlite:///typo/path/cg.sqlite3`` created the folder tree and an empty database, so
``clients`` answered "no clients" from the wrong file. Now a missing folder is an error for
every command, and read-only commands on a file that is not there say "no database at …".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_helpers import run_main
from typer.testing import CliRunner

from clientguard.cli import build_app

CHAT = "01.09.2025, 10:05 - Игорь: Оплатим на следующей неделе\n01.09.2025, 10:07 - Анна: Хорошо\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), list(args))
    return result.exit_code, result.output


READ_ONLY = [
    ["clients"],
    ["messages", "Игорь"],
    ["analyze", "--client", "Игорь"],
    ["evidence", "verify"],
    ["invoice", "list"],
    # QA pass 6 follow-up, K3: these only read too, and made an empty file from a --db typo
    ["me", "list"],
    ["note", "list", "Игорь"],
    ["revisions", "Игорь"],
    ["reply", "payment_reminder_firm", "--client", "Игорь"],
    ["contract", "show", "Игорь"],
    ["contract", "check", "contract.txt", "--client", "Игорь"],
    ["user", "list"],
]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c))
def test_a_read_only_command_on_a_missing_file_says_so(
    tmp_path: Path, tmp_home: Path, command: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    (tmp_path / "contract.txt").write_text("Договор. Исполнитель оказывает услуги.", encoding="utf-8")
    command = [str(tmp_path / c) if c == "contract.txt" else c for c in command]
    target = tmp_path / "cg.sqlite3"
    code, _, err = run_main(monkeypatch, capsys, *command, "--db", f"sqlite:///{target}")
    assert code != 0
    assert f"E300: no database at {target}" in err, err
    assert "Traceback" not in err
    assert not target.exists()


@pytest.mark.parametrize("command", [*READ_ONLY, ["import", "chat.txt"]], ids=lambda c: " ".join(c))
def test_a_missing_folder_is_an_error_naming_it(
    tmp_path: Path, tmp_home: Path, command: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    (tmp_path / "chat.txt").write_text(CHAT, encoding="utf-8")
    (tmp_path / "contract.txt").write_text("Договор. Исполнитель оказывает услуги.", encoding="utf-8")
    command = [str(tmp_path / c) if c in ("chat.txt", "contract.txt") else c for c in command]
    target = tmp_path / "typo" / "path" / "cg.sqlite3"
    code, _, err = run_main(monkeypatch, capsys, *command, "--db", f"sqlite:///{target}")
    assert code != 0
    assert str(tmp_path / "typo" / "path") in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "typo").exists()


def test_a_new_file_in_an_existing_folder_is_created_by_an_import(tmp_path: Path, tmp_home: Path) -> None:
    (tmp_path / "chat.txt").write_text(CHAT, encoding="utf-8")
    target = tmp_path / "new.sqlite3"
    db = ["--db", f"sqlite:///{target}"]
    code, out = run("import", str(tmp_path / "chat.txt"), "--me", "Анна", *db)
    assert code == 0, out
    code, out = run("clients", *db)
    assert code == 0 and "Игорь" in out, out
