"""Rows inserted behind the log with an id at or below the client's line are named too.

The ``logging_started`` line (``clientguard.evidence.baseline``) held only the highest id
of each table, so an invoice or payment INSERTed with an explicit low id, a free id below
the line, or an id SQLite handed out again after the row holding it was deleted, read as
"not yet logged" and the next ``evidence sync`` or dispute export logged the forgery as
if clientguard had written it. The line now also lists the client's rows that were not
on the log when it was drawn, the only ones that may stay pending; an older line, which
lists nothing, keeps its reading.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE, cli, sync_client
from evidence_sample import report as log_report
from sqlalchemy import Connection, create_engine, func, insert, select, text

from clientguard.contracts.repo import add_invoice, pay_invoice, set_terms
from clientguard.evidence import baseline
from clientguard.evidence.chain import canonical_json
from clientguard.evidence.dispute import prepare
from clientguard.evidence.log import EditedBehindLogError
from clientguard.evidence.verify import VerifyReport, resolve_client, verify_client
from clientguard.store import Store, lifecycle, open_store
from clientguard.store.models_contracts import InvoicePaymentRow, InvoiceRow
from clientguard.store.models_evidence import EvidenceRecordRow

OTHER = "Студия «Другая»"
GONE = "Ушедший клиент"  # a client forgotten (`clients forget`): its ids are free below the line

ISSUED, DUE = "2025-09-09", "2025-09-15"
NOW = datetime(2025, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")


def _id(conn: Connection, name: str) -> int:
    return resolve_client(conn, name)


def _report(store: Store, name: str) -> VerifyReport:
    with store.engine.connect() as conn:
        return verify_client(conn, _id(conn, name))


def _problems(store: Store, name: str = CLIENT) -> list[tuple[str, str | None, str | None]]:
    return [(p.what, p.kind, p.ref) for p in _report(store, name).problems]


def _sync(store: Store, name: str) -> int:
    from clientguard.evidence.log import sync

    with store.engine.begin() as conn:
        return sync(conn, _id(conn, name))


def _logged(store: Store, ref: str, name: str = CLIENT) -> int:
    """How many records of the client's chain name ``ref``."""
    with store.engine.connect() as conn:
        query = select(func.count()).where(
            EvidenceRecordRow.client_id == _id(conn, name), EvidenceRecordRow.ref == ref
        )
        return int(conn.execute(query.select_from(EvidenceRecordRow)).scalar_one())


def _line_payload(store: Store, name: str) -> str:
    with store.engine.connect() as conn:
        query = select(EvidenceRecordRow.payload).where(
            EvidenceRecordRow.client_id == _id(conn, name), EvidenceRecordRow.kind == baseline.KIND
        )
        return str(conn.execute(query).scalar_one())


def _invoice_id(store: Store, number: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(InvoiceRow.id).where(InvoiceRow.number == number)).scalar_one())


def _forge_invoice(store: Store, name: str, row_id: int | None) -> str:
    """An invoice INSERTed behind clientguard (with an explicit id unless None); its ref."""
    values = {
        "number": "ПОДЛОГ",
        "amount": 90000,
        "currency": "RUB",
        "issued": ISSUED,
        "due": DUE,
        "created_at": NOW,
    }
    with store.engine.begin() as conn:
        values["client_id"] = _id(conn, name)
        if row_id is not None:
            values["id"] = row_id
        new = conn.execute(insert(InvoiceRow).values(**values)).inserted_primary_key
    assert new is not None
    return f"invoices:{new[0]}"


def _forge_payment(store: Store, invoice_id: int, row_id: int) -> str:
    with store.engine.begin() as conn:
        conn.execute(
            insert(InvoicePaymentRow).values(
                id=row_id, invoice_id=invoice_id, amount=44000, paid_on="2025-09-12"
            )
        )
    return f"invoice_payments:{row_id}"


def _gone_client_freed_the_low_ids(store: Store) -> None:
    """Invoice 1 and payment 1 were another client's, forgotten once the client's line was
    drawn (by its invoice 2): both ids are free and at or below the line."""
    add_invoice(store, GONE, 1000, due=DUE, issued=ISSUED, number="У-01")
    pay_invoice(store, GONE, "У-01", on="2025-09-10", amount=500)
    add_invoice(store, CLIENT, 45000, due=DUE, issued=ISSUED, number="П-09")  # draws the line
    pay_invoice(store, CLIENT, "П-09", on="2025-09-10", amount=1000)
    lifecycle.forget(store, GONE, "relationship ended")
    assert _invoice_id(store, "П-09") == 2
    assert log_report(store).ok


