"""An English contract's price with thousands grouped by a space: "1 200 EUR" (QA pass 7).

Continental European contracts written in English group thousands with a space (or a
no-break space). The price reading knew only "1,200", so "The fee is 1 200 EUR per month"
was a price of 200 EUR: ``contract add`` stored it, and drafts quoted it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts.checker import check_contract

HEAD = (
    "# Agreement\n\n1. The Contractor manages the Client's Instagram account: 12 posts per month.\n\n2. {}\n"
)


@pytest.mark.parametrize(
    ("text", "price", "currency"),
    [
        ("The fee is 1 200 EUR per month.", 1200, "EUR"),
        ("The fee is EUR 12 500 per month.", 12500, "EUR"),
        ("The monthly fee is 1\u00a0200.50 USD.", 1200.5, "USD"),
    ],
)
def test_a_space_grouped_price_is_read_whole(tmp_path: Path, text: str, price: float, currency: str) -> None:
    path = tmp_path / "c.md"
    path.write_text(HEAD.format(text), encoding="utf-8")
    ext = check_contract(path).extracted
    assert (ext.price, ext.currency) == (price, currency)


RU_HEAD = "# Договор\n\n1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.\n\n2. {}\n"


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("Стоимость услуг составляет 40 тыс. руб. в месяц.", 40000),
        ("Стоимость услуг — 40 тысяч рублей в месяц.", 40000),
        ("Стоимость услуг — 1,5 млн руб.", 1500000),
        ("Вознаграждение Исполнителя — 40000р в месяц.", 40000),
    ],
)
def test_a_russian_price_in_thousands_or_with_a_bare_r_is_read(
    tmp_path: Path, text: str, price: float
) -> None:
    """ "40 тыс. руб.", "40 тысяч рублей" and "40000р" gave no price at all (QA pass 7)."""
    path = tmp_path / "c.md"
    path.write_text(RU_HEAD.format(text), encoding="utf-8")
    ext = check_contract(path).extracted
    assert (ext.price, ext.currency) == (price, "RUB")
