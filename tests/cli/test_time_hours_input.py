"""``time add`` reads hours as a timer shows them and says what it expects in hours.

``time add X 2:30`` was refused with "expected a number such as 25000, 25 000,50 or
1,250.50": the money examples of the invoice commands, for a number of hours.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.cli._numbers import hours


@pytest.mark.parametrize(
    ("text", "value"), [("2:30", 2.5), ("0:45", 0.75), ("1,5", 1.5), ("1.25", 1.25), ("3", 3.0)]
)
def test_hours_read_as_typed(text: str, value: float) -> None:
    assert hours(text) == value


@pytest.mark.parametrize("text", ["2ч", "1:75", "полтора"])
def test_a_wrong_number_of_hours_names_hours(text: str) -> None:
    with pytest.raises(typer.BadParameter, match=r"expected hours such as 1\.5, 1,5 or 1:30"):
        hours(text)


def test_time_add_takes_hours_and_minutes(tmp_path: Path, tmp_home: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    chat = tmp_path / "WhatsApp Chat with Игорь.txt"
    chat.write_text("01.09.2025, 10:05 - Игорь: Добрый день\n", encoding="utf-8")
    runner = CliRunner()
    env = {"COLUMNS": "200", "CLIENTGUARD_LANG": "en"}
    assert (
        runner.invoke(build_app(), ["import", str(chat), "--client", "X", "--me", "Анна", *db]).exit_code == 0
    )
    result = runner.invoke(build_app(), ["time", "add", "X", "2:30", *db], env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2.5 h")
    result = runner.invoke(build_app(), ["time", "add", "X", "2h", *db], env=env)
    assert result.exit_code == 2 and "25 000,50" not in result.output
