"""Backward compatibility: logs written one record per message (before issue #7) still verify.

``legacy_store`` imports the sample with the hooks off and then writes what the old hook
wrote: one ``message`` record per message, no payload, the message's content hash and
its file's hash. A later import (chunk records) makes the log mixed; both kinds must
verify, sync, export and name tampering alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE, report
from sqlalchemy import Connection, text

from clientguard.evidence.export import collect
from clientguard.evidence.log import append, now_iso, sync
from clientguard.evidence.sources import current_messages
from clientguard.evidence.verify import resolve_client, verify_client
from clientguard.store import Store, hooks, open_store


def _write_legacy_records(conn: Connection, client_id: int) -> None:
    sources = dict(
        conn.execute(
            text("SELECT m.id, f.sha256 FROM messages m JOIN source_files f ON f.id = m.source_file_id")
        ).all()
    )
    created = now_iso()
    append(
        conn,
        client_id,
        [
            ("message", cur.ref, cur.payload, created, sources[int(cur.ref)])
            for cur in current_messages(conn, client_id)
        ],
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def legacy_store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Store]:
    url = (
        f"sqlite:///{tmp_path / 'legacy.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    with open_store(url) as st:
        with monkeypatch.context() as m:
            m.setattr(hooks, "DEFAULT_AFTER_IMPORT", ())
            m.setattr(hooks, "DEFAULT_AFTER_IMPORT_EVENTS", ())
            st.import_paths([SAMPLE], client=CLIENT)
        with st.engine.begin() as conn:
            _write_legacy_records(conn, resolve_client(conn, CLIENT))
        yield st


def sql(store: Store, statement: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement))


def _second_chat(path: Path) -> Path:
    """Three more messages of the same client, in another chat (another source file)."""
    messages = [
        {"id": i, "type": "message", "date_unixtime": str(1758000000 + 60 * i), "from": "Игорь",
         "from_id": "user2", "text": f"Ещё сообщение {i}", "text_entities": []}
        for i in (1, 2, 3)
    ]  # fmt: skip
    data = {"name": "Игорь (второй чат)", "type": "personal_chat", "id": 9191, "messages": messages}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_legacy_log_verifies_and_syncs_nothing(legacy_store: Store) -> None:
    r = report(legacy_store)
    assert r.ok and r.records == r.messages == 27
    with legacy_store.engine.begin() as conn:
        assert sync(conn, resolve_client(conn, CLIENT)) == 0


def test_legacy_tampering_is_named(legacy_store: Store) -> None:
    sql(legacy_store, "UPDATE messages SET text = 'x' WHERE id = 4")
    sql(legacy_store, "DELETE FROM evidence_records WHERE seq = 10")
    found = {(p.seq, p.what, p.ref) for p in report(legacy_store).problems}
    assert (4, "source_changed", "4") in found
    assert (11, "missing", "11") in found and (11, "broken_link", "11") in found
    assert (None, "unlogged", "10") in found


def test_mixed_log_verifies_exports_and_names_tampering(legacy_store: Store, tmp_path: Path) -> None:
    legacy_store.import_paths([_second_chat(tmp_path / "second.json")], client=CLIENT)
    with legacy_store.engine.connect() as conn:
        kinds = conn.execute(text("SELECT kind FROM evidence_records ORDER BY seq")).scalars().all()
    assert kinds == ["message"] * 27 + ["messages"]
    r = report(legacy_store)
    assert r.ok and r.records == 28 and r.messages == 30
    with legacy_store.engine.begin() as conn:
        cid = resolve_client(conn, CLIENT)
        assert sync(conn, cid) == 0
    with legacy_store.engine.connect() as conn:
        data = collect(conn, cid, verify_client(conn, cid))
        ids = conn.execute(text("SELECT id FROM messages ORDER BY id")).scalars().all()
    assert len(ids) == 30  # ids of the second import depend on the database's id allocation
    assert sorted(int(e.ref) for e in data.chronology if e.kind == "message") == ids
    sql(legacy_store, f"UPDATE messages SET text = 'x' WHERE id IN (5, {ids[-1]})")
    found = {(p.seq, p.what, p.ref) for p in report(legacy_store).problems}
    assert found == {(5, "source_changed", "5"), (28, "source_changed", str(ids[-1]))}


def test_sync_logs_hookless_messages_as_a_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages imported with no hook (before the log existed) are caught up as chunk records."""
    with open_store(f"sqlite:///{tmp_path / 'sync.sqlite3'}") as st:
        with monkeypatch.context() as m:
            m.setattr(hooks, "DEFAULT_AFTER_IMPORT", ())
            m.setattr(hooks, "DEFAULT_AFTER_IMPORT_EVENTS", ())
            st.import_paths([SAMPLE], client=CLIENT)
        assert {p.what for p in report(st).problems} == {"unlogged"}
        with st.engine.begin() as conn:
            cid = resolve_client(conn, CLIENT)
            assert sync(conn, cid) == 1
            assert sync(conn, cid) == 0
            kinds = conn.execute(text("SELECT kind FROM evidence_records")).scalars().all()
        assert kinds == ["messages"]
        r = report(st)
        assert r.ok and r.records == 1 and r.messages == 27


def test_a_legacy_log_hands_its_conversation_over(legacy_store: Store) -> None:
    """A move out of a one-record-per-message log: the move lists those records' seqs."""
    legacy_store.import_paths([SAMPLE], client="Другой клиент")
    with legacy_store.engine.connect() as conn:
        old = verify_client(conn, resolve_client(conn, CLIENT))
        new = verify_client(conn, resolve_client(conn, "Другой клиент"))
        listed = json.loads(
            conn.execute(text("SELECT payload FROM evidence_records WHERE kind = 'moved_in'")).scalar_one()
        )["messages"]
    assert old.ok and new.ok and (old.messages, new.messages) == (0, 27)
    assert [seq for _id, _hash, seq in listed] == list(range(1, 28))  # one legacy record each
    sql(legacy_store, "UPDATE messages SET text = 'x' WHERE id = 3")
    with legacy_store.engine.connect() as conn:
        new = verify_client(conn, resolve_client(conn, "Другой клиент"))
    assert [(p.what, p.ref) for p in new.problems] == [("source_changed", "3")]
