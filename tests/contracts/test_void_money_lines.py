"""``invoice void-payment`` / ``invoice void-refund`` name the sum's currency (helper-159).

Their lines printed the sum alone ("оплата 7 счёта 1 (60 000, …) аннулирована") while every
other money line of ``invoice`` says "60 000 ₽" / "60,000 USD": a user with invoices in
several currencies could not tell which sum was voided. They go through
:func:`clientguard.numbers.money` now, like ``invoice refund`` and ``invoice credit``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from suite_helpers import run_main

C = "Кофейня «Пенка»"
TODAY = date.today()
ISSUED = (TODAY - timedelta(days=60)).isoformat()
DUE = (TODAY - timedelta(days=30)).isoformat()
PAID_ON = (TODAY - timedelta(days=50)).isoformat()
BACK_ON = (TODAY - timedelta(days=10)).isoformat()


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


@pytest.mark.parametrize(
    ("lang", "currency", "payment", "refund"),
    [
        ("ru", "RUB", "60\u00a0000\u00a0₽", "20\u00a0000\u00a0₽"),
        ("ru", "USD", "60\u00a0000\u00a0USD", "20\u00a0000\u00a0USD"),
        ("en", "EUR", "60,000\u00a0EUR", "20,000\u00a0EUR"),
    ],
)
def test_voided_payment_and_refund_lines_name_the_currency(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db: str,
    lang: str,
    currency: str,
    payment: str,
    refund: str,
) -> None:
    def run(*args: str) -> str:
        code, out, err = run_main(monkeypatch, capsys, *args, "--lang", lang, "--db", db)
        assert code == 0, err
        return out

    run(
        "invoice",
        "add",
        C,
        "60000",
        "--due",
        DUE,
        "--issued",
        ISSUED,
        "--currency",
        currency,
        "--create-client",
    )
    run("invoice", "paid", C, "1", "--on", PAID_ON)
    run("invoice", "refund", C, "1", "20000", "--date", BACK_ON, "--reason", "stop")
    out = run("invoice", "void-refund", C, "1", "--reason", "typo")
    assert refund in out, out
    out = run("invoice", "void-payment", C, "1", "--reason", "typo")
    assert payment in out, out
