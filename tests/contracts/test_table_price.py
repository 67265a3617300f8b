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
from clientguard.contracts.reader import read_contract
from tests.contracts.builders import make_docx, make_pdf

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


# A PDF keeps no cell borders: its plain text glues a table's cells in reading order. A
# price table without a quantity column ("Услуга | Стоимость", "Service | Price") was not
# read again in layout mode, so its price was lost or taken from the glued text (QA pass 7).
PRICED_RUB_SIGN = [
    "| Услуга | Стоимость |",
    "| Ведение аккаунта | 40 000 ₽ |",
    "| Дополнительный пост | 3 000 ₽ за пост |",
]
EN_TOTAL = [
    "# Services Agreement",
    "1.1. The Agency manages the Client's Instagram account.",
    "| Item | Fee |",
    "| Content plan | USD 300 |",
    "| Account management | USD 900 |",
    "| Total | USD 1,200 |",
]
LONG_HEADER = "Стоимость услуг в месяц, руб. (НДС не облагается)"  # wraps in its cell
QTY_THEN_PRICE = [
    *INTRO,
    "| Материал | Количество |",
    "| Посты | 12 |",
    "| Сторис | 20 |",
    "1.4. Стороны согласовали следующий расчёт стоимости услуг по договору.",
    "| Услуга | Стоимость, руб. |",
    "| Ведение аккаунта | 40 000 руб. |",
]


@pytest.mark.parametrize(
    ("lines", "price", "currency", "cyrillic"),
    [
        (INTRO + PRICED_RUB_SIGN, 40000, "RUB", True),
        (INTRO + TOTAL, 40000, "RUB", True),
        (EN, 1200, "USD", False),
        (EN_TOTAL, 1200, "USD", False),
        (QTY_THEN_PRICE, 40000, "RUB", True),
        (
            [*INTRO, f"| Услуга | {LONG_HEADER} |", "| Ведение аккаунта | 40 000 |"],
            40000,
            "RUB",
            True,
        ),
    ],
    ids=["rouble-sign", "total-row", "en-price-column", "en-total", "qty-then-price", "long-header"],
)
def test_a_pdf_table_price_is_extracted(
    tmp_path: Path, lines: list[str], price: float, currency: str, cyrillic: bool
) -> None:
    path = make_pdf(tmp_path / "c.pdf", lines, cyrillic=cyrillic)
    ext = check_contract(path).extracted
    assert (ext.price, ext.currency) == (price, currency)
    md = check_contract(_write_md(tmp_path / "c.md", lines)).extracted
    assert (md.price, md.currency) == (ext.price, ext.currency)  # the .md copy says the same


@pytest.mark.parametrize(
    "rows",
    [
        ["| Услуга | Стоимость |", "| Instagram | 30 000 руб. |", "| VK | 20 000 руб. |"],
        ["| Service | Price |", "| Instagram | USD 800 |", "| Facebook | USD 400 |"],
    ],
    ids=["two-rows", "en-two-rows"],
)
def test_a_pdf_table_gives_no_price_where_its_md_copy_gives_none(tmp_path: Path, rows: list[str]) -> None:
    lines = INTRO + rows
    path = make_pdf(tmp_path / "c.pdf", lines)
    assert check_contract(_write_md(tmp_path / "c.md", lines)).extracted.price is None
    assert check_contract(path).extracted.price is None


def test_a_pdf_price_table_is_read_as_rows(tmp_path: Path) -> None:
    """The rows reach the checker as "row" blocks (scope and price read them), and the
    glued plain text of the table is not left as a sentence beside them. A bilingual
    heading set as a one-row table ("Стоимость | Price") is a heading, not a price table."""
    lines = [EN[0], "| Стоимость | Price |", *EN[1:]]
    blocks = read_contract(make_pdf(tmp_path / "c.pdf", lines)).blocks
    assert [b.text for b in blocks if b.kind == "row"] == [
        "Service | Price",
        "Account management | USD 1,200",
        "Additional post | USD 80 per post",
    ]
    assert not any("Account management" in b.text for b in blocks if b.kind != "row")
    assert any(b.text.endswith("Стоимость Price") for b in blocks if b.kind != "row")


