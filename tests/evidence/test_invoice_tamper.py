"""An invoice edited behind the log is tampering, not a new version (QA pass 6, CLI N1).

No feature ever changes a stored invoice (`invoice add` inserts, `invoice paid` adds a
payment row), yet the log treated invoices as mutable like contract terms: after
``UPDATE invoices SET amount = 4500`` (45 000 logged) ``evidence verify`` said
"целостность подтверждена" with one record "not yet logged", and the next sync or dispute
export logged the forged amount as the invoice's new version. Every logged field of an
invoice is now checked like a payment's: a change is ``source_changed`` and the sync does
not log it again.
"""

from __future__ import annotations

import pytest
from evidence_sample import CLIENT, sync_client
from evidence_sample import report as log_report
from sqlalchemy import text

from clientguard.contracts.repo import add_invoice
from clientguard.store import Store

# (column, forged value): each field a dispute rests on
FORGERIES = [
    ("amount", 4500),
    ("currency", "'USD'"),
    ("due", "'2025-12-31'"),
    ("issued", "'2025-09-01'"),
    ("number", "'П-99'"),
]


@pytest.mark.parametrize(("column", "value"), FORGERIES, ids=[c for c, _ in FORGERIES])
def test_an_invoice_edited_behind_the_log_is_named_and_not_relogged(
    store: Store, column: str, value: object
) -> None:
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09", currency="RUB")
    sync_client(store)
    clean = log_report(store)
    assert clean.ok and clean.pending == 0
    with store.engine.begin() as conn:
        conn.execute(text(f"UPDATE invoices SET {column} = {value}"))
    report = log_report(store)
    assert not report.ok
    assert [(p.what, p.kind) for p in report.problems] == [("source_changed", "invoice")]
    assert sync_client(store) == 0  # the forged row is not logged as the invoice's new version
    assert [(p.what, p.kind) for p in log_report(store).problems] == [("source_changed", "invoice")]


def test_contract_terms_still_change_as_new_versions(store: Store) -> None:
    """Contract terms do change (`contract set`): those stay mutable, logged anew."""
    from clientguard.contracts.repo import set_terms

    set_terms(store, CLIENT, revision_limit=2)
    before = log_report(store).records
    set_terms(store, CLIENT, revision_limit=3)
    report = log_report(store)
    assert report.ok and report.pending == 0
    assert report.records == before + 1  # the new version, chained when it was set
    assert sync_client(store) == 0
    assert log_report(store).ok