@pytest.mark.parametrize("what", ["invoice", "payment"])
def test_a_low_id_row_inserted_behind_the_log_is_named_and_never_logged(store: Store, what: str) -> None:
    _gone_client_freed_the_low_ids(store)
    if what == "invoice":
        ref = _forge_invoice(store, CLIENT, 1)
    else:
        ref = _forge_payment(store, _invoice_id(store, "П-09"), 1)
    assert ref.endswith(":1")
    report = log_report(store)
    assert not report.ok and report.pending == 0
    assert _problems(store) == [("inserted", what, ref)]
    assert sync_client(store) == 0  # never laundered into the log by the sync ...
    if what == "payment":  # ... nor by a payment that would count it as paid
        with pytest.raises(EditedBehindLogError):
            pay_invoice(store, CLIENT, "П-09", on="2025-09-20")
    add_invoice(store, CLIENT, 1000, due="2025-10-15", issued="2025-10-01", number="П-10")
    with store.engine.connect() as conn:
        cid = _id(conn, CLIENT)
    data = prepare(store.engine, cid)  # ... nor by a later write or a dispute export
    assert not data.verified
    assert _problems(store) == [("inserted", what, ref)]
    assert _logged(store, ref) == 0


def test_an_id_sqlite_hands_out_again_is_inserted(tmp_path: Path) -> None:
    """SQLite gives a new row the highest id + 1: once the rows above were deleted, a row
    inserted behind the tool without any id of its own falls below the client's line."""
    with open_store(f"sqlite:///{tmp_path / 'cg.sqlite3'}") as store:
        store.import_paths([SAMPLE], client=CLIENT)
        add_invoice(store, GONE, 1000, due=DUE, issued=ISSUED, number="У-01")
        add_invoice(store, GONE, 2000, due=DUE, issued=ISSUED, number="У-02")
        set_terms(store, CLIENT, price=50000)  # the line: invoices up to 2
        lifecycle.forget(store, GONE, "relationship ended")  # invoices is empty again
        ref = _forge_invoice(store, CLIENT, None)
        assert ref == "invoices:1"
        assert _problems(store) == [("inserted", "invoice", ref)]
        assert sync_client(store) == 0


