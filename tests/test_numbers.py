"""One way to write a sum across the product (clientguard/numbers.py).

A sum reached the user through seven copies of the same grouping code, and they drifted:
the web pages grouped thousands with U+202F, contract clause drafts with a plain space (a
clause wrapped "85" | "000 рублей") and wrote "USD 2,400" where the replies wrote
"2,400 USD". Every surface now calls one function; these cases pin the style and that each
surface says the same.
"""

from __future__ import annotations

import pytest

from clientguard.numbers import NBSP, amount, money, number

N = NBSP


@pytest.mark.parametrize(
    ("value", "currency", "lang", "said"),
    [
        (1250000, "RUB", "ru", f"1{N}250{N}000{N}₽"),
        (1234.5, "RUB", "ru", f"1{N}234,50{N}₽"),
        (1000, "USD", "ru", f"1{N}000{N}USD"),
        (1250000, "EUR", "en", f"1,250,000{N}EUR"),
        (2400, "usd", "en", f"2,400{N}USD"),
        (45000, "RUB", "en", f"45,000{N}RUB"),
        (999, "RUB", "ru", f"999{N}₽"),
        (123456.78, None, "ru", f"123{N}456,78"),  # no currency: the sum alone
        (-0.001, "RUB", "en", f"0{N}RUB"),
    ],
)
def test_money(value: float, currency: str | None, lang: str, said: str) -> None:
    assert money(value, currency, lang) == said


@pytest.mark.parametrize(
    ("value", "lang", "said"),
    [(1250000.5, "ru", f"1{N}250{N}000,50"), (1250000.5, "en", "1,250,000.50"),
     (123456.789, "ru", f"123{N}456,79")],
)  # fmt: skip
def test_amount_keeps_every_kopeck(value: float, lang: str, said: str) -> None:
    assert amount(value, lang) == said


@pytest.mark.parametrize(
    ("value", "lang", "said"),
    [(0.1, "ru", "0,1"), (0.033, "en", "0.033"), (12500.25, "ru", f"12{N}500,25"), (-0.0, "ru", "0")],
)
def test_number(value: float, lang: str, said: str) -> None:
    assert number(value, lang) == said


def test_names_word_a_currency_and_keep_codes_they_do_not_know() -> None:
    words = {"RUB": "рублей"}
    assert money(85000, "RUB", "ru", names=words) == f"85{N}000{N}рублей"
    assert money(85000, "KZT", "ru", names=words) == f"85{N}000{N}KZT"
    assert money(85000, "RUB", "ru", names={}) == f"85{N}000{N}RUB"


CASES = [(85000.0, "RUB", "ru"), (1250000.5, "RUB", "ru"), (2400.0, "USD", "en"), (1000.0, "USD", "ru")]


@pytest.mark.parametrize(("value", "currency", "lang"), CASES)
def test_every_surface_writes_a_sum_alike(value: float, currency: str, lang: str) -> None:
    """Reply drafts, the HTML report, web pages, contract clause drafts and the evidence
    export: the same digits, the same spaces, the currency after the number."""
    from clientguard.contracts.drafts import format_money
    from clientguard.evidence.export import money_text as evidence_money
    from clientguard.playbook.formatting import money as draft_money
    from clientguard.report.html import money as report_money
    from clientguard.web.pages import money_text as page_money

    said = draft_money(value, currency, lang)
    assert report_money(value, currency, lang) == said
    assert page_money(value, currency, lang) == said
    body = said.rsplit(N, 1)[0]
    # a contract words roubles ("рублей") and the evidence keeps the ISO code: the same sum
    assert format_money(value, currency, lang).startswith(body + N)
    assert evidence_money(value, currency, lang) == f"{body}{N}{currency}"


@pytest.mark.parametrize(("value", "lang"), [(v, lg) for v, _, lg in CASES])
def test_bare_amounts_are_the_same_in_the_cli_errors_and_evidence(value: float, lang: str) -> None:
    from clientguard.cli._console import format_amount
    from clientguard.errors import _Wording
    from clientguard.evidence.export import amount_text

    said = amount(value, lang)
    assert format_amount(value, lang) == said and amount_text(value, lang) == said
    assert _Wording(lang).vformat("{v:money}", (), {"v": value}) == said


@pytest.mark.parametrize(
    ("lang", "currency", "said"),
    [("ru", "RUB", f"85{N}000{N}рублей"), ("ru", "USD", f"85{N}000{N}долларов США"),
     ("en", "USD", f"85,000{N}USD"), ("en", "RUB", f"85,000{N}RUB")],
)  # fmt: skip
def test_a_contract_clause_keeps_its_sum_whole_after_the_number(lang: str, currency: str, said: str) -> None:
    """The payment-terms draft of a contract checked against terms of 85 000: the sum tied
    by no-break spaces, its currency after it in both languages ("USD 85,000" before)."""
    from clientguard.contracts.drafts import render_draft
    from clientguard.domain import ContractTerms

    draft = render_draft("payment_terms", lang, ContractTerms(price=85000, currency=currency))
    assert said in draft, draft
