"""A price stated only in a contract table is the contract's price (QA pass 6 follow-up, G4).

"Ведение аккаунта | 40 000 руб." under a "Стоимость" column, or an "Итого" row, has no price
word of its own, so the sentence reading passed it by and ``contract check`` reported no
price. A table row's sum is now taken when its table has a price-like column header (the one
priced row) or the row is the total, never from a budget, an extra or a per-unit row
(``rules/table_price.yaml``); a price stated in a sentence still comes first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts.checker import check_contract
from tests.contracts.builders import make_docx

INTRO = [
    "# Договор оказания услуг",
    "1.1. Исполнитель оказывает Заказчику услуги по ведению аккаунта в Instagram.",
    "1.2. Заказчик оплачивает услуги в течение 5 рабочих дней после подписания акта.",
]
PRICED = [
    "| Услуга | Стоимость |",
    "| Ведение аккаунта | 40 000 руб. |",
    "| Дополнительный пост сверх плана | 3 000 руб. за пост |",
    "| Рекламный бюджет | 30 000 руб. |",
]
TOTAL = [
    "| Материал | Количество | Цена за единицу | Сумма |",
    "| Пост | 12 | 2 500 руб. | 30 000 руб. |",
    "| Сторис | 20 | 500 руб. | 10 000 руб. |",
    "| Итого | | | 40 000 руб. |",
]
EN = [
    "# Services Agreement",
    "1.1. The Agency manages the Client's Instagram account.",
    "1.2. The Client pays within 5 business days of the invoice.",
    "| Service | Price |",
    "| Account management | USD 1,200 |",
    "| Additional post | USD 80 per post |",
]


def _write_md(path: Path, lines: list[str]) -> Path:
    out: list[str] = []
    for line in lines:
        out.append(line)
        if line.startswith("|") and (len(out) < 2 or not out[-2].startswith("|")):
            out.append("|" + "---|" * (line.count("|") - 1))
        elif not line.startswith("|"):
            out.append("")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("lines", "price", "currency"),
    [(INTRO + PRICED, 40000, "RUB"), (INTRO + TOTAL, 40000, "RUB"), (EN, 1200, "USD")],
    ids=["price-column", "total-row", "en-price-column"],
)
@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_a_table_price_is_extracted(
    tmp_path: Path, fmt: str, lines: list[str], price: float, currency: str
) -> None:
    path = tmp_path / f"c.{fmt}"
    if fmt == "md":
        _write_md(path, lines)
    else:
        make_docx(path, lines)
    ext = check_contract(path).extracted
    assert (ext.price, ext.currency) == (price, currency)


@pytest.mark.parametrize(
    "rows",
    [
        ["| Статья | Стоимость |", "| Рекламный бюджет | 30 000 руб. |"],
        ["| Услуга | Стоимость |", "| Дополнительный пост | 3 000 руб. |"],
        ["| Услуга | Стоимость |", "| Пост | 3 000 руб. за пост |"],
        ["| Услуга | Цена за единицу |", "| Пост | 3 000 руб. |"],
        ["| Услуга | Срок |", "| Ведение аккаунта | 40 000 руб. |"],  # no price column
        ["| Услуга | Стоимость |", "| Instagram | 30 000 руб. |", "| VK | 20 000 руб. |"],  # two, no total
        ["| Статья | Сумма |", "| Рекламный бюджет | 30 000 руб. |", "| Итого | 30 000 руб. |"],
        ["| Платёж | Сумма |", "| Аванс | 20 000 руб. |"],
    ],
    ids=[
        "budget",
        "extra",
        "per-post",
        "unit-price",
        "no-price-header",
        "two-rows",
        "budget-total",
        "advance",
    ],
)
def test_never_from_budget_extra_or_unit_rows(tmp_path: Path, rows: list[str]) -> None:
    ext = check_contract(_write_md(tmp_path / "c.md", INTRO + rows)).extracted
    assert ext.price is None


def test_a_price_in_a_sentence_still_comes_first(tmp_path: Path) -> None:
    lines = [*INTRO, "1.3. Стоимость услуг составляет 50 000 руб. в месяц.", *PRICED]
    ext = check_contract(_write_md(tmp_path / "c.md", lines)).extracted
    assert ext.price == 50000
