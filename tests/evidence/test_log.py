"""The evidence log over a real store: the import hook, notes, sync and every kind of tampering.

The import chains one ``messages`` record per chunk of messages (issue #7). Here chunks are
4 messages (``small_chunks``), so the sample's 27 messages make 7 records, seq 1 listing
messages 1..4, seq 2 messages 5..8, ..., seq 7 messages 25..27: enough records to tamper
with the chain between them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE, report
from sqlalchemy import Connection, text

from clientguard.errors import ConfigError, NotFoundError
from clientguard.evidence.chain import parse_listing
from clientguard.evidence.log import sync
from clientguard.evidence.notes import add_note, confirm_note, notes
from clientguard.evidence.verify import resolve_client, verify_client
from clientguard.store import Store
from clientguard.store.hooks import register_after_import, unregister_after_import

RECORDS = 7  # 27 sample messages in chunks of 4


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Autouse, so it is in place before the ``store`` fixture imports the sample."""
    from clientguard.store import importer

    monkeypatch.setattr(importer, "CHUNK", 4)


def sql(store: Store, statement: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement))


def count(conn: Connection, statement: str) -> int:
    return int(conn.execute(text(statement)).scalar_one())


def test_every_imported_message_is_chained(store: Store) -> None:
    r = report(store)
    with store.engine.connect() as conn:
        assert r.messages == count(conn, "SELECT count(*) FROM messages") == 27
        assert count(conn, "SELECT count(*) FROM evidence_records WHERE source_hash IS NULL") == 0
        rows = conn.execute(text("SELECT kind, ref, payload FROM evidence_records ORDER BY seq")).all()
    assert r.ok and r.records == r.head_seq == RECORDS and len(r.head_hash) == 64
    assert {k for k, _, _ in rows} == {"messages"}
    assert rows[0][1] == "1..4" and rows[-1][1] == "25..27"
    listed = [mid for _, _, payload in rows for mid, _ in parse_listing(payload)]
    assert listed == list(range(1, 28))  # every message once, in order


def test_one_record_per_import_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At the import's own chunk size the whole sample is one record."""
    from clientguard.store import importer, open_store

    monkeypatch.setattr(importer, "CHUNK", 5000)
    with open_store(f"sqlite:///{tmp_path / 'one.sqlite3'}") as st:
        st.import_paths([SAMPLE], client=CLIENT)
        r = report(st)
    assert r.ok and r.records == 1 and r.messages == 27


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
    assert (p.what, p.kind, p.ref, p.seq) == ("source_changed", "message", "4", 1)  # listed at seq 1


def test_message_deleted_from_the_store_is_named(store: Store) -> None:
    sql(store, "DELETE FROM messages WHERE id = 7")
    (p,) = report(store).problems
    assert (p.what, p.kind, p.ref, p.seq) == ("source_missing", "message", "7", 2)


def test_message_inserted_behind_the_log_is_named(store: Store) -> None:
    sql(
        store,
        "INSERT INTO messages (id, conversation_id, source_id, sender_key, role, text, attachment) "
        "VALUES (999, 1, 'fake', 'user5550002', 'client', 'Я всё оплатил', 'none')",
    )
    (p,) = report(store).problems
    assert (p.what, p.kind, p.ref) == ("unlogged", "message", "999")


def test_log_record_edited(store: Store) -> None:
    sql(store, "UPDATE evidence_records SET content_hash = 'ab' || substr(content_hash, 3) WHERE seq = 2")
    whats = {(p.seq, p.what) for p in report(store).problems}
    assert (2, "edited") in whats


def test_logged_payload_edited(store: Store) -> None:
    with store.engine.begin() as conn:
        add_note(conn, resolve_client(conn, CLIENT), "Созвон: посты по вторникам", "call")
    sql(store, "UPDATE evidence_records SET payload = replace(payload, 'вторникам', 'средам') WHERE seq = 8")
    whats = {(p.seq, p.what) for p in report(store).problems}
    assert (8, "edited") in whats


def test_listed_hash_edited_names_the_record_and_the_message(store: Store) -> None:
    """A message's hash changed inside a listing: the record is edited, the message no longer matches."""
    with store.engine.connect() as conn:
        payload = conn.execute(text("SELECT payload FROM evidence_records WHERE seq = 2")).scalar_one()
    listing = parse_listing(payload)
    mid, old = listing[1]
    sql(store, f"UPDATE evidence_records SET payload = replace(payload, '{old}', '{'0' * 64}') WHERE seq = 2")
    found = {(p.seq, p.what, p.kind, p.ref) for p in report(store).problems}
    assert (2, "edited", "messages", "5..8") in found
    assert (2, "source_changed", "message", str(mid)) in found


