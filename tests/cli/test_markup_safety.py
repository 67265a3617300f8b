"""Names, messages, paths and terms are printed as written, never read as Rich markup.

A client called "[b]rand", a contact signed "Анна [ceo]", a scope item with "[/]" or a
folder named "[x]" used to lose their brackets in the console output, and a closing tag
such as "[/b]" crashed the command with a MarkupError traceback.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import _console, build_app

CHAT = """12/09/2025, 10:00 - Анна [ceo]: Добрый день! [/] Оплатим на следующей неделе, денег нет
12/09/2025, 10:05 - Я: Хорошо
12/09/2025, 10:06 - Олег [b]: Срочно переделайте всё к утру [/b]
12/09/2025, 23:41 - Анна [ceo]: и сделайте скидку [bold]
"""
CLIENT = "[b]rand [/i]"


def _cli(*args: str) -> str:
    r = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture
def wide_console(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tables wide enough that no name is cut with "…" (the console is made once per process)."""
    monkeypatch.setenv("COLUMNS", "250")
    _console.console.cache_clear()
    yield
    _console.console.cache_clear()


def test_names_and_terms_keep_their_brackets(tmp_path: Path, wide_console: None) -> None:
    db = f"sqlite:///{tmp_path / 'cg.db'}"
    chat = tmp_path / "[x] chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    out = _cli("analyze", str(chat), "--client", CLIENT, "--me", "Я", "--db", db)
    assert CLIENT in out and "Анна [ceo]" in out
    assert CLIENT in _cli("clients", "--db", db)
    _cli("invoice", "add", CLIENT, "1000", "--issued", "2025-09-01", "--due", "2025-09-15", "--db", db)
    assert CLIENT in _cli("invoice", "list", "--db", db)
    _cli("contract", "set", CLIENT, "--revision-limit", "2", "--db", db)
    assert CLIENT in _cli("contract", "show", CLIENT, "--db", db)


def test_error_line_quotes_paths_and_values_literally(tmp_path: Path) -> None:
    folder = tmp_path / "[x]"
    folder.mkdir()
    bad = folder / "in.jsonl"
    bad.write_text('{"id": 1, "text": "hi", "lang": "[/b]"}\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "clientguard", "signals", "--in", str(bad)],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    flat = r.stderr.replace("\n", "")
    assert "[x]" in flat and "[/b]" in flat
