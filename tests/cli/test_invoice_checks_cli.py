"""``invoice add/paid/list`` through the real entry point: one error line, strict JSON.

QA F6/F17/F18: ``invoice add … -- nan`` ended in an IntegrityError traceback, ``inf``
was stored and ``invoice list --json`` printed ``Infinity`` (not JSON), and payments
dated before the invoice or in the future were taken.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from suite_helpers import freeze_today, run_main

from clientguard.store import open_store
from clientguard.store.models_contracts import InvoiceRow

TODAY = date.today()


@pytest.fixture(autouse=True)
def _same_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code's "today" is this module's TODAY even when the run crosses midnight."""
    freeze_today(monkeypatch, TODAY)
C = "Кофейня «Пенка»"


run = run_main


def _strict(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--", "nan"], "E200: invoice amount: expected a finite number, got nan"),
        (["--", "inf"], "E200: invoice amount: expected a finite number, got inf"),
        (["--", "2000000000000"],
         "E200: invoice amount: expected at most 1,000,000,000,000, got 2,000,000,000,000"),
        (["300", "--id", ""], "E200: invoice number: expected some text"),
        (["300", "--issued", "0001-01-01"], "E200: issue date: expected a date from 1990-01-01 to"),
    ],
)
def test_add_refuses_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, args: list[str], says: str
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    code, _, err = run(
        monkeypatch, capsys, "invoice", "add", C, "--due", "2026-12-01", "--create-client", "--db", db, *args
    )
    assert code == 1 and says in err and "Traceback" not in err


def test_paid_refuses_dates_outside_issue_to_today(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    due = (TODAY + timedelta(days=16)).isoformat()
    assert run(monkeypatch, capsys, "invoice", "add", C, "300", "--due", due, "--id", "A1",
               "--create-client", "--db", db)[0] == 0  # fmt: skip
    code, _, err = run(monkeypatch, capsys, "invoice", "paid", C, "A1", "--amount", "100",
                       "--on", "2020-01-01", "--db", db)  # fmt: skip
    assert code == 1 and "a payment dated 2020-01-01 is before that" in err
    future = (TODAY + timedelta(days=1)).isoformat()
    code, _, err = run(monkeypatch, capsys, "invoice", "paid", C, "A1", "--amount", "100", "--on", future,
                       "--db", db)  # fmt: skip
    assert code == 1 and "is in the future" in err
    code, out, _ = run(
        monkeypatch, capsys, "invoice", "paid", C, "A1", "--amount", "100", "--lang", "en", "--db", db
    )
    assert code == 0 and "200\u00a0RUB still due" in out
    code, out, _ = run(monkeypatch, capsys, "invoice", "list", C, "--json", "--db", db)
    [row] = _strict(out)  # type: ignore[misc]
    assert (row["paid_amount"], row["outstanding"]) == (100, 200)


def test_list_json_never_prints_infinity(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    """A row stored before amounts were checked is named, not printed as ``Infinity``."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    assert run(monkeypatch, capsys, "invoice", "add", C, "300", "--due", "2026-12-01", "--id", "A1",
               "--issued", "2026-11-01", "--create-client", "--db", db)[0] == 0  # fmt: skip
    with open_store(db) as store, store.engine.begin() as conn:
        conn.execute(update(InvoiceRow).values(amount=float("inf")))
    code, out, err = run(monkeypatch, capsys, "invoice", "list", "--json", "--db", db)
    assert code == 1 and "Infinity" not in out
    assert "invoice 'A1' of 'Кофейня «Пенка»' holds a number JSON cannot carry" in err
