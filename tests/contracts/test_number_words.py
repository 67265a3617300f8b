"""A price written only in words is the contract's price (helper-164).

"Стоимость услуг — сорок тысяч рублей", "сорок пять тысяч (45 000) рублей", "тридцать тысяч
рублей 00 копеек", "two thousand five hundred dollars" gave no price: the money patterns
read digits only (and "(45 000) рублей", a figure in brackets before the currency, matched
none of them either). ``contracts/number_words.py`` reads the words, Russian by lemma, so
every case form counts. Hard negatives: a sum in digits is read once, not again from its
spelling in brackets; "пять сто" is no number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts.checker import check_contract
from clientguard.contracts.number_words import number_value, sums_in_words
from clientguard.contracts.terms import _money, read_late_fee

WORDS = [
    # (words, language, value)
    ("сорок тысяч", "ru", 40000),
    ("сорока тысяч", "ru", 40000),
    ("ста двадцати", "ru", 120),
    ("двухсот пятидесяти тысяч", "ru", 250000),
    ("одной тысячи пятисот", "ru", 1500),
    ("полутора миллионов", "ru", 1_500_000),
    ("миллион двести тысяч", "ru", 1_200_000),
    ("девятнадцати", "ru", 19),
    ("two thousand five hundred", "en", 2500),
    ("one hundred and fifty", "en", 150),
    ("twenty-five thousand", "en", 25000),
    ("one hundred twenty thousand", "en", 120000),
    # not numbers: the words must go from large to small
    ("пять сто", "ru", None),
    ("тысяча миллион", "ru", None),
    ("двадцать тридцать", "ru", None),
    ("two two", "en", None),
    ("five twenty", "en", None),
]  # fmt: skip


@pytest.mark.parametrize(("words", "lang", "value"), WORDS, ids=[w[0] for w in WORDS])
def test_number_words_read_in_every_case_form(words: str, lang: str, value: float | None) -> None:
    assert number_value(words.replace("-", " ").split(), lang) == value


SUMS = [
    ("стоимость услуг составляет сорок тысяч рублей в месяц", [(40000, "RUB")]),
    ("стоимость услуг составляет сорок пять тысяч (45 000) рублей", [(45000, "RUB")]),
    # the figure in brackets wins over the words, as "two (2) rounds" does
    ("цена — сорок пять тысяч (45 500) рублей", [(45500, "RUB")]),
    ("цена договора — тридцать тысяч рублей 50 копеек", [(30000.5, "RUB")]),
    ("вознаграждение не более ста двадцати тысяч российских рублей", [(120000, "RUB")]),
    ("сорок тысяч белорусских рублей", [(40000, "BYN")]),
    ("the fee is two thousand five hundred dollars a month", [(2500, "USD")]),
    ("a retainer of one thousand two hundred euros", [(1200, "EUR")]),
    # read once, from the digits: the words spell them out
    ("стоимость 40 000 руб. (сорок тысяч рублей) в месяц", [(40000, "RUB")]),
    ("стоимость 45 000 (сорок пять тысяч) рублей", [(45000, "RUB")]),
    ("стоимость 40 тысяч рублей", [(40000, "RUB")]),
    ("fees: usd 1,500 (one thousand five hundred us dollars)", [(1500, "USD")]),
    # no number before the currency word
    ("оплата в рублях по курсу", []),
    ("пять сто рублей", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "sums"), SUMS, ids=[s[0][:40] for s in SUMS])
def test_sums_in_words_join_the_sums_in_digits(text: str, sums: list[tuple[float, str]]) -> None:
    assert [(value, cur) for _s, value, cur, _e in _money(text)] == sums


def test_a_sum_in_words_keeps_its_place() -> None:
    text = "цена — сорок тысяч рублей за пост"
    [(start, value, cur, end)] = sums_in_words(text)
    assert (text[start:end], value, cur) == ("сорок тысяч рублей", 40000, "RUB")


PRICES = [
    ("Стоимость услуг составляет сорок тысяч рублей в месяц.", 40000, "RUB"),
    ("Стоимость услуг составляет сорок пять тысяч (45 000) рублей в месяц.", 45000, "RUB"),
    ("Цена договора — тридцать тысяч рублей 00 копеек.", 30000, "RUB"),
    ("Вознаграждение Исполнителя составляет сто двадцать тысяч рублей.", 120000, "RUB"),
    ("Fees: the Client shall pay two thousand five hundred dollars a month.", 2500, "USD"),
    ("Price: the Client pays one thousand two hundred euros per month.", 1200, "EUR"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "price", "currency"), PRICES, ids=[p[0][:40] for p in PRICES])
def test_a_price_written_only_in_words_is_the_contract_price(
    tmp_path: Path, sentence: str, price: float, currency: str
) -> None:
    ru = sentence[0] in "СЦВ"
    scope = "Исполнитель ведёт аккаунт Заказчика: 12 постов в месяц." if ru else "Scope: 12 posts a month."
    path = tmp_path / "contract.md"
    path.write_text(
        f"# {'Договор' if ru else 'Agreement'}\n\n1. {scope}\n\n2. {sentence}\n", encoding="utf-8"
    )
    ext = check_contract(path).extracted
    assert (ext.price, ext.currency) == (price, currency)


def test_a_late_fee_in_words_is_a_fixed_fee() -> None:
    ru = read_late_fee("За просрочку оплаты Заказчик уплачивает пени пятьсот рублей за каждый день.")
    assert ru.fixed is not None and (ru.fixed.amount, ru.fixed.per, ru.fixed.currency) == (500, "day", "RUB")
    en = read_late_fee("A late fee of fifty dollars per day applies.")
    assert en.fixed is not None and (en.fixed.amount, en.fixed.per, en.fixed.currency) == (50, "day", "USD")
