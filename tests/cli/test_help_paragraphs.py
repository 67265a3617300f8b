"""A command's help is wrapped by the terminal, not at the source's line breaks.

Typer's rich mode keeps the single line breaks of every paragraph after the first, and
docstrings and the Russian catalog are wrapped at the source's width, so at 80 columns
``invoice refund --help`` read "the refund is a row of its / own / in the evidence log" and
``import --help`` "Файл, оборванный на / середине". The help is unwrapped before it is
printed (cli/_help.unwrap), in both languages.
"""

from __future__ import annotations

import re

import pytest
import typer.main
from suite_helpers import run_main

from clientguard.cli import _help, build_app

ANSI = re.compile(r"\x1b\[[0-9;]*m")
PANEL = re.compile(r"^[╭│╰]")


def _description(out: str) -> list[list[str]]:
    """The paragraphs between the usage line and the first panel, as rendered lines."""
    lines = ANSI.sub("", out).splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(("Usage:", "Использование:")))
    body: list[str] = []
    for line in lines[start + 1 :]:
        if PANEL.match(line.strip()):
            break
        body.append(line.strip())
    paragraphs: list[list[str]] = [[]]
    for line in body:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def test_unwrap_joins_lines_and_keeps_paragraphs() -> None:
    assert _help.unwrap("One.\n\nTwo lines\nof one paragraph.\n\nThree") == (
        "One.\n\nTwo lines of one paragraph.\n\nThree"
    )
    assert _help.unwrap("\bkept\nas is") == "\bkept\nas is"
    assert _help.unwrap(None) is None


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_paragraph_of_any_help_breaks_early(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("CLIENTGUARD_LANG", lang)
    ragged: list[str] = []
    for path, _ in _help.walk(typer.main.get_command(build_app())):
        args = [] if path == _help.ROOT else path.split()
        code, out, err = run_main(monkeypatch, capsys, *args, "--help")
        assert code == 0, err
        for paragraph in _description(out):
            # every line but a paragraph's last is filled up to near the 80 columns
            ragged += [f"{path}: {line!r}" for line in paragraph[:-1] if len(line) < 50]
    assert ragged == []