def test_message_dropped_from_a_listing_is_named(store: Store) -> None:
    """A listing rewritten without message 6 (hashes and all): the chain breaks, and 6 is unlogged."""
    import json

    from clientguard.evidence.chain import sha256_hex

    with store.engine.connect() as conn:
        payload = conn.execute(text("SELECT payload FROM evidence_records WHERE seq = 2")).scalar_one()
    forged = json.dumps([e for e in parse_listing(payload) if e[0] != 6], separators=(",", ":"))
    forged_hash = sha256_hex(forged)
    sql(
        store,
        f"UPDATE evidence_records SET payload = '{forged}', content_hash = '{forged_hash}' WHERE seq = 2",
    )
    found = {(p.seq, p.what, p.kind, p.ref) for p in report(store).problems}
    assert (2, "edited", "messages", "5..8") in found
    assert (None, "unlogged", "message", "6") in found


def test_unreadable_listing_is_reported(store: Store) -> None:
    sql(store, "UPDATE evidence_records SET payload = '{\"x\": 1}' WHERE seq = 3")
    problems = report(store).problems
    assert any(p.seq == 3 and p.what == "edited" and "unreadable" in p.detail for p in problems)
    assert {p.ref for p in problems if p.what == "unlogged"} == {"9", "10", "11", "12"}


def test_log_record_deleted_in_the_middle_and_at_the_end(store: Store) -> None:
    sql(store, "DELETE FROM evidence_records WHERE seq = 3")
    problems = report(store).problems
    assert {(p.seq, p.what) for p in problems} >= {(4, "missing"), (4, "broken_link")}
    # the messages that record listed are named too
    assert {p.ref for p in problems if p.what == "unlogged"} == {"9", "10", "11", "12"}
    sql(store, f"DELETE FROM evidence_records WHERE seq = {RECORDS}")
    problems = report(store).problems
    assert any(p.what == "head_mismatch" for p in problems)
    assert {p.ref for p in problems if p.what == "unlogged"} >= {"25", "26", "27"}


def test_log_record_inserted(store: Store) -> None:
    """A forged listing appended after the head (claiming an extra message) breaks the head."""
    sql(
        store,
        "INSERT INTO evidence_records (client_id, seq, kind, ref, payload, content_hash, created_at, "
        "source_hash, prev_hash, hash) SELECT client_id, seq + 1, kind, ref, payload, content_hash, "
        f"created_at, source_hash, hash, hash FROM evidence_records WHERE seq = {RECORDS}",
    )
    found = {(p.seq, p.what) for p in report(store).problems}
    assert (RECORDS + 1, "edited") in found and any(w == "head_mismatch" for _, w in found)


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
    assert r.ok and r.records == RECORDS + 3
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


def test_sync_logs_invoices_once_and_names_their_changes(store: Store) -> None:
    """No feature edits a stored invoice: a changed one is tampering, not a new version (QA6 CLI N1)."""
    repo = pytest.importorskip("clientguard.contracts.repo")
    repo.add_invoice(store, CLIENT, 45000, "2025-09-15", issued="2025-09-09", number="П-09")
    with store.engine.begin() as conn:
        cid = resolve_client(conn, CLIENT)
        assert sync(conn, cid) == 0  # chained when it was written
        conn.execute(text("UPDATE invoices SET amount = 40000"))
        assert sync(conn, cid) == 0  # the forged amount is not logged as the invoice's new version
    (p,) = report(store).problems
    assert (p.what, p.kind) == ("source_changed", "invoice")


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
            assert sorted(k for k, _ in kinds) == ["event", "event", "messages"]
            assert count(conn, "SELECT count(*) FROM evidence_records WHERE source_hash IS NULL") == 0
            assert sync(conn, cid) == 0  # nothing left for sync to catch up with
            r = verify_client(conn, cid)
        assert r.ok and r.records == 3 and r.messages == 2 and r.pending == 0
        st.import_paths([export], me=["user1"])  # re-import: nothing new, nothing chained
        with st.engine.connect() as conn:
            assert verify_client(conn, cid).head_seq == 3
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
    assert r.ok and r.records == r.head_seq == RECORDS and r.messages == 27


def test_chunk_spanning_source_files_is_split_per_file(store: Store) -> None:
    """Each record carries one file's hash: a chunk from two files makes one record per run."""
    from clientguard.evidence.log import after_import
    from clientguard.store.records import NewMessage

    with store.engine.begin() as conn:
        cid = resolve_client(conn, CLIENT)
        fid, sha = conn.execute(text("SELECT id, sha256 FROM source_files")).one()
        rows = [
            NewMessage(
                mid,
                1,
                str(mid),
                "u",
                None,
                None,
                "client",
                None,
                "t",
                None,
                None,
                None,
                None,
                "none",
                None,
                sfid,
                1,
            )
            for mid, sfid in ((101, fid), (102, fid), (103, None), (104, fid))
        ]
        after_import(conn, cid, rows)
        written = conn.execute(
            text(f"SELECT ref, source_hash, payload FROM evidence_records WHERE seq > {RECORDS} ORDER BY seq")
        ).all()
    assert [(ref, source) for ref, source, _ in written] == [
        ("101..102", sha),
        ("103..103", None),
        ("104..104", sha),
    ]
    assert [mid for *_, payload in written for mid, _ in parse_listing(payload)] == [101, 102, 103, 104]