# "Стоимость, руб." / "Price, USD": the header names the currency and the cells hold bare
# numbers, the usual way a Russian contract's price table is typeset; the price was lost.
CURRENCY_IN_HEADER = [
    (["| Услуга | Стоимость, руб. |", "| Ведение аккаунта | 40 000 |"], 40000, "RUB"),
    (["| № | Услуга | Стоимость (₽) |", "| 1 | Ведение аккаунта | 40 000,00 |"], 40000, "RUB"),
    (
        [
            "| Позиция | Кол-во | Цена за единицу, руб. | Сумма, руб. |",
            "| Посты | 12 | 2 500 | 30 000 |",
            "| Сторис | 20 | 500 | 10 000 |",
            "| Итого | | | 40 000 |",
        ],
        40000,
        "RUB",
    ),
    (["| Service | Price, USD |", "| Account management | 1,200 |"], 1200, "USD"),
    (["| Service | Fee (EUR) |", "| Account management | 1,200.00 |"], 1200, "EUR"),
]


@pytest.mark.parametrize(
    ("rows", "price", "currency"),
    CURRENCY_IN_HEADER,
    ids=["rub-column", "rouble-sign-numbered", "qty-total", "usd-column", "eur-column"],
)
@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_a_currency_named_in_the_header_prices_bare_numbers(
    tmp_path: Path, fmt: str, rows: list[str], price: float, currency: str
) -> None:
    lines = INTRO + rows
    path = tmp_path / f"c.{fmt}"
    {"md": _write_md, "docx": make_docx, "pdf": make_pdf}[fmt](path, lines)
    ext = check_contract(path).extracted
    assert (ext.price, ext.currency) == (price, currency)


def test_bare_numbers_are_a_price_only_where_a_priced_row_would_be(tmp_path: Path) -> None:
    """Bare numbers become sums, and then the table rules apply as to any sums: two services
    priced apart, a budget, or no currency named anywhere still give no price."""
    one = [*INTRO, "| Услуга | Стоимость, руб. |", "| Ведение аккаунта | 40 000 |"]
    assert check_contract(_write_md(tmp_path / "one.md", one)).extracted.price == 40000
    for n, rows in enumerate(
        [
            ["| Услуга | Стоимость, руб. |", "| Instagram | 30 000 |", "| VK | 20 000 |"],
            ["| Статья | Сумма, руб. |", "| Рекламный бюджет | 30 000 |"],
            ["| Услуга | Стоимость |", "| Ведение аккаунта | 40 000 |"],
        ]
    ):
        assert check_contract(_write_md(tmp_path / f"{n}.md", INTRO + rows)).extracted.price is None, rows


def test_a_pdf_budget_table_before_the_services_table_does_not_hide_it(tmp_path: Path) -> None:
    """Only the first price-like table of a PDF was read: a budget table above the services
    one left the contract without a price, where the .md copy had one."""
    lines = [
        *INTRO,
        "| Статья | Стоимость |",
        "| Рекламный бюджет | 30 000 руб. |",
        "1.3. Рекламный бюджет Заказчик перечисляет на рекламный кабинет самостоятельно и отдельно.",
        "| Услуга | Стоимость |",
        "| Ведение аккаунта | 30 000 руб. |",
        "| Съёмка контента | 10 000 руб. |",
        "| Итого | 40 000 руб. |",
    ]
    md = check_contract(_write_md(tmp_path / "c.md", lines)).extracted
    pdf = check_contract(make_pdf(tmp_path / "c.pdf", lines)).extracted
    assert (md.price, pdf.price) == (40000, 40000)
