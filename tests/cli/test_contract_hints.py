"""Ready-to-copy commands printed by ``contract`` are shell-quoted (QA F27).

``contract show "Кофейня Пенка2"`` printed ``run `clientguard contract add Кофейня
Пенка2 FILE` ``, which pasted as is passes three arguments instead of two.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.contracts.test_checker import EN_CONTRACT


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'hints.sqlite3'}"


def _commands(output: str) -> list[list[str]]:
    """Every `clientguard …` command quoted in backticks, split as a shell would."""
    return [shlex.split(c) for c in re.findall(r"`(clientguard [^`]+)`", output)]


@pytest.mark.parametrize("client", ["Кофейня Пенка2", "O'Brien & Sons", "Студия «Лето» $HOME"])
def test_show_hints_paste_as_one_argument(tmp_path: Path, db: str, client: str) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text("12.09.2025, 10:00 - Иван: Привет\n12.09.2025, 10:05 - Ольга: ок\n", encoding="utf-8")
    imported = CliRunner().invoke(build_app(), ["import", str(chat), "--client", client, "--db", db])
    assert imported.exit_code == 0, imported.output
    r = CliRunner().invoke(build_app(), ["contract", "show", client, "--db", db])
    assert r.exit_code == 1
    commands = _commands(" ".join(r.output.split()))
    assert [c[:4] for c in commands] == [
        ["clientguard", "contract", "add", client],
        ["clientguard", "contract", "set", client],
    ], r.output


@pytest.mark.parametrize(("lang", "prefix"), [("en", "Wrong? Fix it:"), ("ru", "Неверно? Исправьте:")])
def test_add_hint_names_the_client_quoted(tmp_path: Path, db: str, lang: str, prefix: str) -> None:
    contract = tmp_path / "c.md"
    contract.write_text("\n".join(EN_CONTRACT), encoding="utf-8")
    args = ["contract", "add", "Кофейня Пенка2", str(contract), "--yes", "--create-client", "--db", db]
    # contract add's --lang is the contract's language; the interface follows the setting.
    r = CliRunner().invoke(build_app(), args, env={"CLIENTGUARD_LANG": lang})
    assert r.exit_code == 0, r.output
    line = next(ln for ln in r.output.splitlines() if ln.startswith(prefix))
    assert shlex.split(line.split(":", 1)[1])[:4] == ["clientguard", "contract", "set", "Кофейня Пенка2"]
