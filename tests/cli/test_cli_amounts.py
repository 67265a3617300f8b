"""Sums of money printed by ``invoice add/paid/list`` and ``contract set/show``.

QA3 F3: amounts went through ``%g``, so a 1 250 000 ₽ invoice printed as "1.25e+06 RUB",
123 456,78 as "123457" and the 916 666,67 still due after a partial payment as "916667".
Every digit is printed now, grouped the way each language writes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.cli._console import console, format_amount

C = "Студия йоги «Лотос»"
NB = "\u00a0"


def ok(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args), env={"COLUMNS": "200"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("COLUMNS", "200")  # a wide table: no amount wraps over two lines
    console.cache_clear()
    yield f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    console.cache_clear()


@pytest.mark.parametrize(
    ("value", "ru", "en"),
    [
        (45000, f"45{NB}000", "45,000"),
        (1250000, f"1{NB}250{NB}000", "1,250,000"),
        (123456.78, f"123{NB}456,78", "123,456.78"),
        (916666.67, f"916{NB}666,67", "916,666.67"),
        (0.5, "0,50", "0.50"),
        (999999999999, f"999{NB}999{NB}999{NB}999", "999,999,999,999"),
    ],
)
def test_format_amount_keeps_every_digit(value: float, ru: str, en: str) -> None:
    assert format_amount(value, "ru") == ru
    assert format_amount(value, "en") == en


def test_invoice_commands_print_exact_amounts(db: str) -> None:
    out = ok("invoice", "add", C, "1250000", "--due", "2030-01-01", "--issued", "2026-01-10", "--id", "A",
             "--currency", "RUB", "--create-client", "--lang", "ru", "--db", db)  # fmt: skip
    assert f"1{NB}250{NB}000{NB}₽" in out and "RUB" not in out and "e+" not in out
    out = ok("invoice", "add", C, "123456.78", "--due", "2030-01-01", "--issued", "2026-01-10", "--id", "B",
             "--lang", "en", "--db", db)  # fmt: skip
    assert f"123,456.78{NB}RUB" in out
    out = ok("invoice", "paid", C, "A", "--amount", "333333.33", "--on", "2026-01-11",
             "--lang", "en", "--db", db)  # fmt: skip
    assert f"916,666.67{NB}RUB still due" in out
    listed = ok("invoice", "list", "--lang", "en", "--db", db)
    assert "1,250,000" in listed and "916,666.67" in listed and "123,456.78" in listed
    assert "e+" not in listed and "123457" not in listed


def test_contract_price_is_not_in_scientific_notation(db: str) -> None:
    out = ok("contract", "set", C, "--price", "1500000", "--currency", "RUB", "--lang", "en",
             "--create-client", "--db", db)  # fmt: skip
    assert f"price: 1,500,000{NB}RUB" in out
    out = ok("contract", "show", C, "--lang", "ru", "--db", db)
    assert f"1{NB}500{NB}000{NB}₽" in out  # the sum and its currency on one line, "₽" in Russian


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_invoice_list_in_80_columns_keeps_figures_and_dates_whole(
    db: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nine columns squeezed into 80 wrapped "9 900,50" after "9" and cut "2026-12-20" to
    "2026-…"; a narrow terminal now gets one labelled block per invoice instead."""
    ok("invoice", "add", C, "9900.5", "--due", "2026-12-20", "--issued", "2026-11-01", "--id", "A-17",
       "--currency", "USD", "--create-client", "--db", db)  # fmt: skip
    monkeypatch.setenv("COLUMNS", "80")
    console.cache_clear()
    out = CliRunner().invoke(
        build_app(), ["invoice", "list", "--today", "2026-11-24", "--lang", lang, "--db", db],
        env={"COLUMNS": "80"}, catch_exceptions=False,
    ).stdout  # fmt: skip
    amount = f"9{NB}900,50{NB}USD" if lang == "ru" else f"9,900.50{NB}USD"
    assert amount in out and "2026-12-20" in out and "A-17" in out and "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert ("срок: 2026-12-20" if lang == "ru" else "due: 2026-12-20") in out
    monkeypatch.setenv("COLUMNS", "200")
    console.cache_clear()
    wide = ok("invoice", "list", "--today", "2026-11-24", "--lang", lang, "--db", db)
    assert "┃" in wide and amount in wide  # a wide terminal keeps the table
