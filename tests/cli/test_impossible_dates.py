"""A date the calendar lacks is named as such, the same way in every date option.

'invoice add X 100 --due 31.02.2026' said "--due: expected YYYY-MM-DD, got '31.02.2026'"
although dotted dates are read (the user looked for a typo in the format); 'note add' said
"expected a date like 2025-09-01" without naming the option, and each command worded it
its own way. One helper (cli/_dates.day_option) words them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.cli._dates import day, moment

CHAT = "01.09.2025, 10:05 - Игорь: Оплатим на следующей неделе\n05.09.2025, 10:07 - Анна: Хорошо\n"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("31.02.2026", "February 2026 has 28 days"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("29.02.2025", "February 2025 has 28 days"),
        ("31.04.2026", "April 2026 has 30 days"),
        ("2026-13-01", "there is no month 13"),
        ("00.05.2026", "there is no day 0"),
    ],
)
def test_an_impossible_day_is_named(text: str, why: str) -> None:
    for parse in (day, moment):
        with pytest.raises(ValueError, match=why):
            parse(text)


def test_a_wrong_spelling_names_both_spellings_read() -> None:
    with pytest.raises(ValueError, match=r"2025-09-01 or 01\.09\.2025"):
        day("01/09/25")
    with pytest.raises(ValueError, match="February 2026 has 28 days"):
        moment("31.02.2026 10:00")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("invoice", "add", "X", "1000", "--due", "31.02.2026"), "--due"),
        (("invoice", "add", "X", "1000", "--issued", "31.02.2026", "--due", "01.03.2026"), "--issued"),
        (("invoice", "paid", "X", "1", "--on", "31.02.2026"), "--on"),
        (("invoice", "refund", "X", "1", "10", "--on", "31.02.2026", "--reason", "r"), "--date"),
        (("note", "add", "X", "созвон", "--date", "31.02.2026"), "--date"),
        (("time", "add", "X", "1", "--date", "31.02.2026"), "--date"),
        (("messages", "X", "--since", "31.02.2026"), "--since"),
        (("evidence", "export", "X", "--out", "x.html", "--since", "31.02.2026"), "--from/--since"),
        (("evidence", "export", "X", "--out", "x.html", "--to", "31.02.2026"), "--to/--until"),
    ],
)
def test_every_command_says_the_same(
    tmp_path: Path, tmp_home: Path, args: tuple[str, ...], option: str
) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    chat = tmp_path / "WhatsApp Chat with Игорь.txt"
    chat.write_text(CHAT, encoding="utf-8")
    runner = CliRunner()
    assert (
        runner.invoke(build_app(), ["import", str(chat), "--client", "X", "--me", "Анна", *db]).exit_code == 0
    )
    result = runner.invoke(build_app(), [*args, *db], env={"COLUMNS": "200", "CLIENTGUARD_LANG": "en"})
    assert result.exit_code == 2, result.output
    assert f"'{option}'" in result.output
    assert "'31.02.2026' is not a date: February 2026 has 28 days" in result.output
