"""Sums and their currency in the CLI's lines go through ``clientguard.numbers.money``.

The invoice lines joined "{amount} {currency}" themselves with a plain space and the ISO
code, so a Russian user read "45 000 RUB" (a terminal could wrap "45 000" | "RUB") where the
dashboard, the drafts and the report say "45 000 ₽". The Russian interface says "₽" now, tied
to the sum by U+00A0; English keeps "45,000 RUB" (tied the same way); ``--json`` is as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from suite_helpers import run_main

from clientguard.cli._console import console

C = "Кофейня «Пенка»"
NB = "\u00a0"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture()
def run(tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Run]:
    """``clientguard ARGS`` through the real entry point: stdout as printed, stderr with its
    spaces (U+00A0 too) made plain by ``run_main``."""
    monkeypatch.setenv("COLUMNS", "200")
    console.cache_clear()
    yield lambda *args: run_main(monkeypatch, capsys, *args)
    console.cache_clear()


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


def test_russian_invoice_lines_say_roubles_with_the_sign(run: Run, db: str) -> None:
    code, out, err = run("invoice", "add", C, "45000", "--due", "2030-01-01", "--issued", "2026-01-10",
                         "--create-client", "--lang", "ru", "--db", db)  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"счёт 1: 45{NB}000{NB}₽, выставлен") and "RUB" not in out
    # the first invoice's note names the sign and the code --currency takes
    assert "валюта ₽ (RUB) —" in err
    code, out, _ = run("invoice", "paid", C, "1", "--amount", "5000", "--on", "2026-01-11", "--lang", "ru",
                       "--db", db)  # fmt: skip
    assert out == f"счёт 1: осталось оплатить 40{NB}000{NB}₽\n"
    code, out, _ = run("invoice", "refund", C, "1", "1000", "--date", "2026-01-12", "--reason", "x",
                       "--lang", "ru", "--db", db)  # fmt: skip
    assert code == 0
    assert f"возврат 1{NB}000{NB}₽ от 2026-01-12" in out
    assert f"оплачено с учётом возвратов 4{NB}000{NB}₽, к оплате 40{NB}000{NB}₽" in out
    code, out, _ = run("invoice", "credit", C, "1", "2000", "--date", "2026-01-12", "--reason", "y",
                       "--lang", "ru", "--db", db)  # fmt: skip
    assert code == 0 and f"уменьшение суммы на 2{NB}000{NB}₽" in out and f"к оплате 38{NB}000{NB}₽" in out
    code, _, err = run("invoice", "refund", C, "1", "9000", "--date", "2026-01-12", "--reason", "z",
                       "--lang", "ru", "--db", db)  # fmt: skip
    assert code == 1 and "— 4 000 ₽, указано 9 000" in err
    code, _, err = run("invoice", "paid", C, "1", "--amount", "99000", "--lang", "ru", "--db", db)
    assert code == 1 and "не больше остатка к оплате — 38 000 ₽, а указано 99 000" in err
    listed = run("invoice", "list", "--lang", "ru", "--db", db)[1]
    assert "₽" in listed and "RUB" not in listed


def test_english_lines_keep_the_code_and_json_keeps_its_bytes(run: Run, db: str) -> None:
    code, out, _ = run("invoice", "add", C, "45000", "--due", "2030-01-01", "--issued", "2026-01-10",
                       "--currency", "RUB", "--create-client", "--lang", "en", "--db", db)  # fmt: skip
    assert code == 0 and out.startswith(f"invoice 1: 45,000{NB}RUB, issued")
    code, out, _ = run("invoice", "add", C, "300", "--due", "2030-01-01", "--issued", "2026-01-10",
                       "--currency", "USD", "--lang", "ru", "--db", db)  # fmt: skip
    assert code == 0 and out.startswith(f"счёт 2: 300{NB}USD,")  # no sign of its own: the code
    # an English error line stays what it was, byte for byte (logs and scripts match it)
    code, _, err = run("invoice", "paid", C, "1", "--amount", "99000", "--lang", "en", "--db", db)
    assert code == 1 and "payment: expected at most the 45,000 RUB still due, got 99,000" in err
    raw = run("invoice", "list", "--json", "--lang", "ru", "--db", db)[1]
    assert "₽" not in raw and NB not in raw  # stored values: the code and a plain float
    assert [(r["currency"], r["amount"]) for r in json.loads(raw)] == [("RUB", 45000.0), ("USD", 300.0)]


def test_contract_show_names_a_currency_without_a_price_by_its_sign_and_code(run: Run, db: str) -> None:
    assert run("contract", "set", C, "--currency", "RUB", "--create-client", "--db", db)[0] == 0
    out = run("contract", "show", C, "--lang", "ru", "--db", db)[1]
    assert "валюта: ₽ (RUB)" in out, out
    out = run("contract", "show", C, "--lang", "en", "--db", db)[1]
    assert "currency: RUB" in out, out
