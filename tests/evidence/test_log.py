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


def _export_with_events(path: Path) -> Path:
    """A Telegram single-chat export: messages with service events (a call, a pin) among them."""
    import json

    messages = [
        {"id": 1, "type": "message", "date_unixtime": "1756713600", "from": "Игорь", "from_id": "user2",
         "text": "Добрый день!", "text_entities": [{"type": "plain", "text": "Добрый день!"}]},
        {"id": 2, "type": "service", "date_unixtime": "1756713660", "actor": "Игорь", "actor_id": "user2",
         "action": "phone_call", "duration_seconds": 120, "text": "", "text_entities": []},
        {"id": 3, "type": "message", "date_unixtime": "1756713720", "from": "Анна", "from_id": "user1",
         "text": "Созвонились, всё понял.", "text_entities": []},
        {"id": 4, "type": "service", "date_unixtime": "1756713780", "actor": "Анна", "actor_id": "user1",
         "action": "pin_message", "message_id": 3, "text": "", "text_entities": []},
    ]  # fmt: skip
    data = {"name": "Игорь", "type": "personal_chat", "id": 4242, "messages": messages}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("pipeline", [False, True])
def test_import_chains_events_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pipeline: bool) -> None:
    """Issue #7: service events are chained by the import itself, not left to a later sync."""
    from clientguard.store import importer, open_store

    monkeypatch.setattr(importer, "PIPELINE", pipeline)
    export = _export_with_events(tmp_path / "result.json")
    with open_store(f"sqlite:///{tmp_path / 'ev.sqlite3'}") as st:
        st.import_paths([export], me=["user1"])
        with st.engine.begin() as conn:
            cid = resolve_client(conn, "Игорь")
            kinds = conn.execute(text("SELECT kind, ref FROM evidence_records ORDER BY seq")).all()
            assert sorted(k for k, _ in kinds) == ["event", "event", "message", "message"]
            assert count(conn, "SELECT count(*) FROM evidence_records WHERE source_hash IS NULL") == 0
            assert sync(conn, cid) == 0  # nothing left for sync to catch up with
            r = verify_client(conn, cid)
        assert r.ok and r.records == 4 and r.pending == 0
        st.import_paths([export], me=["user1"])  # re-import: nothing new, nothing chained
        with st.engine.connect() as conn:
            assert verify_client(conn, cid).head_seq == 4
        sql(st, "UPDATE events SET details = '{\"duration_seconds\": \"5\"}' WHERE source_id = '2'")
        with st.engine.connect() as conn:
            assert verify_client(conn, cid).pending == 1  # events may lag (not strict), but it shows


def test_pipelined_import_chains_every_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the writer thread the hook runs there, chunk by chunk; the chain is the same shape."""
    from clientguard.store import importer, open_store

    monkeypatch.setattr(importer, "PIPELINE", True)
    monkeypatch.setattr(importer, "CHUNK", 4)
    with open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}") as st:
        st.import_paths([SAMPLE], client=CLIENT)
        r = report(st)
    assert r.ok and r.records == 27 and r.head_seq == 27
