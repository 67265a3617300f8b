"""A number in a Russian error box stays on one line: "12 345", never "12" | "345".

Russian groups thousands with a no-break space (``report.i18n.number``), but Rich wraps at
any ``\\s`` and Python's ``\\s`` takes U+00A0 and U+202F for spaces: Typer's error box read
"… а указано 12" with "345" on the next line at some terminal widths (23, 29, 30 columns
for the refusal below). :mod:`clientguard.cli._grouped` wraps with those spaces held.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Console
from rich.panel import Panel
from rich.text import Text
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.cli._grouped import GroupedText

TEXT = "Недопустимое значение '--limit': нужно не больше 1\u00a0000, а указано 12\u202f345\u00a0678"
WIDTHS = range(16, 61)  # from the narrowest box the longest number (with its comma) fits in


def _flat(shown: str) -> str:
    """The lines as one, on plain spaces only (``str.split`` takes no-break ones too)."""
    return re.sub(r"[ \n]+", " ", shown).strip()


def _box(body: Text, width: int) -> str:
    out = Console(width=width, color_system=None, force_terminal=False)
    with out.capture() as cap:
        out.print(Panel(body, title="Ошибка"))
    return cap.get()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_narrow_error_box_keeps_grouped_numbers_whole(width: int) -> None:
    shown = _box(GroupedText(TEXT), width)
    assert "1\u00a0000" in shown and "12\u202f345\u00a0678" in shown, shown
    assert _flat(re.sub(r"[│╭╮╰╯─]|Ошибка", " ", shown)) == TEXT  # nothing lost, nothing added


def test_plain_rich_text_breaks_them_which_is_why() -> None:
    """The premise: without :class:`GroupedText` some width cuts a number in two."""
    assert any("12\u202f345\u00a0678" not in _box(Text(TEXT), w) for w in WIDTHS)


@pytest.mark.parametrize("width", range(20, 71))
def test_typers_error_box_in_russian_keeps_the_refused_value_whole(width: int, tmp_path: Path) -> None:
    env = {
        "CLIENTGUARD_LANG": "ru",
        "CLIENTGUARD_DB": f"sqlite:///{tmp_path / 'cg.sqlite3'}",
        "COLUMNS": str(width),
    }
    r = CliRunner().invoke(build_app(), ["contract", "set", "Пенка", "--late-fee", "12345"], env=env)
    assert r.exit_code == 2
    assert "указано 12\u00a0345" in _flat(r.output.replace("│", " ")), r.output
