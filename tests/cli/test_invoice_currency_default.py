"""An invoice without --currency and without a contract currency is in the locale country's
currency (helper 128, English day).

It was always RUB: a London freelancer's "invoice add 'Tom Baker Ltd' 450" stored 450 RUB
and the reminders asked for roubles. The contract's currency still comes first, a locale
without a country (C, POSIX) still gives RUB, and a client's first such invoice says on
stderr where its currency came from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app


def _run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(), [*args, "--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("locale", "currency", "note"),
    [
        ("en_GB.UTF-8", "GBP", "by the locale's country (GB)"),
        ("en_US.UTF-8", "USD", "by the locale's country (US)"),
        ("de_DE.UTF-8", "EUR", "by the locale's country (DE)"),
        ("ru_RU.UTF-8", "RUB", "by the locale's country (RU)"),
        ("C.UTF-8", "RUB", "the default"),
    ],
)
def test_an_invoice_without_a_currency_is_in_the_locale_countrys(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, locale: str, currency: str, note: str
) -> None:
    monkeypatch.setenv("LANG", locale)
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    dates = ("--issued", "2025-11-01", "--due", "2025-11-20")
    code, out, err = _run(tmp_path, "invoice", "add", "Tom Baker Ltd", "450", *dates, "--create-client")
    assert code == 0 and f"450\u00a0{currency}" in out
    assert f"note: currency {currency}, {note}" in err
    assert "clientguard contract set 'Tom Baker Ltd' --currency CODE" in err
    code, out, err = _run(tmp_path, "invoice", "add", "Tom Baker Ltd", "50", *dates)
    assert code == 0 and f"50\u00a0{currency}" in out and err == ""  # said once per client
    code, out, _ = _run(tmp_path, "invoice", "list", "--json")
    assert {row["currency"] for row in json.loads(out)} == {currency}


def test_the_contracts_currency_beats_the_locale(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    assert _run(tmp_path, "invoice", "add", "X", "1", "--issued", "2025-11-01", "--due", "2025-11-20",
                "--create-client")[0] == 0
    assert _run(tmp_path, "contract", "set", "X", "--currency", "EUR")[0] == 0
    dates = ("--issued", "2025-11-01", "--due", "2025-11-20")
    code, out, err = _run(tmp_path, "invoice", "add", "X", "10", *dates)
    assert code == 0 and "10\u00a0EUR" in out and err == ""


def test_a_currency_without_a_price_is_shown(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`contract set X --currency GBP` printed every term but the currency it had just set."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    assert _run(tmp_path, "invoice", "add", "X", "1", "--issued", "2025-11-01", "--due", "2025-11-20",
                "--create-client")[0] == 0
    code, out, _ = _run(tmp_path, "contract", "set", "X", "--currency", "GBP")
    assert code == 0 and "  currency: GBP" in out
    code, out, _ = _run(tmp_path, "contract", "show", "X")
    assert code == 0 and "  currency: GBP" in out


def test_every_territory_names_a_known_currency() -> None:
    from clientguard.cli.invoice import _territory_currencies

    table = _territory_currencies()  # each code is checked against contracts/rules/currencies.yaml
    assert table["GB"] == "GBP" and table["RU"] == "RUB" and table["US"] == "USD"
    assert all(len(k) == 2 and k.isupper() for k in table)  # a bare NO key was read as False
    assert table["NO"] == "NOK"
