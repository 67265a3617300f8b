"""What an invoice may say, and paid/outstanding from one function (QA F6, F17, F18).

``invoice add`` stored ``nan`` (a NOT NULL traceback), ``inf`` and ``1e20`` (``invoice
list --json`` then printed ``Infinity``), an empty number and a year-0001 issue date
("739943 d overdue"); ``invoice paid`` took payments dated before the invoice or in the
future, and ``invoice list`` then showed 200 paid and 200 outstanding on a 300 invoice.
Every case runs on SQLite and PostgreSQL; a refused value writes nothing.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select
from suite_helpers import freeze_today

from clientguard.contracts.invoices import invoice_status, invoice_statuses, settle
from clientguard.contracts.repo import add_invoice, invoices, pay_invoice
from clientguard.domain import Invoice
from clientguard.errors import ConfigError, NotFoundError
from clientguard.store import Store
from clientguard.store.models_contracts import InvoicePaymentRow, InvoiceRow

TODAY = date.today()


@pytest.fixture(autouse=True)
def _same_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code's "today" is this module's TODAY even when the run crosses midnight."""
    freeze_today(monkeypatch, TODAY)
C = "Пенка"


def _issue(store: Store, number: str = "A1", amount: float = 300, issued: date | None = None) -> None:
    day = issued or TODAY - timedelta(days=30)
    add_invoice(store, C, amount, due=day + timedelta(days=10), issued=day, number=number)


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        (math.nan, "expected a finite number, got nan"),
        (math.inf, "expected a finite number, got inf"),
        (-math.inf, "expected a finite number, got -inf"),
        (1e20, "expected at most 1,000,000,000,000"),
        (0, "expected more than 0, got 0"),
        (-5, "expected more than 0, got -5"),
    ],
)
def test_add_refuses_impossible_amounts(store: Store, amount: float, says: str) -> None:
    with pytest.raises(ConfigError, match=f"invoice amount: {says}"):
        add_invoice(store, C, amount, due="2025-12-01", issued="2025-11-01")
    with pytest.raises(NotFoundError):  # nothing stored, not even the client
        invoices(store, C)


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"number": ""}, "invoice number: expected some text"),
        ({"number": "   "}, "invoice number: expected some text"),
        ({"number": "A\n1"}, "invoice number: expected printable text"),
        ({"issued": "0001-01-01"}, "issue date: expected a date from 1990-01-01"),
        ({"issued": "2025-02-30"}, "issue date: '2025-02-30' is not a date: February 2025 has 28 days"),
        ({"issued": "2025/11/01"}, "issue date: expected a date like 2025-09-01 or 01.09.2025"),
        ({"due": "2099-12-01"}, "due date: expected a date from 1990-01-01"),
        ({"currency": "XYZ"}, "currency: expected an ISO 4217"),
    ],
)
def test_add_refuses_bad_numbers_dates_currencies(store: Store, kwargs: dict[str, str], says: str) -> None:
    args: dict[str, str] = {"due": "2025-12-01", "issued": "2025-11-01"} | kwargs
    with pytest.raises(ConfigError, match=says):
        add_invoice(store, C, 300, **args)  # type: ignore[arg-type]


def test_number_is_trimmed_and_auto_numbers_skip_typed_ones(store: Store) -> None:
    add_invoice(store, C, 300, due="2025-12-01", issued="2025-11-01", number="  2 ")
    auto = add_invoice(store, C, 100, due="2025-12-01", issued="2025-11-01", currency="руб.")
    # the first free number after the one already there ("2" was typed by hand, not reused)
    assert (auto.id, auto.currency) == ("3", "RUB")
    assert [i.id for i in invoices(store, C)] == ["2", "3"]
    with pytest.raises(ConfigError, match="already exists"):
        add_invoice(store, C, 5, due="2025-12-01", issued="2025-11-01", number="2")
    paid = pay_invoice(store, C, " 2 ", on="2025-11-20", amount=100)  # found by its trimmed number
    assert paid.paid_amount == 100


@pytest.mark.parametrize(
    ("on", "says"),
    [
        (TODAY - timedelta(days=31), "was issued on .*: a payment dated .* is before that"),
        (TODAY + timedelta(days=1), "is in the future"),
        (date(1, 1, 1), "payment date: expected a date from 1990-01-01"),
    ],
)
def test_payment_dated_before_issue_or_in_the_future_is_refused(store: Store, on: date, says: str) -> None:
    _issue(store)
    with pytest.raises(ConfigError, match=says):
        pay_invoice(store, C, "A1", on=on, amount=100)
    assert invoices(store, C)[0].paid_amount is None


@pytest.mark.parametrize("amount", [math.nan, math.inf, 0, -1, 301])
def test_payment_amount_is_checked(store: Store, amount: float) -> None:
    _issue(store)
    with pytest.raises(ConfigError, match="payment"):
        pay_invoice(store, C, "A1", on=TODAY, amount=amount)


def test_paid_and_outstanding_agree_as_of_any_day(store: Store) -> None:
    _issue(store, issued=date(2025, 3, 1))
    pay_invoice(store, C, "A1", on="2025-03-10", amount=100)
    pay_invoice(store, C, "A1", on="2025-03-20", amount=200)
    for day, paid, outstanding, paid_on in [
        (date(2025, 3, 5), None, 300, None),
        (date(2025, 3, 15), 100, 200, None),
        (date(2025, 3, 25), 300, 0, "2025-03-20"),
    ]:
        [row] = invoice_statuses(store, C, day)
        data = row.as_json()
        got = (data["paid_amount"], data["outstanding"], data["paid_on"])
        assert got == (paid, outstanding, paid_on), day
        assert [(i.paid_amount, i.paid_on) for i in invoices(store, C, as_of=day)] == [(paid, paid_on)]


def test_a_future_payment_stored_before_the_check_counts_nowhere(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The QA's database: 100 paid before the issue date, 100 in 2030, on a 300 invoice.

    Written as an older clientguard wrote it (no evidence log hook then): a payment
    inserted behind a clientguard that logs its writes is refused, see
    ``tests/evidence/test_logging_line.py``.
    """
    with monkeypatch.context() as m:
        m.setattr("clientguard.store.hooks.DEFAULT_AFTER_RECORD", ())
        _issue(store)
    with store.engine.begin() as conn:
        invoice_id = conn.execute(select(InvoiceRow.id)).scalar_one()
        later = (TODAY + timedelta(days=400)).isoformat()
        conn.execute(insert(InvoicePaymentRow).values(invoice_id=invoice_id, amount=100.0, paid_on=later))
    pay_invoice(store, C, "A1", on=TODAY, amount=100)
    [row] = invoice_statuses(store, C)
    data = row.as_json()
    assert (data["paid_amount"], data["outstanding"]) == (100, 200)
    assert invoices(store, C)[0].paid_amount == 100


def test_settle_is_the_one_source_of_both_figures() -> None:
    pays = [(date(2025, 3, 10), 100.0), (date(2025, 3, 20), 200.0)]
    assert settle(300, pays, date(2025, 3, 15)) == settle(300, pays[:1], date(2025, 3, 15))
    done = settle(300, pays, date(2025, 4, 1))
    assert (done.paid, done.outstanding, done.paid_on) == (300, 0, date(2025, 3, 20))
    inv = Invoice(id="7", amount=300, issued="2025-03-01", due="2025-03-05", paid_amount=300)
    s = invoice_status("Acme", inv, date(2025, 3, 15), pays)
    assert (s.invoice.paid_amount, s.outstanding, s.invoice.paid_on) == (100, 200, None)
