"""Date options take a Russian dotted date as well as ISO (QA pass 6, CLI N16).

'invoice paid X 1 --on 20.09.2025', 'messages X --since 01.09.2025', 'note add … --date
05.09.2025' and 'evidence export … --from 01.09.2025' ended in "expected a date like
2025-09-01": every option took ISO only, although a Russian user writes days dotted, and a
dotted date is day-first wherever it is written. One parser (cli/_dates) reads both; two-digit
years, slashes and impossible days stay refused.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.cli._dates import day, moment


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025-09-20", date(2025, 9, 20)), ("20.09.2025", date(2025, 9, 20)), ("1.9.2025", date(2025, 9, 1))],
)
def test_day_reads_iso_and_dotted(text: str, expected: date) -> None:
    assert day(text) == expected


@pytest.mark.parametrize("text", ["31.02.2025", "01/09/25", "20.09.25", "2025-13-01", "завтра"])
def test_day_refuses_what_is_not_one_day(text: str) -> None:
    with pytest.raises(ValueError):
        day(text)


def test_moment_reads_a_dotted_day_with_a_time() -> None:
    assert moment("01.09.2025 10:30") == datetime(2025, 9, 1, 10, 30)
    assert moment("01.09.2025") == datetime(2025, 9, 1)
    assert moment("2025-09-01T10:30") == datetime(2025, 9, 1, 10, 30)


CHAT = "01.09.2025, 10:05 - Игорь: Оплатим на следующей неделе\n05.09.2025, 10:07 - Анна: Хорошо\n"


def test_every_date_option_takes_a_dotted_day(tmp_path: Path, tmp_home: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]

    def ok(*args: str) -> str:
        result = CliRunner().invoke(build_app(), [*args, *db])
        assert result.exit_code == 0, result.output
        return result.stdout

    chat = tmp_path / "WhatsApp Chat with Игорь.txt"
    chat.write_text(CHAT, encoding="utf-8")
    ok("import", str(chat), "--client", "X", "--me", "Анна")
    ok("invoice", "add", "X", "1000", "--issued", "01.09.2025", "--due", "15.09.2025", "--id", "1")
    ok("invoice", "paid", "X", "1", "--on", "20.09.2025")
    (row,) = json.loads(ok("invoice", "list", "--json"))
    assert (row["issued"], row["due"], row["paid_on"]) == ("2025-09-01", "2025-09-15", "2025-09-20")
    since = [json.loads(line) for line in ok("messages", "X", "--since", "02.09.2025", "--json").splitlines()]
    assert [m["text"] for m in since] == ["Хорошо"]
    ok("note", "add", "X", "Созвон: две правки", "--date", "05.09.2025")
    ok("time", "add", "X", "1", "--date", "05.09.2025")
    out = tmp_path / "d.json"
    ok("evidence", "export", "X", "--from", "01.09.2025", "--to", "30.09.2025", "--out", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["period_from"] == "2025-09-01"
