"""Renaming, merging and forgetting clients and moving a chat, end to end (SQLite and PostgreSQL).

Each change must leave ``evidence verify`` green for every client, keep re-imports
idempotent (no old client started again, no message twice), and forget must leave nothing
of the client in the store but its closed, nameless row and a chain of hashes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from clientguard.contracts.repo import add_invoice, invoices, pay_invoice, set_terms, terms_for_client
from clientguard.errors import ConfigError, NotFoundError, StorageError
from clientguard.evidence.notes import add_note
from clientguard.evidence.verify import VerifyReport, client_ids, verify_client
from clientguard.store import Store, lifecycle, open_store
from clientguard.store.lookup import find_client, require_client

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"  # 27 messages, one chat
CALLS = ROOT / "tests" / "fixtures" / "calls" / "telegram_night_calls.json"  # 10 messages, 5 calls
A, B = "Кофейня «Пенка»", "Иван Петров (Telegram)"


def everyone(store: Store) -> dict[int, VerifyReport]:
    with store.engine.connect() as conn:
        return {cid: verify_client(conn, cid) for cid in client_ids(conn)}


def assert_all_verify(store: Store) -> dict[int, VerifyReport]:
    reports = everyone(store)
    bad = {
        r.client: [(p.what, p.kind, p.ref, p.detail) for p in r.problems][:4]
        for r in reports.values()
        if not r.ok
    }
    assert not bad, bad
    return reports


def names(store: Store) -> list[str]:
    return sorted(c.name for c in store.clients())


def scalar(store: Store, sql: str, **params: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar() or 0)


def two_clients(store: Store) -> None:
    """A with the sample chat and contract terms; B with the calls chat, a note, an invoice paid."""
    store.import_paths([SAMPLE], client=A)
    store.import_paths([CALLS], client=B)
    with store.engine.begin() as conn:
        add_note(
            conn, require_client(conn, B)[0], "две рилс бесплатно, договорились по телефону", "call", None
        )
    add_invoice(store, B, 1000, "2026-12-01", issued="2026-11-01", number="7")
    pay_invoice(store, B, "7", on="2026-11-02")
    set_terms(store, A, price=700, currency="RUB", scope=("рилс",))


# -- rename -------------------------------------------------------------------------------
def test_rename_keeps_everything_and_the_old_name_finds_the_client(store: Store) -> None:
    two_clients(store)
    done = lifecycle.rename(store, B, "ООО Ромашка")
    assert (done.old, done.new) == (B, "ООО Ромашка")
    assert names(store) == sorted([A, "ООО Ромашка"])
    assert [i.id for i in invoices(store, "ООО Ромашка")] == ["7"]
    with store.engine.connect() as conn:
        assert find_client(conn, B) == find_client(conn, "ООО Ромашка")
        assert find_client(conn, B.upper()) == find_client(conn, "ООО Ромашка")
    reports = assert_all_verify(store)
    renamed = [n for r in reports.values() for n in r.closing]
    assert [(n.kind, n.old, n.other) for n in renamed] == [("renamed", B, "ООО Ромашка")]
    # the same export with --client naming the old name: no client started again, nothing doubled
    summary = store.import_paths([CALLS], client=B)
    assert summary.messages_added == 0
    assert names(store) == sorted([A, "ООО Ромашка"])
    assert_all_verify(store)


def test_rename_refuses_a_taken_name_an_empty_one_and_an_unknown_client(store: Store) -> None:
    two_clients(store)
    with pytest.raises(ConfigError, match="already exists"):
        lifecycle.rename(store, B, A.upper())
    with pytest.raises(ConfigError, match="empty"):
        lifecycle.rename(store, B, "   ")
    with pytest.raises(NotFoundError, match="no client named 'Пенко'"):
        lifecycle.rename(store, "Пенко", "x")
    assert names(store) == sorted([A, B])


def test_rename_refuses_a_name_taken_but_for_yo(store: Store) -> None:
    """«ежик» would be found as «Ёжик» (lookup folds ё), so two such names cannot coexist."""
    two_clients(store)
    lifecycle.rename(store, B, "Ёжик")
    with pytest.raises(ConfigError, match="already exists"):
        lifecycle.rename(store, A, "ежик")
    assert names(store) == sorted([A, "Ёжик"])


# -- move a chat ----------------------------------------------------------------------------
def test_move_chat_files_it_under_the_right_client_and_reimport_keeps_it_there(store: Store) -> None:
    two_clients(store)
    with store.engine.connect() as conn:
        conv = int(conn.execute(text("SELECT MAX(id) FROM conversations")).scalar_one())
    done = lifecycle.move_chat(store, f"#{conv}", A)
    assert (done.from_client, done.into, done.messages) == (B, A, 10)
    assert done.contacts == 1  # the person who wrote only there went along
    counts = {c.name: c.messages for c in store.clients()}
    assert counts == {A: 37, B: 0}
    reports = assert_all_verify(store)
    assert sorted(r.messages for r in reports.values()) == [0, 37]
    summary = store.import_paths([CALLS])  # no --client: the stored chat keeps its new client
    assert (summary.messages_added, summary.messages_existing) == (0, 10)
    assert {c.name: c.messages for c in store.clients()} == {A: 37, B: 0}
    assert_all_verify(store)


def test_move_chat_by_title_and_its_errors(store: Store) -> None:
    two_clients(store)
    with store.engine.connect() as conn:
        title = str(
            conn.execute(text("SELECT title FROM conversations ORDER BY id DESC LIMIT 1")).scalar_one()
        )
    with pytest.raises(ConfigError, match="already under client"):
        lifecycle.move_chat(store, title, B)
    with pytest.raises(NotFoundError, match="no chat named 'нет такого чата'"):
        lifecycle.move_chat(store, "нет такого чата", A)
    lifecycle.move_chat(store, title.upper(), A)
    assert {c.name: c.messages for c in store.clients()}[A] == 37
    assert_all_verify(store)


# -- merge --------------------------------------------------------------------------------
def test_merge_makes_one_client_with_every_record_and_both_logs_verify(store: Store) -> None:
    two_clients(store)
    people = scalar(store, "SELECT COUNT(*) FROM contacts")
    done = lifecycle.merge(store, B, A)
    assert (done.conversations, done.messages) == (1, 10)
    assert names(store) == [A]
    assert {c.name: (c.conversations, c.messages) for c in store.clients()} == {A: (2, 37)}
    assert [(i.id, i.paid_on is not None) for i in invoices(store, A)] == [("7", True)]
    assert terms_for_client(store, A) is not None
    assert scalar(store, "SELECT COUNT(*) FROM contacts WHERE client_id = :c", c=1) == people  # kept apart
    assert scalar(store, "SELECT COUNT(*) FROM evidence_notes WHERE client_id = :c", c=1) == 1
    reports = assert_all_verify(store)
    merged = {r.client: r for r in reports.values()}
    assert merged[A].messages == 37 and not merged[A].pending
    closed = [r for r in reports.values() if r.client != A]
    assert [(r.messages, [n.kind for n in r.closing]) for r in closed] == [(0, ["merged_out"])]
    with store.engine.connect() as conn:
        assert find_client(conn, B) == (1, A)  # the old name finds the merged client
    # re-importing both exports, one with --client naming the merged-away client: nothing new
    for path, client in ((CALLS, B), (SAMPLE, None)):
        summary = store.import_paths([path], client=client)
        assert summary.messages_added == 0 and not summary.created_clients
    assert names(store) == [A]
    assert_all_verify(store)
    # and a later invoice payment on the merged invoice passes the pre-write check
    add_invoice(store, A, 500, "2026-12-10", issued="2026-11-03", number="8")
    pay_invoice(store, A, "8", on="2026-11-04")
    assert_all_verify(store)


def test_merge_keeps_the_terms_of_the_client_that_stays(store: Store) -> None:
    two_clients(store)
    set_terms(store, B, price=100, currency="USD", scope=("пост",))
    done = lifecycle.merge(store, B, A)
    assert done.dropped_terms
    terms = terms_for_client(store, A)
    assert terms is not None and (terms.price, terms.currency, terms.scope) == (700, "RUB", ("рилс",))
    assert_all_verify(store)


def test_merge_refuses_clashing_invoices_a_tampered_log_and_itself(store: Store) -> None:
    two_clients(store)
    add_invoice(store, A, 300, "2026-12-01", issued="2026-11-01", number="7")
    with pytest.raises(ConfigError, match="both clients have invoice 7"):
        lifecycle.merge(store, B, A)
    with pytest.raises(ConfigError, match="one client"):
        lifecycle.merge(store, A, A.lower())
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE messages SET text = 'подделка' WHERE id = (SELECT MIN(id) FROM messages)"))
    with pytest.raises(StorageError, match="does not verify"):
        lifecycle.merge(store, A, B)
    assert names(store) == sorted([A, B])  # nothing happened


# -- forget -------------------------------------------------------------------------------
def test_forget_erases_the_client_and_verify_reads_it_as_erased(store: Store) -> None:
    two_clients(store)
    done = lifecycle.forget(store, B, "клиент попросил удалить данные", by="olga")
    assert (done.counts.messages, done.counts.events, done.counts.notes, done.counts.invoices) == (
        10,
        5,
        1,
        1,
    )
    assert done.paths == (str(CALLS),)
    assert names(store) == [A]
    cid = done.client_id
    for table in ("conversations", "contacts", "evidence_notes", "invoices", "client_aliases"):
        assert scalar(store, f"SELECT COUNT(*) FROM {table} WHERE client_id = :c", c=cid) == 0
    assert scalar(store, "SELECT COUNT(*) FROM messages") == 27
    assert scalar(store, "SELECT COUNT(*) FROM source_files") == 1
    assert scalar(store, "SELECT COUNT(*) FROM imports WHERE client = :n", n=B) == 0
    with store.engine.connect() as conn:
        kept_paths = [str(p) for (p,) in conn.execute(text("SELECT paths FROM imports"))]
    assert not any("telegram_night_calls" in p for p in kept_paths), kept_paths
    with store.engine.connect() as conn:
        stored_name = conn.execute(text("SELECT name FROM clients WHERE id = :c"), {"c": cid}).scalar()
        payloads = [
            str(p)
            for (p,) in conn.execute(
                text("SELECT payload FROM evidence_records WHERE client_id = :c AND payload IS NOT NULL"),
                {"c": cid},
            )
        ]
        assert find_client(conn, B) is None
    assert stored_name == f"#{cid} (erased)"
    assert not any(word in p for p in payloads for word in ("Иван", "рилс", "телефону", B))
    reports = assert_all_verify(store)
    erased = reports[cid]
    assert erased.erased and erased.messages == 0 and erased.pending == 0
    note = erased.closing[-1]
    assert (note.kind, note.by, note.reason, note.counts["messages"]) == (
        "erased", "olga", "клиент попросил удалить данные", 10,
    )  # fmt: skip


def test_after_forget_the_same_export_imports_again_as_new_data(store: Store) -> None:
    two_clients(store)
    lifecycle.forget(store, B, "relationship ended")
    summary = store.import_paths([CALLS], client=B)
    assert summary.messages_added == 10 and summary.created_clients
    assert names(store) == sorted([A, B])
    assert_all_verify(store)


def test_forget_a_merged_client_erases_the_chain_it_absorbed_too(store: Store) -> None:
    two_clients(store)
    lifecycle.merge(store, B, A)
    lifecycle.forget(store, A, "asked to be forgotten")
    assert names(store) == []
    reports = assert_all_verify(store)
    assert all(r.erased for r in reports.values())
    with store.engine.connect() as conn:
        kept = [
            str(p)
            for (p,) in conn.execute(text("SELECT payload FROM evidence_records WHERE payload IS NOT NULL"))
        ]
    assert not any(word in p for p in kept for word in ("Иван", "Пенка", "Ночн"))


def test_forget_needs_a_reason(store: Store) -> None:
    two_clients(store)
    with pytest.raises(ConfigError, match="expected a reason"):
        lifecycle.forget(store, B, "  ")
    assert names(store) == sorted([A, B])


def test_a_chat_moved_from_a_later_erased_client_still_verifies(store: Store) -> None:
    """The other half of a move sits in an erased chain whose payloads are gone: checked by hash."""
    two_clients(store)
    with store.engine.connect() as conn:
        conv = int(conn.execute(text("SELECT MAX(id) FROM conversations")).scalar_one())
    lifecycle.move_chat(store, str(conv), A)
    lifecycle.forget(store, B, "relationship ended")
    reports = assert_all_verify(store)
    assert sorted(r.messages for r in reports.values()) == [0, 37]


# -- an older database ----------------------------------------------------------------------
def test_a_database_from_before_the_lifecycle_tables_gets_them(db_url: str) -> None:
    from alembic import command

    from clientguard.store.engine import make_engine
    from clientguard.store.migrate import alembic_config, current, heads

    engine = make_engine(db_url)
    with engine.begin() as conn:
        for head in ("0002_client_timezone", "0005_evidence_note_author", "0003_contracts_voids", "0002_web"):
            command.upgrade(alembic_config(conn), head)
        conn.exec_driver_sql("INSERT INTO clients (name, created_at) VALUES ('Пенка', '2025-09-01 10:00:00')")
    with engine.connect() as conn:
        from sqlalchemy import inspect

        assert "client_aliases" not in inspect(conn).get_table_names()
    engine.dispose()
    with open_store(db_url) as store:
        with store.engine.connect() as conn:
            assert current(conn) == heads()
        lifecycle.rename(store, "Пенка", "Кофейня")
        assert names(store) == ["Кофейня"]
        with store.engine.connect() as conn:
            assert find_client(conn, "Пенка") is not None
