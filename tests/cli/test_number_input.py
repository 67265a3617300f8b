"""Amounts and rates are typed the way the output prints them (QA pass 5, finding N1).

``invoice add … 25000,50`` (and ``"25 000"``, ``invoice paid --amount 100,5``,
``contract set --late-fee 0,1``) ended in click's "Input should be a valid number",
although the product itself prints "25 000,50" and "0,1" to a Russian user.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from suite_helpers import run_main

from clientguard.cli._numbers import decimal

C = "Кофейня «Пенка»"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("25000,50", 25000.5),
        ("25 000,50", 25000.5),
        ("25\u00a0000", 25000.0),
        ("0,1", 0.1),
        ("0,125", 0.125),
        ("1,250,000.50", 1250000.5),
        ("25,000", 25000.0),
        ("40000", 40000.0),
        ("12.5", 12.5),
    ],
)
def test_decimal_reads_both_ways_of_writing(text: str, value: float) -> None:
    assert decimal(text) == value


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


def test_invoice_and_contract_take_a_decimal_comma(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, err = run_main(monkeypatch, capsys, "invoice", "add", C, "25 000,50", "--due", "2026-09-20",
                              "--issued", "2026-09-01", "--id", "7", "--create-client", "--lang", "ru",
                              "--db", db)  # fmt: skip
    assert code == 0, err
    assert "25\u00a0000,50\u00a0₽" in out
    code, out, err = run_main(monkeypatch, capsys, "invoice", "paid", C, "7", "--amount", "100,5",
                              "--on", "2026-09-10", "--lang", "ru", "--db", db)  # fmt: skip
    assert code == 0, err
    assert "24\u00a0900\u00a0₽" in out
    code, out, err = run_main(monkeypatch, capsys, "contract", "set", C, "--late-fee", "0,1", "--price",
                              "45 000", "--lang", "ru", "--db", db)  # fmt: skip
    assert code == 0, err
    assert "0,1" in out and "45\u00a0000" in out
    code, out, _ = run_main(monkeypatch, capsys, "invoice", "list", C, "--json", "--db", db)
    [row] = json.loads(out)
    assert (row["amount"], row["paid_amount"]) == (25000.5, 100.5)


def test_not_a_number_is_still_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    code, _, err = run_main(monkeypatch, capsys, "invoice", "add", C, "abc", "--due", "2026-09-20",
                            "--create-client", "--db", db)  # fmt: skip
    assert code == 2 and "expected a number" in err and "Traceback" not in err
