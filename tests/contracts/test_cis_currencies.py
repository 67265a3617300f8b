"""A contract priced in tenge, hryvnias or Belarusian roubles (QA pass 7).

The product speaks Russian first, and Russian-speaking freelancers work with clients in
Kazakhstan, Ukraine and Belarus. "Стоимость услуг — 150 000 тенге в месяц" gave no price and
"no payment terms"; so did "1 500 белорусских рублей" (which is no RUB), and a price table
headed "Стоимость, грн". ``contract add`` then stored no price, and ``invoice add`` took RUB.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts.checker import check_contract

RU = "# Договор\n\n1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.\n\n{}\n"


@pytest.mark.parametrize(
    ("text", "price", "currency"),
    [
        ("2. Стоимость услуг — 150 000 тенге в месяц.", 150000, "KZT"),
        ("2. Стоимость услуг — 150 000 ₸ в месяц.", 150000, "KZT"),
        ("2. Стоимость услуг — 1 500 белорусских рублей в месяц.", 1500, "BYN"),
        ("2. Стоимость услуг — 1 500 бел. руб. в месяц.", 1500, "BYN"),
        ("2. Стоимость услуг — 20 000 гривен в месяц.", 20000, "UAH"),
        ("2. Стоимость услуг составляет 1 500 BYN в месяц.", 1500, "BYN"),
        ("| Услуга | Стоимость, грн |\n|---|---|\n| Ведение аккаунта | 20 000 |", 20000, "UAH"),
        ("| Услуга | Стоимость, бел. руб. |\n|---|---|\n| Ведение аккаунта | 1 500 |", 1500, "BYN"),
    ],
)
def test_the_price_keeps_its_currency(tmp_path: Path, text: str, price: float, currency: str) -> None:
    path = tmp_path / "c.md"
    path.write_text(RU.format(text), encoding="utf-8")
    report = check_contract(path)
    assert (report.extracted.price, report.extracted.currency) == (price, currency)
    if not text.startswith("|"):
        assert next(c.status for c in report.clauses if c.id == "payment_terms") == "weak"  # price, no date


def test_an_english_contract_priced_in_tenge(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text("# Agreement\n\n1. The fee is KZT 150,000 per month.\n", encoding="utf-8")
    assert (check_contract(path).extracted.price, check_contract(path).extracted.currency) == (150000, "KZT")
