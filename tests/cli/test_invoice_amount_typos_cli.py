"""Amounts a user mistypes are refused, not stored a thousand times off (QA pass 7).

``invoice add "Пенка" 45.000`` (thousands grouped with a dot, as Russian and German write
them) stored an invoice of 45 RUB; ``invoice paid … --amount 0.001`` stored a payment of a
tenth of a kopeck. Neither could be corrected afterwards: invoices and payments are on the
evidence log.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_helpers import run_main

C = "Кофейня «Пенка»"


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


def _add(
    mp: pytest.MonkeyPatch, cap: pytest.CaptureFixture[str], db: str, amount: str
) -> tuple[int, str, str]:
    return run_main(
        mp, cap, "invoice", "add", C, amount, "--due", "2026-12-01", "--create-client", "--db", db
    )


@pytest.mark.parametrize("typed", ["45.000", "1.500", "100.555"])
def test_a_dot_before_three_digits_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, typed: str
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    code, _, err = _add(monkeypatch, capsys, db, typed)
    assert code != 0 and "is ambiguous: for thousands write" in err and typed.replace(".", "") in err


def test_sub_kopeck_payments_are_refused_and_real_sums_still_pass(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    assert _add(monkeypatch, capsys, db, "45.00")[0] == 0  # two decimals: a decimal point
    assert _add(monkeypatch, capsys, db, "45 000,50")[0] == 0
    code, _, err = run_main(monkeypatch, capsys, "invoice", "paid", C, "1", "--amount", "0.001", "--db", db,
                            "--lang", "en")  # the English line, as scripts match it
    assert code == 1 and "E200: payment: expected at most 2 decimal places (kopecks, cents), got 0.001" in err
    code, out, _ = run_main(monkeypatch, capsys, "invoice", "paid", C, "2", "--amount", "0,5", "--db", db)
    assert code == 0 and "45 000 ₽" in out.replace("\xa0", " ")


def test_an_overpayment_is_refused_with_every_digit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    """ "expected at most the 1.25e+06 still due, got 1.25e+06" refused a payment with two
    numbers that read the same (QA pass 7)."""
    assert _add(monkeypatch, capsys, db, "1250000")[0] == 0
    code, _, err = run_main(
        monkeypatch, capsys, "invoice", "paid", C, "1", "--amount", "1250000,50", "--db", db
    )
    # in the interface's language (the test locale's is Russian), every digit still there
    said = "оплата: не больше остатка к оплате — 1 250 000 ₽, а указано 1 250 000,50"
    assert code == 1 and said in err.replace("\xa0", " ")


def test_contract_set_price_refuses_a_dot_before_three_digits(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    """`contract set --price 45.000` stored a price of 45, which drafts then quoted."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    assert _add(monkeypatch, capsys, db, "100")[0] == 0
    code, _, err = run_main(monkeypatch, capsys, "contract", "set", C, "--price", "45.000", "--db", db)
    assert code != 0 and "is ambiguous: for thousands write" in err
    assert run_main(monkeypatch, capsys, "contract", "set", C, "--price", "45 000", "--db", db)[0] == 0
