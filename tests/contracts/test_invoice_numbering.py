"""The next automatic invoice number follows the highest one, compared as a number.

A user's day on the web: after an invoice numbered "12", ``invoice add`` without a number
gave "2", then "3" (the count of invoices plus one). The next number is now one after the
highest, and a numbered scheme ("INV-7", "П-09") continues with its prefix and padding.
"""

from __future__ import annotations

import pytest

from clientguard.contracts.invoices import next_number
from clientguard.contracts.repo import add_invoice, invoices
from clientguard.store import Store

C = "Пенка"


@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        ([], "1"),
        (["12"], "13"),
        (["12", "2"], "13"),  # numeric, not text ("2" > "12") nor count
        (["9", "10"], "11"),
        (["INV-7"], "INV-8"),
        (["П-09"], "П-10"),
        (["007"], "008"),
        (["INV-7", "12"], "13"),
        (["12", "INV-12"], "INV-13"),  # same value: the later form continues
        (["черновик"], "1"),  # no digits at the end: start from 1
        (["A", "1"], "2"),
        (["INV-9", "INV-10"], "INV-11"),
        (["2", "3", "1"], "4"),
    ],
)
def test_next_number(taken: list[str], expected: str) -> None:
    assert next_number(taken) == expected
    assert expected not in taken


def test_add_invoice_numbers_after_the_highest(store: Store) -> None:
    add_invoice(store, C, 300, due="2025-12-01", issued="2025-11-01", number="12")
    first = add_invoice(store, C, 100, due="2025-12-01", issued="2025-11-01")
    second = add_invoice(store, C, 100, due="2025-12-01", issued="2025-11-01")
    assert (first.id, second.id) == ("13", "14")
    assert [i.id for i in invoices(store, C)] == ["12", "13", "14"]


def test_add_invoice_continues_a_prefixed_scheme(store: Store) -> None:
    add_invoice(store, C, 300, due="2025-12-01", issued="2025-11-01", number="INV-7")
    assert add_invoice(store, C, 100, due="2025-12-01", issued="2025-11-01").id == "INV-8"
    # another client's numbers are its own
    assert add_invoice(store, "Другой", 100, due="2025-12-01", issued="2025-11-01").id == "1"
