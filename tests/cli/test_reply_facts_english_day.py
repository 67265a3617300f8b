"""`reply --fact` as an English user types it (helper 128, English day).

"--fact due_date=15/11/2025" (and the Russian "15.11.2025") ended in "expected
datetime.date | None, got '15/11/2025' (Invalid isoformat string …)": the facts read ISO
only and named a Python type. A sum with no currency in the store or the facts was "450 RUB"
in an English draft to a London client; it is now the locale country's currency, as
`invoice add` takes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_helpers import run_main

from clientguard.playbook.facts import facts_from_strings


def _reply(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *facts: str
) -> tuple[int, str, str]:
    args = [a for f in facts for a in ("--fact", f)]
    return run_main(monkeypatch, capsys, "--lang", "en", "reply", "payment_reminder_friendly", *args)


@pytest.mark.parametrize("typed", ["2025-11-15", "15.11.2025", "15/11/2025"])
def test_a_date_fact_reads_as_date_options_do(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_home: Path, typed: str
) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    code, out, err = _reply(monkeypatch, capsys, "amount=450", f"due_date={typed}")
    assert code == 0, err
    assert "due on 15 November 2025" in out.replace("\u00a0", " ")  # a date is tied to one line


@pytest.mark.parametrize(
    ("fact", "said"),
    [
        ("due_date=15/13/2025", "fact due_date: '15/13/2025' is not a date: there is no month 13"),
        ("due_date=tomorrow", "fact due_date: expected a date like 2025-09-01"),
        ("amount=lots", "fact amount: expected a number, got 'lots'"),
    ],
)
def test_a_bad_fact_is_named_in_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_home: Path, fact: str, said: str
) -> None:
    code, _out, err = _reply(monkeypatch, capsys, fact)
    assert code != 0 and said in err and "datetime" not in err and "float" not in err.split("(")[0]


@pytest.mark.parametrize(("locale", "currency"), [("en_GB.UTF-8", "450 GBP"), ("C.UTF-8", "450 RUB")])
def test_a_sum_without_a_currency_is_in_the_locale_countrys(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_home: Path,
    locale: str,
    currency: str,
) -> None:
    monkeypatch.setenv("LANG", locale)
    code, out, err = _reply(monkeypatch, capsys, "amount=450", "due_date=2025-11-15")
    assert code == 0, err
    assert f"for {currency}" in out.replace("\u00a0", " ")  # a sum is tied to its currency


def test_the_facts_default_to_iso_dates() -> None:
    assert str(facts_from_strings({"due_date": "2025-11-15"}).due_date) == "2025-11-15"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1,200", 1200.0), ("1,200.50", 1200.5), ("45 000,50", 45000.5), ("0,125", 0.125), ("12,5", 12.5)],
)
def test_a_number_fact_reads_english_and_russian_grouping(typed: str, amount: float) -> None:
    """"--fact amount=1,200" drafted a reminder for "1.20 GBP"; "1,200.50" was refused."""
    assert facts_from_strings({"amount": typed}).amount == amount
