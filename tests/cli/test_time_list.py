"""``time list``: the time logged on a client, which ``time add`` wrote and nothing showed.

The CLI could log hours but not read them back: a user checking what they logged last
week had to open the dashboard (whose time card shows the latest five entries only).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from clientguard.cli import build_app
from tests.suite_helpers import run_main


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> list[str]:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    chat = tmp_path / "WhatsApp Chat with Игорь.txt"
    chat.write_text("01.09.2025, 10:05 - Игорь: Добрый день\n", encoding="utf-8")
    assert run("import", str(chat), "--client", "Игорь", "--me", "Анна", *db).exit_code == 0
    return db


def run(*args: str, lang: str = "ru") -> Result:
    env = {"COLUMNS": "200", "CLIENTGUARD_LANG": lang}
    return CliRunner().invoke(build_app(), list(args), env=env)


def ok(*args: str, lang: str = "ru") -> str:
    result = run(*args, lang=lang)
    assert result.exit_code == 0, result.output
    return result.stdout


def logged(db: list[str]) -> None:
    ok("time", "add", "Игорь", "2:30", "--date", "2025-09-05", "--note", "Макет", *db)
    ok("time", "add", "Игорь", "1", "--date", "2025-09-06", "--member", "anna", *db)
    ok("time", "add", "Игорь", "0,75", "--date", "01.09.2025", *db)


def test_nothing_logged_says_so(db: list[str]) -> None:
    assert ok("time", "list", "Игорь", *db).strip() == "Игорь: время не записано (clientguard time add)."
    assert "no time logged" in ok("time", "list", "Игорь", *db, lang="en")
    body = json.loads(ok("time", "list", "Игорь", "--json", *db))
    assert body["entries"] == [] and body["members"] == [] and body["total_hours"] == 0


def test_entries_newest_first_with_total_and_members_ru(db: list[str]) -> None:
    logged(db)
    lines = ok("time", "list", "Игорь", *db).splitlines()
    assert lines[0] == "Игорь: всего 4 ч 15 мин, 3 записи"
    assert [line.split()[0] for line in lines[1:4]] == ["2025-09-06", "2025-09-05", "2025-09-01"]
    assert lines[2].split() == ["2025-09-05", "вы", "2", "ч", "30", "мин", "Макет"]
    assert lines[3].split()[-2:] == ["45", "мин"]
    assert lines[4] == "По исполнителям:"
    assert [line.split() for line in lines[5:]] == [["вы", "3", "ч", "15", "мин"], ["anna", "1", "ч"]]


def test_entries_in_english(db: list[str]) -> None:
    logged(db)
    out = ok("time", "list", "Игорь", *db, lang="en")
    assert out.splitlines()[0] == "Игорь: 4 h 15 min in all, 3 entries"
    assert "2025-09-05  you   2 h 30 min  Макет" in out  # columns as wide as "anna"
    assert "By member:" in out


def test_filters_by_member_and_period(db: list[str]) -> None:
    logged(db)
    mine = ok("time", "list", "Игорь", "--member", "вы", *db)  # the word the list prints
    assert mine.splitlines()[0] == "Игорь: всего 3 ч 15 мин, 2 записи"
    assert "anna" not in mine and "По исполнителям" not in mine  # one member: no breakdown
    period = ok("time", "list", "Игорь", "--from", "02.09.2025", "--to", "2025-09-05", *db)
    assert period.splitlines()[0] == "Игорь: всего 2 ч 30 мин, 1 запись"
    none = ok("time", "list", "Игорь", "--member", "boris", *db, lang="en")
    assert none.strip() == "Игорь: no time logged in this period or by this member."


def test_json_keys_are_stable(db: list[str]) -> None:
    logged(db)
    body = json.loads(ok("time", "list", "Игорь", "--json", "--from", "2025-09-02", *db, lang="en"))
    assert list(body) == ["client", "member", "from", "to", "total_hours", "entries", "members"]
    assert body["from"] == "2025-09-02" and body["to"] is None and body["total_hours"] == 3.5
    assert body["entries"] == [
        {"day": "2025-09-06", "member": "anna", "hours": 1.0, "note": None},
        {"day": "2025-09-05", "member": "me", "hours": 2.5, "note": "Макет"},
    ]
    assert body["members"] == [{"member": "me", "hours": 2.5}, {"member": "anna", "hours": 1.0}]


def test_unknown_client_and_bad_days_are_refused(
    db: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    code, _, err = run_main(monkeypatch, capsys, "time", "list", "Игорь Пенкин", *db)
    assert code == 1 and "no client named 'Игорь Пенкин'" in err and "Traceback" not in err
    result = run("time", "list", "Игорь", "--from", "31.02.2026", *db, lang="en")
    assert result.exit_code == 2 and "February 2026 has 28 days" in result.output
    result = run("time", "list", "Игорь", "--from", "31.02.2026", *db)
    assert result.exit_code == 2 and "в феврале 2026 года последнее число — 28" in result.output
    result = run("time", "list", "Игорь", "--from", "2025-09-10", "--to", "2025-09-01", *db, lang="en")
    assert result.exit_code == 2 and "is after --to" in result.output
    result = run("time", "list", "Игорь", "--from", "2025-09-10", "--to", "2025-09-01", *db)
    assert result.exit_code == 2 and "--from 2025-09-10 позже --to 2025-09-01" in result.output
