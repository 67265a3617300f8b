"""Date options read a slashed date the way a British user types it (helper 128, English day).

'invoice add X 625 --due 15/11/2025' and 'note add … --date 06/11/2025' ended in "expected a
date like 2025-09-01 or 01.09.2025". A slashed date is read when its order is proven (a field
over 12), else by the locale's territory (en_US month first, en_GB and the rest day first);
with no territory (C, POSIX) it is refused naming both readings. Two-digit years stay refused.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.cli._dates import day, moment


def _locale(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    for var in ("LC_ALL", "LC_TIME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", value)


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("en_GB.UTF-8", "15/11/2025", date(2025, 11, 15)),  # proven day first
        ("en_US.UTF-8", "15/11/2025", date(2025, 11, 15)),
        ("C.UTF-8", "15/11/2025", date(2025, 11, 15)),
        ("en_GB.UTF-8", "11/25/2025", date(2025, 11, 25)),  # proven month first
        ("C.UTF-8", "11/25/2025", date(2025, 11, 25)),
        ("en_GB.UTF-8", "05/11/2025", date(2025, 11, 5)),  # the locale decides
        ("ru_RU.UTF-8", "05/11/2025", date(2025, 11, 5)),
        ("en_US.UTF-8", "05/11/2025", date(2025, 5, 11)),
        ("en_GB.UTF-8", "5/1/2025", date(2025, 1, 5)),
        ("C.UTF-8", "07/07/2025", date(2025, 7, 7)),  # the same day either way
    ],
)
def test_day_reads_a_slashed_date(
    monkeypatch: pytest.MonkeyPatch, locale: str, text: str, expected: date
) -> None:
    _locale(monkeypatch, locale)
    assert day(text) == expected


def test_lc_all_beats_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    _locale(monkeypatch, "en_GB.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert day("05/11/2025") == date(2025, 5, 11)


@pytest.mark.parametrize(
    ("locale", "text", "why"),
    [
        ("C.UTF-8", "05/11/2025", r"5 November \(day first\) or May 11 \(month first\).*2025-05-11"),
        ("en_GB.UTF-8", "13/13/2025", "there is no month 13"),
        ("en_GB.UTF-8", "31/02/2026", "February 2026 has 28 days"),
        ("en_GB.UTF-8", "00/05/2025", "there is no day 0"),
        ("en_GB.UTF-8", "01/09/25", r"expected a date like .*20/09/2025"),
    ],
)
def test_a_slashed_date_that_is_no_day_is_named(
    monkeypatch: pytest.MonkeyPatch, locale: str, text: str, why: str
) -> None:
    _locale(monkeypatch, locale)
    with pytest.raises(ValueError, match=why):
        day(text)


def test_moment_reads_a_slashed_day_with_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    _locale(monkeypatch, "en_GB.UTF-8")
    assert moment("05/11/2025 10:30") == datetime(2025, 11, 5, 10, 30)
    assert moment("05/11/2025") == datetime(2025, 11, 5)


CHAT = "01/11/2025, 10:05 - Tom: We'll pay next week\n05/11/2025, 10:07 - Alex: Fine\n"


def test_every_date_option_takes_a_uk_date(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _locale(monkeypatch, "en_GB.UTF-8")
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]

    def ok(*args: str) -> str:
        result = CliRunner().invoke(build_app(), [*args, *db])
        assert result.exit_code == 0, result.output
        return result.stdout

    chat = tmp_path / "WhatsApp Chat with Tom.txt"
    chat.write_text(CHAT, encoding="utf-8")
    ok("import", str(chat), "--client", "X", "--me", "Alex")
    ok("invoice", "add", "X", "625", "--issued", "01/11/2025", "--due", "15/11/2025", "--currency", "GBP")
    ok("invoice", "paid", "X", "1", "300", "--on", "03/11/2025")
    ok("invoice", "refund", "X", "1", "100", "--on", "04/11/2025", "--reason", "dropped a variant")
    ok("invoice", "credit", "X", "1", "25", "--on", "04/11/2025", "--reason", "agreed discount")
    (row,) = json.loads(ok("invoice", "list", "--json", "--today", "20/11/2025"))
    paid_on = row["payments"][0]["paid_on"]
    assert (row["issued"], row["due"], paid_on) == ("2025-11-01", "2025-11-15", "2025-11-03")
    since = [json.loads(line) for line in ok("messages", "X", "--since", "02/11/2025", "--json").splitlines()]
    assert [m["text"] for m in since] == ["Fine"]
    ok("note", "add", "X", "Call: two revision rounds", "--date", "06/11/2025")
    ok("time", "add", "X", "1", "--date", "06/11/2025")
    assert "2025-11-06" in ok("time", "list", "X", "--from", "01/11/2025", "--to", "30/11/2025")
    out = tmp_path / "d.json"
    ok("evidence", "export", "X", "--from", "01/11/2025", "--to", "30/11/2025", "--out", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["period_from"] == "2025-11-01"
