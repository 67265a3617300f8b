"""Roubles as contracts write them, read and written back in the form the number takes.

Reading: "40 000 рублей / рубля / рубль", "руб.", "р.", "тыс. руб.", "тысяч рублей" and "₽"
were read; "40 т.р.", "40 т. руб.", "40 000 российских рублей", "40 000 RUB" and thousands
grouped by dots ("40.000 руб.", as a spreadsheet exports them) gave no price, so
``contract add`` stored none and ``invoice add`` fell back to a guess. A late fee said as
"уплачивает пеню" (the accusative) was no late-fee clause at all, and "1 (одного)
процента в день" was read as a clause with no rate.

Writing: every sum in a Russian clause said "рублей", so a draft read "21 рублей" or
"2 рублей"; the word agrees with the number now.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts.checker import check_contract
from clientguard.contracts.drafts import format_money, render_draft
from clientguard.domain import ContractTerms

NB = "\u00a0"
RU = "# Договор\n\n1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.\n\n{}\n"


def _check(tmp_path: Path, text: str, template: str = RU) -> tuple[float | None, str | None, str]:
    path = tmp_path / "c.md"
    path.write_text(template.format(text), encoding="utf-8")
    report = check_contract(path)
    status = next(c.status for c in report.clauses if c.id == "payment_terms")
    return report.extracted.price, report.extracted.currency, status


@pytest.mark.parametrize(
    ("said", "price"),
    [
        # read before: kept so
        ("40 000 рублей", 40000), ("40 000 рубля", 40000), ("40 001 рубль", 40001), ("40 000 руб.", 40000),
        ("40 000 р.", 40000), ("40 тыс. руб.", 40000), ("40 тысяч рублей", 40000), ("40 000 ₽", 40000),
        ("40 000,50 руб.", 40000.5), ("40 000 (сорок тысяч) рублей 00 копеек", 40000),
        # no price before
        ("40 т.р.", 40000), ("40 т. руб.", 40000), ("40 000 российских рублей", 40000),
        ("40 000 RUB", 40000), ("40.000 руб.", 40000), ("1.500.000 руб.", 1500000), ("1.500,50 руб.", 1500.5),
    ],
)  # fmt: skip
def test_a_price_in_roubles_is_read_in_every_form(tmp_path: Path, said: str, price: float) -> None:
    found, currency, status = _check(tmp_path, f"2. Стоимость услуг — {said} в месяц.")
    assert (found, currency) == (price, "RUB")
    assert status == "weak"  # a price and no date to pay by: the clause sees the sum too


def test_an_english_contract_priced_in_roubles(tmp_path: Path) -> None:
    english = "# Agreement\n\n{}\n"
    assert _check(tmp_path, "1. The fee is 40,000 RUB per month.", english)[:2] == (40000, "RUB")
    assert _check(tmp_path, "1. The fee is 40,000 roubles per month.", english)[:2] == (40000, "RUB")


@pytest.mark.parametrize(
    ("clause", "rate"),
    [
        ("За просрочку оплаты Заказчик уплачивает пеню в размере 0,1 % от неоплаченной суммы в день.", 0.1),
        ("В случае нарушения сроков оплаты Заказчик выплачивает неустойку в размере 1 (одного) процента "
         "за каждый день просрочки.", 1.0),
        ("За просрочку оплаты Заказчик уплачивает пени в размере 0,5 % в день, но не более 10 000 рублей.",
         0.5),
    ],
)  # fmt: skip
def test_a_late_fee_in_other_forms_is_read(tmp_path: Path, clause: str, rate: float) -> None:
    path = tmp_path / "c.md"
    text = f"2. Стоимость услуг — 40 000 рублей в месяц.\n\n3. {clause}"
    path.write_text(RU.format(text), encoding="utf-8")
    report = check_contract(path)
    assert next(c.status for c in report.clauses if c.id == "late_payment_penalty") == "present"
    assert report.extracted.late_fee_percent_per_day == rate


@pytest.mark.parametrize(
    ("value", "currency", "said"),
    [
        (1, "RUB", "1 рубль"), (2, "RUB", "2 рубля"), (4, "RUB", "4 рубля"), (5, "RUB", "5 рублей"),
        (11, "RUB", "11 рублей"), (12, "RUB", "12 рублей"), (21, "RUB", "21 рубль"), (22, "RUB", "22 рубля"),
        (111, "RUB", "111 рублей"), (1001, "RUB", f"1{NB}001 рубль"), (85000, "RUB", f"85{NB}000 рублей"),
        (40000.5, "RUB", f"40{NB}000,50 рубля"), (None, "RUB", "0 рублей"),
        (1, "USD", "1 доллар США"), (3, "USD", "3 доллара США"), (2, "GBP", "2 фунта стерлингов"),
        (21, "EUR", "21 евро"), (21, "KZT", "21 KZT"),
    ],
)  # fmt: skip
def test_a_russian_clause_names_the_currency_in_the_form_the_number_takes(
    value: float | None, currency: str, said: str
) -> None:
    written = format_money(value or 0, currency, "ru")
    assert written.replace(NB, " ") == said.replace(NB, " ")
    assert written.startswith(said.split(" ")[0].replace(" ", NB) + NB)  # the name tied to its number


def test_a_draft_clause_with_a_price_of_21_roubles() -> None:
    draft = render_draft("payment_terms", "ru", ContractTerms(price=21.0, currency="RUB"))
    assert f"Стоимость услуг составляет 21{NB}рубль." in draft, draft
    english = render_draft("payment_terms", "en", ContractTerms(price=21.0, currency="RUB"))
    assert f"The fee is 21{NB}RUB." in english, english


@pytest.mark.parametrize(
    ("said", "price"),
    [
        ("3 000 руб. за пост", None),
        ("3 000 рублей за каждый пост", None),
        ("3 000 ₽ за час работы", None),
        ("40 000 руб. в месяц, 3 000 руб. за пост сверх плана", 40000),
        ("3 000 руб. за пост, 40 000 руб. в месяц", 40000),
        ("35 000 руб. предоплата 50 %", 35000),
    ],
)
def test_a_rate_of_one_post_or_hour_in_prose_is_not_the_price(
    tmp_path: Path, said: str, price: float | None
) -> None:
    """"Стоимость — 3 000 руб. за пост" was a price of 3 000: the words after a sum were looked
    for after its first digit, and the sentence was cut at "руб." before "за пост"."""
    assert _check(tmp_path, f"2. Стоимость — {said}.")[0] == price
