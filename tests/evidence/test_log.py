"""The evidence log over a real store: the import hook, notes, sync and every kind of tampering."""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE
from sqlalchemy import Connection, text

from clientguard.errors import ConfigError, NotFoundError
from clientguard.evidence.log import sync
from clientguard.evidence.notes import add_note, confirm_note, notes
from clientguard.evidence.verify import VerifyReport, resolve_client, verify_client
from clientguard.store import Store
from clientguard.store.hooks import register_after_import, unregister_after_import


def report(store: Store) -> VerifyReport:
    with store.engine.connect() as conn:
        return verify_client(conn, resolve_client(conn, CLIENT))


def sql(store: Store, statement: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement))


def count(conn: Connection, statement: str) -> int:
    return int(conn.execute(text(statement)).scalar_one())


def test_every_imported_message_is_chained(store: Store) -> None:
    r = report(store)
    with store.engine.connect() as conn:
        assert r.records == count(conn, "SELECT count(*) FROM messages") == 27
        assert count(conn, "SELECT count(*) FROM evidence_records WHERE source_hash IS NULL") == 0
    assert r.ok and r.head_seq == 27 and len(r.head_hash) == 64


def test_reimport_adds_nothing(store: Store) -> None:
    head = report(store).head_hash
    store.import_paths([SAMPLE], client=CLIENT)
    assert report(store).head_hash == head


def test_records_roll_back_with_a_failed_import(tmp_path: Path) -> None:
    from clientguard.store import open_store

    def boom(conn: Connection, client_id: int, rows: object) -> None:
        raise RuntimeError("hook failed")

    register_after_import(boom)
    try:
        with open_store(f"sqlite:///{tmp_path / 'x.sqlite3'}") as st:
            with pytest.raises(RuntimeError):
                st.import_paths([SAMPLE], client=CLIENT)
            with st.engine.connect() as conn:
                assert count(conn, "SELECT count(*) FROM evidence_records") == 0
                assert count(conn, "SELECT count(*) FROM messages") == 0
    finally:
        unregister_after_import(boom)


def test_message_edited_in_the_store_is_named(store: Store) -> None:
    sql(store, "UPDATE messages SET text = 'Всё отлично, спасибо!' WHERE id = 4")
    (p,) = report(store).problems
    assert (p.what, p.kind, p.ref, p.seq) == ("source_changed", "message", "4", 4)


def test_message_deleted_from_the_store_is_named(store: Store) -> None:
    sql(store, "DELETE FROM messages WHERE id = 7")
    (p,) = report(store).problems
    assert (p.what, p.ref) == ("source_missing", "7")


def test_message_inserted_behind_the_log_is_named(store: Store) -> None:
    sql(
        store,
        "INSERT INTO messages (id, conversation_id, source_id, sender_key, role, text, attachment) "
        "VALUES (999, 1, 'fake', 'user5550002', 'client', 'Я всё оплатил', 'none')",
    )
    (p,) = report(store).problems
    assert (p.what, p.ref) == ("unlogged", "999")


def test_log_record_edited(store: Store) -> None:
    sql(store, "UPDATE evidence_records SET content_hash = 'ab' || substr(content_hash, 3) WHERE seq = 2")
    whats = {(p.seq, p.what) for p in report(store).problems}
    assert (2, "edited") in whats


def test_logged_payload_edited(store: Store) -> None:
    with store.engine.begin() as conn:
        add_note(conn, resolve_client(conn, CLIENT), "Созвон: посты по вторникам", "call")
    sql(store, "UPDATE evidence_records SET payload = replace(payload, 'вторникам', 'средам') WHERE seq = 28")
    whats = {(p.seq, p.what) for p in report(store).problems}
    assert (28, "edited") in whats


def test_log_record_deleted_in_the_middle_and_at_the_end(store: Store) -> None:
    sql(store, "DELETE FROM evidence_records WHERE seq = 10")
    assert {(p.seq, p.what) for p in report(store).problems} >= {(11, "missing"), (11, "broken_link")}
    sql(store, "DELETE FROM evidence_records WHERE seq = 27")
    assert any(p.what == "head_mismatch" for p in report(store).problems)


def test_two_log_records_reordered(store: Store) -> None:
    sql(store, "UPDATE evidence_records SET seq = -1 WHERE seq = 3")
    sql(store, "UPDATE evidence_records SET seq = 3 WHERE seq = 5")
    sql(store, "UPDATE evidence_records SET seq = 5 WHERE seq = -1")
    seqs = {p.seq for p in report(store).problems if p.what in ("edited", "broken_link")}
    assert {3, 5} <= seqs


def test_chain_only_mode_skips_the_store(store: Store) -> None:
    sql(store, "UPDATE messages SET text = 'x' WHERE id = 4")
    with store.engine.connect() as conn:
        assert verify_client(conn, resolve_client(conn, CLIENT), cross_check=False).ok


def test_notes_and_confirmations_are_chained(store: Store) -> None:
    with store.engine.begin() as conn:
        cid = resolve_client(conn, CLIENT)
        note = add_note(conn, cid, "Созвон: посты по вторникам и пятницам", "call")
        confirm_note(conn, cid, note.id, text="Да, подтверждаю")
        confirm_note(conn, cid, note.id, message_id=2)
        (listed,) = notes(conn, cid)
    assert len(listed.confirmations) == 2
    r = report(store)
    assert r.ok and r.records == 30
    sql(store, "UPDATE evidence_notes SET text = 'Созвон: посты каждый день'")
    (p,) = report(store).problems
    assert (p.what, p.kind) == ("source_changed", "note")


def test_note_guards(store: Store) -> None:
    with store.engine.begin() as conn:
        cid = resolve_client(conn, CLIENT)
        with pytest.raises(ConfigError):
            add_note(conn, cid, "x", "lunch")
        with pytest.raises(ConfigError):
            add_note(conn, cid, "  ")
        with pytest.raises(NotFoundError):
            confirm_note(conn, cid, 42, text="ok")
        note = add_note(conn, cid, "y")
        with pytest.raises(ConfigError):
            confirm_note(conn, cid, note.id)
        with pytest.raises(NotFoundError):
            confirm_note(conn, cid, note.id, message_id=10_000)


def test_sync_logs_invoices_once_and_their_changes(store: Store) -> None:
    repo = pytest.importorskip("clientguard.contracts.repo")
    repo.add_invoice(store, CLIENT, 45000, "2025-09-15", issued="2025-09-09", number="П-09")
    with store.engine.begin() as conn:
        cid = resolve_client(conn, CLIENT)
        assert sync(conn, cid) == 1
        assert sync(conn, cid) == 0
        conn.execute(text("UPDATE invoices SET amount = 40000"))
        assert sync(conn, cid) == 1  # a new version, the old one stays in the chain
    assert report(store).ok
