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
from evidence_sample import CLIENT
from sqlalchemy import text

from clientguard.contracts.repo import add_invoice
from clientguard.evidence.log import sync
from clientguard.evidence.verify import VerifyReport, resolve_client, verify_client
from clientguard.store import Store


def _report(store: Store) -> VerifyReport:
    with store.engine.connect() as conn:
        return verify_client(conn, resolve_client(conn, CLIENT))


def _sync(store: Store) -> int:
    with store.engine.begin() as conn:
        return sync(conn, resolve_client(conn, CLIENT))


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
    _sync(store)
    clean = _report(store)
    assert clean.ok and clean.pending == 0
    with store.engine.begin() as conn:
        conn.execute(text(f"UPDATE invoices SET {column} = {value}"))
    report = _report(store)
    assert not report.ok
    assert [(p.what, p.kind) for p in report.problems] == [("source_changed", "invoice")]
    assert _sync(store) == 0  # the forged row is not logged as the invoice's new version
    assert [(p.what, p.kind) for p in _report(store).problems] == [("source_changed", "invoice")]


def test_contract_terms_still_change_as_new_versions(store: Store) -> None:
    """Contract terms do change (`contract set`): those stay mutable, logged anew."""
    from clientguard.contracts.repo import set_terms

    set_terms(store, CLIENT, revision_limit=2)
    before = _report(store).records
    set_terms(store, CLIENT, revision_limit=3)
    report = _report(store)
    assert report.ok and report.pending == 0
    assert report.records == before + 1  # the new version, chained when it was set
    assert _sync(store) == 0
    assert _report(store).ok