def test_rows_from_before_the_line_stay_pending_and_sync_logs_them_not_the_forgery(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:  # an older clientguard: no record hook
        m.setattr("clientguard.store.hooks.DEFAULT_AFTER_RECORD", ())
        add_invoice(store, GONE, 1000, due=DUE, issued=ISSUED, number="У-01")  # invoice 1
        add_invoice(store, CLIENT, 45000, due=DUE, issued=ISSUED, number="П-08")  # invoice 2
        pay_invoice(store, CLIENT, "П-08", on="2025-09-10", amount=5000)
        lifecycle.forget(store, GONE, "relationship ended")
    add_invoice(store, CLIENT, 45000, due=DUE, issued=ISSUED, number="П-09")  # the line
    before = log_report(store)
    assert before.ok and before.pending == 2  # П-08 and its payment, written by the older one
    ref = _forge_invoice(store, CLIENT, 1)
    report = log_report(store)
    assert report.pending == 2
    assert _problems(store) == [("inserted", "invoice", ref)]
    assert sync_client(store) == 2 and sync_client(store) == 0  # П-08 and its payment only
    after = log_report(store)
    assert after.pending == 0 and _problems(store) == [("inserted", "invoice", ref)]
    assert _logged(store, f"invoices:{_invoice_id(store, 'П-08')}") == 1 and _logged(store, ref) == 0


def test_a_merge_brings_unlisted_rows_over_logged_and_a_low_id_forgery_is_still_named(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows of the client merged in are below the line of the client they join, and its
    line does not list them: the merge logs each of them there, so none reads inserted."""
    with monkeypatch.context() as m:
        m.setattr("clientguard.store.hooks.DEFAULT_AFTER_RECORD", ())
        add_invoice(store, OTHER, 1000, due=DUE, issued=ISSUED, number="Д-01")  # invoice 1, pending
        pay_invoice(store, OTHER, "Д-01", on="2025-09-10", amount=500)  # payment 1, pending
        add_invoice(store, GONE, 1000, due=DUE, issued=ISSUED, number="У-01")  # invoice 2
    add_invoice(store, CLIENT, 45000, due=DUE, issued=ISSUED, number="П-09")  # its line: up to 3
    add_invoice(store, OTHER, 2000, due=DUE, issued=ISSUED, number="Д-02")  # OTHER's line lists 1
    lifecycle.forget(store, GONE, "relationship ended")
    assert _report(store, OTHER).ok and _report(store, OTHER).pending == 2
    lifecycle.merge(store, OTHER, CLIENT)
    merged = log_report(store)
    assert merged.ok and merged.pending == 0, merged.problems
    ref = _forge_invoice(store, CLIENT, 2)
    assert _problems(store) == [("inserted", "invoice", ref)]
    assert sync_client(store) == 0


def _old_snapshot(conn: Connection, *_unlogged: object) -> str:
    """The payload a line had before lines listed their pending rows: the highest ids only."""
    tops = {name: conn.execute(text(f"SELECT MAX(id) FROM {name}")).scalar() for name in baseline.TABLES}
    return canonical_json({name: int(top or 0) for name, top in tops.items()})


def test_a_line_of_an_older_clientguard_keeps_its_reading_beside_a_new_one(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One database, two lines: the client whose line an older clientguard drew (highest ids
    only) verifies OK and keeps a row below it pending, as it always did; the client whose
    line lists its rows has the same forgery named."""
    add_invoice(store, GONE, 1000, due=DUE, issued=ISSUED, number="У-01")  # invoice 1
    add_invoice(store, GONE, 1000, due=DUE, issued=ISSUED, number="У-02")  # invoice 2
    with monkeypatch.context() as m:
        m.setattr(baseline, "snapshot", _old_snapshot)
        add_invoice(store, CLIENT, 45000, due=DUE, issued=ISSUED, number="П-09")  # older line: up to 3
    add_invoice(store, OTHER, 45000, due=DUE, issued=ISSUED, number="Д-01")  # new line: up to 4
    older = json.loads(_line_payload(store, CLIENT))
    assert older["invoices"] == 3 and all(key in baseline.TABLES for key in older)
    lifecycle.forget(store, GONE, "relationship ended")
    old_ref, new_ref = _forge_invoice(store, CLIENT, 1), _forge_invoice(store, OTHER, 2)
    old = log_report(store)
    assert old.ok and old.pending == 1  # the older line's limit, unchanged
    assert _problems(store, OTHER) == [("inserted", "invoice", new_ref)]
    assert _sync(store, OTHER) == 0
    assert sync_client(store) == 1 and _logged(store, old_ref) == 1


@pytest.mark.parametrize(
    ("payload", "inserted"),
    [
        (
            '{"invoices":5,"pending":2,"invoices:2":3}',
            {"invoices:1", "invoices:4", "invoices:5", "invoices:6"},
        ),
        ('{"invoices":5}', {"invoices:6"}),  # an older line: at or below it, pending
        ('{"invoices":5,"pending":0}', {f"invoices:{i}" for i in range(1, 7)}),
        ('{"invoices":5,"pending":3,"invoices:2":3}', set()),  # says 3, lists 2: unreadable, no ids
        ('{"invoices":5,"pending":1,"invoices:x":3}', set()),
        ('{"invoices":5,"pending":2,"invoices:3":2}', set()),
        ('{"invoices":5,"pending":3,"invoices:1":2,"invoices:2":2}', set()),  # overlapping runs
        ('["invoices",5]', set()),
    ],
)
def test_what_a_line_lets_stay_pending(payload: str, inserted: set[str]) -> None:
    """Runs ``table:first`` → last list what may stay pending; a line without ``pending`` is an
    older one; a payload that does not add up reads as no ids (verify names it as edited)."""
    line = baseline.line(7, payload)
    refs = {f"invoices:{i}" for i in range(1, 7)}
    assert {ref for ref in refs if line.unlogged_is_inserted(ref, None)} == inserted


def test_a_line_lists_the_runs_of_the_clients_unlogged_rows(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Consecutive ids are one run; the rows that go on the log with the line are not listed."""
    with monkeypatch.context() as m:
        m.setattr("clientguard.store.hooks.DEFAULT_AFTER_RECORD", ())
        for n in (1, 2, 3):
            add_invoice(store, CLIENT, 1000, due=DUE, issued=ISSUED, number=f"П-0{n}")
        add_invoice(store, OTHER, 1000, due=DUE, issued=ISSUED, number="Д-01")
        add_invoice(store, CLIENT, 1000, due=DUE, issued=ISSUED, number="П-05")
    add_invoice(store, CLIENT, 1000, due=DUE, issued=ISSUED, number="П-06")
    payload = _line_payload(store, CLIENT)
    data = json.loads(payload)
    runs = {k: v for k, v in data.items() if ":" in k}
    assert runs == {"invoices:1": 3, "invoices:5": 5} and data[baseline.PENDING] == 4
    assert data["invoices"] == 6
    assert log_report(store).pending == 4


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ru", ["ЦЕЛОСТНОСТЬ НАРУШЕНА", "оплата invoice_payments:1", "вставлено в базу в обход clientguard"]),
     ("en", ["TAMPERED", "payment invoice_payments:1", "inserted in the store after logging began"])],
)  # fmt: skip
def test_cli_verify_names_a_low_id_payment_and_sync_leaves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, words: list[str]
) -> None:
    from typer.testing import CliRunner

    from clientguard.cli import build_app

    ok = cli(tmp_path, monkeypatch)
    ok("import", str(SAMPLE), "--client", CLIENT)
    ok("invoice", "add", GONE, "1000", "--due", DUE, "--issued", ISSUED, "--id", "У-01", "--create-client")
    ok("invoice", "paid", GONE, "У-01", "--on", "2025-09-10")
    ok("invoice", "add", CLIENT, "45000", "--due", DUE, "--issued", ISSUED, "--id", "П-09")
    ok("invoice", "paid", CLIENT, "П-09", "--on", "2025-09-10", "--amount", "1000")
    ok("clients", "forget", GONE, "--reason", "relationship ended", "--yes")
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.begin() as conn:
        invoice_id = conn.execute(select(InvoiceRow.id).where(InvoiceRow.number == "П-09")).scalar_one()
        conn.execute(
            insert(InvoicePaymentRow).values(id=1, invoice_id=invoice_id, amount=44000, paid_on=ISSUED)
        )
    engine.dispose()
    ok("evidence", "sync", CLIENT)
    result = CliRunner().invoke(build_app(), ["evidence", "verify", CLIENT, "--lang", lang])
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output, result.output
