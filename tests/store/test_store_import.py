"""The import pipeline on SQLite and PostgreSQL: atomicity, idempotency, roles, clients."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from _fakes import fake_reader, msgs, write_export
from sqlalchemy import Connection, func, select

from clientguard.domain import Role
from clientguard.errors import MalformedRecordError
from clientguard.store import ImportProgress, NewEvent, NewMessage, Store, importer
from clientguard.store.hooks import (
    register_after_import,
    register_after_import_events,
    unregister_after_import,
    unregister_after_import_events,
)
from clientguard.store.models import ClientRow, EventRow, ImportRow, MessageRow, SourceFileRow


def count(store: Store, column: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count(column))).scalar_one())  # type: ignore[arg-type]


def run(store: Store, *paths: Path, **kwargs: object) -> dict[str, object]:
    summary = store.import_paths(list(paths), reader=fake_reader, **kwargs)  # type: ignore[arg-type]
    return summary.to_json()


def test_import_assigns_roles_contacts_and_client(store: Store, tmp_path: Path) -> None:
    export = write_export(
        tmp_path / "a.json", [*msgs(0, 10), ["e", "ev1", "pin_message", "2025-09-01T10:00:00+00:00"]]
    )
    assert run(store, export, me=["user1"]) == {
        "conversations": 1,
        "messages_added": 10,
        "messages_existing": 0,
        "events_added": 1,
        "skipped": [],
    }
    [client] = store.clients()
    assert (client.name, client.messages, client.conversations) == ("Игорь", 10, 1)
    stored = store.messages("Игорь")
    assert [s.message.source_id for s in stored] == [str(i) for i in range(10)]
    assert {s.message.sender.source_id: s.message.role for s in stored} == {
        "user2": Role.CLIENT,
        "user1": Role.SPECIALIST,
    }
    # 10:00+03:00 in the export is the same instant, read back as aware UTC on both databases
    assert stored[0].message.timestamp == datetime(2025, 9, 1, 7, 0, tzinfo=UTC)
    assert stored[0].message.timestamp.tzinfo is UTC
    [contact] = store.contacts("игорь")  # case-insensitive lookup, Cyrillic included
    assert contact.name == "Игорь" and [(i.platform, i.value) for i in contact.identities] == [
        ("telegram", "user2")
    ]
    assert [c.source_key for c in store.conversations("Игорь")] == ["tg:1"]
    assert [(i.platform, i.value) for i in store.me()] == [("", "user1")]


def test_reimport_same_file_adds_nothing(store: Store, tmp_path: Path) -> None:
    export = write_export(tmp_path / "a.json", msgs(0, 20))
    run(store, export, me=["user1"])
    again = run(store, export)  # --me is remembered
    assert again["messages_added"] == 0 and again["messages_existing"] == 20
    assert count(store, MessageRow.id) == 20
    assert count(store, SourceFileRow.id) == 1
    assert {s.message.role for s in store.messages("Игорь") if s.message.sender.source_id == "user1"} == {
        Role.SPECIALIST
    }


def test_overlapping_later_export_adds_only_new(store: Store, tmp_path: Path) -> None:
    run(store, write_export(tmp_path / "jan.json", msgs(0, 30)), me=["user1"])
    later = run(store, write_export(tmp_path / "feb.json", msgs(20, 50)))
    assert (later["messages_added"], later["messages_existing"]) == (20, 10)
    assert [s.message.source_id for s in store.messages("Игорь")] == [str(i) for i in range(50)]


def test_overlapping_files_in_one_run(store: Store, tmp_path: Path) -> None:
    a = write_export(tmp_path / "a.json", msgs(0, 10))
    b = write_export(tmp_path / "b.json", msgs(5, 15))
    summary = run(store, a, b)
    assert (summary["messages_added"], summary["messages_existing"], summary["conversations"]) == (15, 5, 1)


def test_bad_record_rolls_back_the_whole_run(store: Store, tmp_path: Path) -> None:
    good = write_export(tmp_path / "good.json", msgs(0, 10), key="tg:good")
    bad = write_export(tmp_path / "bad.json", [*msgs(0, 8), "BAD", *msgs(8, 12)], key="tg:bad")
    with pytest.raises(MalformedRecordError) as err:
        run(store, good, bad)
    assert str(err.value).endswith(f"{bad}:items[8]: expected a message, got BAD")
    assert count(store, MessageRow.id) == 0
    assert count(store, ClientRow.id) == 0
    assert count(store, ImportRow.id) == 0  # even the audit row is gone: all or nothing
    assert store.me() == []


def test_skip_bad_imports_the_rest_and_lists_skipped(store: Store, tmp_path: Path) -> None:
    bad = write_export(tmp_path / "bad.json", [*msgs(0, 8), "BAD", *msgs(8, 12), "BAD"])
    summary = run(store, bad, skip_bad=True)
    assert summary["messages_added"] == 12
    assert summary["skipped"] == [
        {"file": str(bad), "where": "items[8]", "error": "expected a message, got BAD"},
        {"file": str(bad), "where": "items[13]", "error": "expected a message, got BAD"},
    ]
    with store.engine.connect() as conn:
        assert conn.execute(select(ImportRow.skipped)).scalar_one() == 2


def test_roles_from_owner_and_contact_marked_other(store: Store, tmp_path: Path) -> None:
    # A full-account export names its owner: no --me needed.
    export = write_export(
        tmp_path / "a.json",
        [*msgs(0, 4), ["m", "99", "user7", "Бухгалтер", "2025-09-02T10:00:00+00:00", "счёт"]],
        owner=["user1", "Анна"],
    )
    run(store, export)
    roles = {s.message.sender.source_id: s.message.role for s in store.messages("Игорь")}
    assert roles == {"user1": Role.SPECIALIST, "user2": Role.CLIENT, "user7": Role.CLIENT}
    store.set_contact_role("telegram", "user7", "other")
    later = write_export(
        tmp_path / "b.json", [["m", "100", "user7", "Бухгалтер", "2025-09-03T10:00:00+00:00", "ещё"]]
    )
    run(store, later)
    assert {s.message.role for s in store.messages("Игорь") if s.message.sender.source_id == "user7"} == {
        Role.OTHER
    }


def test_me_add_later_reassigns_stored_messages(store: Store, tmp_path: Path) -> None:
    run(store, write_export(tmp_path / "a.json", msgs(0, 6)), client="ООО Ромашка")
    assert {s.message.role for s in store.messages("ООО Ромашка")} == {Role.CLIENT}
    assert store.add_me("анна")  # by display name, case-insensitive, Cyrillic
    assert not store.add_me("анна")
    roles = {s.message.sender.source_id: s.message.role for s in store.messages("ООО Ромашка")}
    assert roles == {"user1": Role.SPECIALIST, "user2": Role.CLIENT}
    assert [c.name for c in store.contacts("ООО Ромашка")] == ["Игорь"]  # Анна is no longer a contact


def test_group_chat_client_is_first_sender_who_is_not_me(store: Store, tmp_path: Path) -> None:
    items = [*msgs(1, 2), *msgs(2, 3, client=("user9", "Мария")), *msgs(4, 5)]
    run(
        store,
        write_export(
            tmp_path / "g.json", items, key="tg:g", title="SMM × Ромашка", chat_type="private_group"
        ),
        me=["user1"],
    )
    assert [c.name for c in store.clients()] == ["Мария"]


def test_client_option_names_the_client(store: Store, tmp_path: Path) -> None:
    run(store, write_export(tmp_path / "a.json", msgs(0, 4)), client="Ромашка")
    assert [c.name for c in store.clients()] == ["Ромашка"]
    assert len(store.client("Ромашка").contacts) == 2  # no --me: both senders are the client's people


def test_since_filters_by_local_date(store: Store, tmp_path: Path) -> None:
    items = [
        ["m", "1", "user2", "И", "2025-08-31T20:59:00+00:00", "old"],  # 23:59 MSK, Aug 31
        ["m", "2", "user2", "И", "2025-08-31T21:00:00+00:00", "new"],
    ]  # 00:00 MSK, Sep 1
    run(store, write_export(tmp_path / "a.json", items))
    assert [s.message.text for s in store.messages("Игорь", since=date(2025, 9, 1))] == ["new"]


def test_chunks_hooks_and_ids(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "CHUNK", 7)
    calls: list[tuple[int, list[NewMessage]]] = []

    def hook(conn: Connection, client_id: int, rows: Sequence[NewMessage]) -> None:
        # Inside the transaction: the chunk is already visible on this connection.
        ids = [r.id for r in rows]
        assert conn.execute(
            select(func.count(MessageRow.id)).where(MessageRow.id.in_(ids))
        ).scalar_one() == len(ids)
        calls.append((client_id, list(rows)))

    register_after_import(hook)
    try:
        run(store, write_export(tmp_path / "a.json", msgs(0, 30)), me=["user1"])
        run(store, write_export(tmp_path / "b.json", msgs(25, 40)))
    finally:
        unregister_after_import(hook)
    assert [len(rows) for _, rows in calls] == [7, 7, 7, 7, 2, 7, 3]
    new_ids = [r.id for _, rows in calls for r in rows]
    stored = {s.message.source_id: s.id for s in store.messages("Игорь")}
    assert sorted(new_ids) == sorted(stored.values()) and len(set(new_ids)) == 40
    assert {client_id for client_id, _ in calls} == {store.clients()[0].id}
    assert all(r.ts_utc is not None and r.ts_utc.utcoffset() is not None for _, rows in calls for r in rows)


def test_failing_hook_rolls_back(store: Store, tmp_path: Path) -> None:
    def hook(conn: Connection, client_id: int, rows: Sequence[NewMessage]) -> None:
        raise RuntimeError("evidence log refused")

    register_after_import(hook)
    try:
        with pytest.raises(RuntimeError):
            run(store, write_export(tmp_path / "a.json", msgs(0, 5)))
    finally:
        unregister_after_import(hook)
    assert count(store, MessageRow.id) == 0


def test_new_chat_with_a_known_person_joins_their_client(store: Store, tmp_path: Path) -> None:
    run(store, write_export(tmp_path / "a.json", msgs(0, 4)), client="ООО Ромашка", me=["user1"])
    # A group chat, re-created under a new key, no --client: Игорь is known, so it is Ромашка's.
    run(
        store,
        write_export(
            tmp_path / "g.json", msgs(10, 14), key="tg:group", title="Чат", chat_type="private_group"
        ),
    )
    assert [(c.name, c.conversations) for c in store.clients()] == [("ООО Ромашка", 2)]


def test_progress_is_reported_per_chunk_and_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "CHUNK", 10)
    seen: list[ImportProgress] = []
    a = write_export(tmp_path / "a.json", msgs(0, 25), key="tg:a")
    b = write_export(tmp_path / "b.json", msgs(0, 5), key="tg:b")
    store.import_paths([a, b], reader=fake_reader, progress=seen.append)
    assert [(p.files_done, p.messages) for p in seen] == [
        (0, 10),
        (0, 20),
        (0, 25),
        (1, 25),
        (1, 30),
        (2, 30),
    ]
    assert {p.files_total for p in seen} == {2}


def test_client_option_moves_a_stored_conversation(store: Store, tmp_path: Path) -> None:
    export = write_export(tmp_path / "a.json", msgs(0, 4))
    run(store, export)
    run(store, export, client="ООО Ромашка")
    assert [(c.name, c.conversations) for c in store.clients()] == [("ООО Ромашка", 1), ("Игорь", 0)]


def test_locked_database_is_a_storage_error(tmp_path: Path) -> None:
    import sqlite3

    from clientguard.errors import StorageError
    from clientguard.store import open_store

    db = tmp_path / "locked.sqlite3"
    with open_store(f"sqlite:///{db}") as store:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout=50")
        try:
            busy = r"is busy: another program is writing to it .*\(database is locked\)"
            with pytest.raises(StorageError, match=busy):
                store.add_me("user1")
        finally:
            other.execute("ROLLBACK")
            other.close()


@pytest.mark.parametrize("pipeline", [False, True])
def test_event_hooks_get_written_events_with_their_client(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pipeline: bool
) -> None:
    monkeypatch.setattr(importer, "CHUNK", 3)
    monkeypatch.setattr(importer, "PIPELINE", pipeline)
    calls: list[tuple[int, list[NewEvent]]] = []
    order: list[str] = []

    def on_events(conn: Connection, client_id: int, events: Sequence[NewEvent]) -> None:
        ids = [e.id for e in events]
        assert conn.execute(select(func.count(EventRow.id)).where(EventRow.id.in_(ids))).scalar_one() == len(
            ids
        )
        calls.append((client_id, list(events)))
        order.append("e")

    def on_messages(conn: Connection, client_id: int, rows: Sequence[NewMessage]) -> None:
        order.append("m")

    items = [["e", f"ev{i}", "pin_message", "2025-09-01T10:00:00+00:00"] for i in range(4)] + msgs(0, 4)
    register_after_import_events(on_events)
    register_after_import(on_messages)
    try:
        run(store, write_export(tmp_path / "a.json", items), me=["user1"])
        run(store, write_export(tmp_path / "a.json", items), me=["user1"])  # nothing new
        # A chat of events only still gets a client, and its events are hooked.
        run(
            store, write_export(tmp_path / "b.json", items[:2], key="tg:2", title="Группа", chat_type="group")
        )
    finally:
        unregister_after_import_events(on_events)
        unregister_after_import(on_messages)
    clients = {c.name: c.id for c in store.clients()}
    assert [(cid, [e.source_id for e in evs]) for cid, evs in calls] == [
        (clients["Игорь"], ["ev0", "ev1", "ev2", "ev3"]),  # ev0-2 waited for the chat's client
        (clients["Группа"], ["ev0", "ev1"]),
    ]
    assert all(e.ts_utc is not None and e.ts_utc.utcoffset() is not None for _, evs in calls for e in evs)
    assert order == ["m", "e", "m", "e"]
