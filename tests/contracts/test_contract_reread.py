"""Stored contracts read again with today's reader (``contracts.reread``), on every backend.

The seventeenth session stopped reading "4% above the Bank of England base rate" as 4% a
day, but terms stored before kept that reading and reminders computed penalties from it.
An older reading is simulated here the way it is stored: the terms a report of the old
reader gave (``late_fee_percent_per_day=4``), with no origins (a database from before
migration ``0005_contracts_term_origins``) or with an older reader version.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from clientguard.contracts import check_contract
from clientguard.contracts.invoices import overdue_invoices
from clientguard.contracts.repo import (
    TermsChanged,
    add_invoice,
    put_rereads,
    save_contract,
    set_terms,
    term_origins,
    terms_record,
)
from clientguard.contracts.reread import older_late_fee, plan, reread
from clientguard.contracts.terms import reader_version
from clientguard.store import Store
from clientguard.store.models_contracts import ContractTermsRow, TermOriginRow

BASE_RATE = """# Social media services agreement

1. Scope: 12 posts a month on Instagram.
2. Fees: GBP 1,500 a month, payable within 14 days of the invoice.
3. Late payment: amounts not paid when due bear interest at 4% above the Bank of England base rate.
"""


def _stored_by_the_old_reader(
    store: Store, tmp_path: Path, client: str = "Acme", legacy: bool = True
) -> Path:
    """The base-rate contract stored as the reader before the seventeenth session read it."""
    path = tmp_path / f"{client}.md"
    path.write_text(BASE_RATE, encoding="utf-8")
    report = check_contract(path)
    old = replace(
        report, extracted=replace(report.extracted, late_fee_percent_per_day=4.0, late_fee_unread=None)
    )
    save_contract(store, client, path, old)
    with store.engine.begin() as conn:
        terms_id = conn.execute(select(ContractTermsRow.id)).scalars().all()
        if legacy:  # no origins at all: stored before they were kept
            conn.execute(delete(TermOriginRow).where(TermOriginRow.terms_id.in_(terms_id)))
        else:
            conn.execute(update(TermOriginRow).values(reader="late_fee.v1"))
    return path


@pytest.mark.parametrize("legacy", [True, False], ids=["no-origins", "older-reader"])
def test_an_older_reading_of_a_base_rate_clause_is_cleared(
    store: Store, tmp_path: Path, legacy: bool
) -> None:
    _stored_by_the_old_reader(store, tmp_path, legacy=legacy)
    add_invoice(store, "Acme", 1500, due="2025-05-01", issued="2025-04-17", number="1")
    assert overdue_invoices(store, "Acme", date(2025, 5, 21))[0].late_fee_rate == 4.0
    assert older_late_fee(store, "Acme") is not None  # contract show / invoice list tell the user

    looked = reread(store, ["Acme"], apply=False)
    assert [(c.field, c.old, c.new) for c in looked[0].changes] == [("late_fee_percent_per_day", 4.0, None)]
    assert looked[0].whole and looked[0].late_fee_unread == "reference_rate"
    stored = terms_record(store, "Acme")
    assert stored is not None and stored.terms.late_fee_percent_per_day == 4.0  # a dry run writes nothing

    reread(store, ["Acme"])
    after = terms_record(store, "Acme")
    assert after is not None and after.terms.late_fee_percent_per_day is None
    assert after.terms.price == 1500 and after.source == "contract"  # the rest as read
    assert overdue_invoices(store, "Acme", date(2025, 5, 21))[0].late_fee_rate is None
    assert term_origins(store, "Acme")["late_fee_percent_per_day"].reader == reader_version()
    assert older_late_fee(store, "Acme") is None
    again = plan(store, "Acme")
    assert again is not None and again.changes == ()


def test_the_new_terms_are_on_the_evidence_log(store: Store, tmp_path: Path) -> None:
    from clientguard.evidence.log import latest_records
    from clientguard.evidence.verify import verify_client

    _stored_by_the_old_reader(store, tmp_path)
    reread(store, ["Acme"])
    with store.engine.connect() as conn:
        client_id, terms_id = conn.execute(select(ContractTermsRow.client_id, ContractTermsRow.id)).one()
        logged = latest_records(conn, client_id, [("contract", f"contract_terms:{terms_id}")])
        assert verify_client(conn, client_id).ok
    import json

    payload = logged[("contract", f"contract_terms:{terms_id}")][1]
    assert payload is not None and json.loads(payload)["late_fee_percent_per_day"] is None


def test_a_rate_set_by_hand_is_kept(store: Store, tmp_path: Path) -> None:
    _stored_by_the_old_reader(store, tmp_path)
    set_terms(store, "Acme", late_fee_percent_per_day=0.05)
    found = reread(store, ["Acme"])[0]
    assert found.changes == ()
    assert [(c.field, c.old, c.new, c.why) for c in found.kept] == [
        ("late_fee_percent_per_day", 0.05, None, "manual")
    ]
    after = terms_record(store, "Acme")
    assert after is not None and after.terms.late_fee_percent_per_day == 0.05
    assert older_late_fee(store, "Acme") is None  # the user's own rate is nothing to warn of


def test_without_the_file_the_clause_is_read_from_its_stored_quote(store: Store, tmp_path: Path) -> None:
    path = _stored_by_the_old_reader(store, tmp_path)
    path.write_text(BASE_RATE + "\n4. An addendum.\n", encoding="utf-8")  # changed: not the contract stored
    found = reread(store, ["Acme"])[0]
    assert not found.whole
    assert [(c.field, c.new) for c in found.changes] == [("late_fee_percent_per_day", None)]
    path.unlink()
    assert plan(store, "Acme") is not None  # gone: the quote still reads


def test_terms_of_a_legacy_hand_edit_are_unsure_and_kept_unless_asked(store: Store, tmp_path: Path) -> None:
    _stored_by_the_old_reader(store, tmp_path)
    set_terms(store, "Acme", revision_limit=3)
    with store.engine.begin() as conn:  # that `contract set` was before origins were kept
        conn.execute(delete(TermOriginRow))
    found = plan(store, "Acme")
    assert found is not None and found.changes == ()
    assert [(c.field, c.why) for c in found.kept] == [("late_fee_percent_per_day", "unsure")]
    assert older_late_fee(store, "Acme") is not None
    reread(store, ["Acme"], take_unsure=True)
    after = terms_record(store, "Acme")
    assert after is not None and after.terms.late_fee_percent_per_day is None


def test_all_clients_or_none(store: Store, tmp_path: Path) -> None:
    _stored_by_the_old_reader(store, tmp_path, "Acme")
    _stored_by_the_old_reader(store, tmp_path, "Bolt")
    plans = [plan(store, "Acme"), plan(store, "Bolt")]
    set_terms(store, "Bolt", price=1600)  # written after the plan: the plan is stale
    with pytest.raises(TermsChanged):
        put_rereads(store, [p for p in plans if p is not None])
    first = terms_record(store, "Acme")
    assert first is not None and first.terms.late_fee_percent_per_day == 4.0  # Acme not written either


def test_adding_the_contract_again_clears_the_older_reading_but_not_a_hand_rate(
    store: Store, tmp_path: Path
) -> None:
    path = _stored_by_the_old_reader(store, tmp_path)
    record = save_contract(store, "Acme", path, check_contract(path))
    assert record.terms.late_fee_percent_per_day is None  # it was kept as "unknown" before
    set_terms(store, "Acme", late_fee_percent_per_day=0.05)
    record = save_contract(store, "Acme", path, check_contract(path))
    assert record.terms.late_fee_percent_per_day == 0.05


def test_a_term_a_case_file_leaves_unknown_is_not_the_users(store: Store, tmp_path: Path) -> None:
    """A case file stores every term (analysis.stored), None where it states none: that None
    is "unknown", not a value set by hand, so the contract's reading fills it."""
    _stored_by_the_old_reader(store, tmp_path, legacy=False)
    set_terms(store, "Acme", price=None, revision_limit=3)
    found = reread(store, ["Acme"])[0]
    assert ("price", None, 1500) in [(c.field, c.old, c.new) for c in found.changes]
    after = terms_record(store, "Acme")
    assert after is not None and (after.terms.price, after.terms.revision_limit) == (1500, 3)
