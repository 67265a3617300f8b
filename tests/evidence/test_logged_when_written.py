"""Contracts, terms, invoices and payments are chained when they are written.

They used to wait for `evidence sync` (or a dispute export): right after `make demo`,
`evidence verify` reported the case file's records as "not yet logged", and an invoice
edited in the database before the next sync was indistinguishable from one never
logged. The store's record hook (``store.hooks.DEFAULT_AFTER_RECORD``) now logs them in
the transaction that writes them, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE, cli
from evidence_sample import report as log_report
from sqlalchemy import text

from clientguard.contracts.repo import add_invoice, pay_invoice, set_terms
from clientguard.evidence.log import logged_refs, sync
from clientguard.evidence.verify import resolve_client
from clientguard.store import Store


def _kinds(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        refs = logged_refs(conn, resolve_client(conn, CLIENT), ["contract", "invoice", "payment"])
    return sorted(kind for kind, _ref in refs)


def test_each_write_is_on_the_log_at_once(store: Store) -> None:
    start = log_report(store).records
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09")
    assert _kinds(store) == ["invoice"]
    pay_invoice(store, CLIENT, "П-09", on="2025-09-20", amount=20000)
    set_terms(store, CLIENT, revision_limit=2)
    report = log_report(store)
    assert report.ok and report.pending == 0
    # the line (logging started, drawn by the first write), the invoice, the payment, the terms
    assert report.records == start + 4
    assert _kinds(store) == ["contract", "invoice", "payment"]
    with store.engine.begin() as conn:
        assert sync(conn, resolve_client(conn, CLIENT)) == 0


def test_an_invoice_edited_right_after_it_was_added_is_tampering(store: Store) -> None:
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09")
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE invoices SET amount = 4500"))
    assert [(p.what, p.kind) for p in log_report(store).problems] == [("source_changed", "invoice")]


def test_a_refused_write_logs_nothing(store: Store) -> None:
    """The record and its log entry share one transaction: an error keeps both out."""
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09")
    records = log_report(store).records
    with pytest.raises(Exception, match="already"):
        add_invoice(store, CLIENT, 100, due="2025-09-15", issued="2025-09-09", number="П-09")
    assert log_report(store).records == records


def test_cli_verify_has_nothing_pending_after_invoice_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok = cli(tmp_path, monkeypatch)
    ok("import", str(SAMPLE), "--client", CLIENT)
    ok("invoice", "add", CLIENT, "45000", "--issued", "2025-09-09", "--due", "2025-09-15")
    ok("invoice", "paid", CLIENT, "1", "--on", "2025-09-20", "--amount", "20000")
    ok("contract", "set", CLIENT, "--revision-limit", "2")
    verified = ok("evidence", "verify", CLIENT, "--lang", "en")
    assert verified.rstrip().endswith("— OK") and "pending" not in verified, verified
