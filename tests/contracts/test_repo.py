"""Contract terms, scope items and invoices in the database, on every backend."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clientguard.contracts import check_contract
from clientguard.contracts.invoices import overdue_invoices
from clientguard.contracts.repo import (
    add_invoice,
    invoices,
    pay_invoice,
    save_contract,
    set_terms,
    terms_for_client,
    terms_record,
)
from clientguard.errors import ConfigError, NotFoundError
from clientguard.store import Store
from tests.contracts.builders import make_docx
from tests.contracts.test_checker import RU_CONTRACT


def test_contract_terms_roundtrip(store: Store, tmp_path: Path) -> None:
    path = make_docx(tmp_path / "c.docx", RU_CONTRACT)
    record = save_contract(store, "Ромашка", path, check_contract(path))
    assert record.source == "contract" and record.contract_path == str(path)
    assert record.terms.price == 50000 and record.terms.payment_due_days == 5
    assert record.terms.scope  # scope items stored in order
    again = set_terms(store, "ромашка", revision_limit=2, scope=("10 постов", "6 сторис"))
    assert again.client == "Ромашка" and again.source == "manual"
    terms = terms_for_client(store, "Ромашка")
    assert terms is not None
    assert (terms.revision_limit, terms.scope, terms.price) == (2, ("10 постов", "6 сторис"), 50000)
    set_terms(store, "Ромашка", scope=None)
    record_after = terms_record(store, "Ромашка")
    assert record_after is not None and record_after.terms.scope == ()


def test_invoices_partial_payments_and_overdue(store: Store) -> None:
    set_terms(store, "Лютик", late_fee_percent_per_day=0.2, currency="RUB")
    add_invoice(store, "Лютик", 30000, due="2025-05-10", issued="2025-05-01", number="L-1")
    add_invoice(store, "Лютик", 10000, due="2025-06-10", issued="2025-06-01")
    with pytest.raises(ConfigError):
        add_invoice(store, "Лютик", 5, due="2025-06-10", number="L-1")  # duplicate number
    with pytest.raises(ConfigError):
        add_invoice(store, "Лютик", 5, due="2025-01-01", issued="2025-02-01")  # due before issue
    part = pay_invoice(store, "Лютик", "L-1", on="2025-05-12", amount=10000)
    assert part.paid_on is None and part.paid_amount == 10000
    with pytest.raises(ConfigError):
        pay_invoice(store, "Лютик", "L-1", on="2025-05-13", amount=50000)  # more than is due
    with pytest.raises(NotFoundError):
        pay_invoice(store, "Лютик", "nope")
    rows = overdue_invoices(store, "Лютик", date(2025, 5, 20))
    # due on Saturday 10 May: payable by Monday 12 May, when 10 000 came (QA pass 7)
    assert [(r.invoice.id, r.days_overdue, r.outstanding, r.stage) for r in rows] == [
        ("L-1", 8, 20000, "firm")
    ]
    # 8 days on 20 000, at 0.2 % a day
    assert rows[0].late_fee == 320
    full = pay_invoice(store, "Лютик", "L-1", on="2025-05-21")
    assert full.paid_on == "2025-05-21" and full.paid_amount == 30000
    assert overdue_invoices(store, "Лютик", date(2025, 5, 22)) == []
    assert [i.id for i in invoices(store, "Лютик")] == ["L-1", "L-2"]


def test_a_contract_that_states_little_keeps_the_terms_set_by_hand(store: Store, tmp_path: Path) -> None:
    """QA2 T2: a contract with no extractable terms erased the revision limit, payment days,
    price and hours the user had set. Unknown is not "unlimited": stated terms win, the rest
    keep what was stored, by hand or from an earlier contract."""
    set_terms(store, "Ромашка", revision_limit=2, payment_due_days=5, price=45000, currency="RUB")
    bare = tmp_path / "bare.md"
    bare.write_text("# Договор\n\nОплата по факту.\n", encoding="utf-8")
    kept = save_contract(store, "Ромашка", bare, check_contract(bare), shown_as="договор.md")
    assert kept.source == "contract" and kept.contract_path == "договор.md"
    assert (kept.terms.revision_limit, kept.terms.payment_due_days, kept.terms.price) == (2, 5, 45000)
    full = make_docx(tmp_path / "c.docx", RU_CONTRACT)
    stated = save_contract(store, "Ромашка", full, check_contract(full))
    assert (stated.terms.price, stated.terms.payment_due_days) == (50000, 5)  # the contract's own
    again = save_contract(store, "Ромашка", bare, check_contract(bare))  # an addendum, say
    assert (again.terms.price, again.terms.revision_limit) == (50000, 2)
