"""Merges and erasures on the evidence log: the tool's own verify, the same done behind it does not.

The sample is imported under ``CLIENT`` (the ``store`` fixture, SQLite and PostgreSQL) and
the calls chat under ``OTHER``. ``clients merge|forget`` write ``merged_out``/``merged_in``
and ``erased`` records (:mod:`clientguard.evidence.closing`); rows deleted or payloads
removed without them must still read as tampering.
"""

from __future__ import annotations

from evidence_sample import CLIENT, ROOT
from sqlalchemy import text

from clientguard.evidence import closing
from clientguard.evidence.log import sync
from clientguard.evidence.notes import add_note
from clientguard.evidence.verify import VerifyReport, client_ids, verify_client
from clientguard.report.i18n import quote
from clientguard.store import Store, lifecycle
from clientguard.store.lookup import require_client

OTHER = "Иван Петров (Telegram)"
CALLS = ROOT / "tests" / "fixtures" / "calls" / "telegram_night_calls.json"


def reports(store: Store) -> dict[int, VerifyReport]:
    with store.engine.connect() as conn:
        return {cid: verify_client(conn, cid) for cid in client_ids(conn)}


def whats(r: VerifyReport) -> set[tuple[str, str | None]]:
    return {(p.what, p.kind) for p in r.problems}


def sql(store: Store, statement: str, **params: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement), params)


def ids(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return require_client(conn, CLIENT)[0], require_client(conn, OTHER)[0]


def with_other(store: Store) -> tuple[int, int]:
    store.import_paths([CALLS], client=OTHER)
    with store.engine.begin() as conn:
        add_note(conn, require_client(conn, OTHER)[0], "договорились по телефону", "call", None)
    return ids(store)


def test_rows_deleted_behind_the_tool_are_still_tampering(store: Store) -> None:
    """What forget deletes, deleted by SQL without it: source_missing, as before."""
    _a, b = with_other(store)
    sql(store, "DELETE FROM conversations WHERE client_id = :c", c=b)
    sql(store, "DELETE FROM evidence_notes WHERE client_id = :c", c=b)
    found = reports(store)[b]
    assert not found.ok and not found.erased
    assert {("source_missing", "message"), ("source_missing", "note")} <= whats(found)


def test_a_payload_removed_behind_the_tool_is_edited(store: Store) -> None:
    """Removing a record's content is what an erasure does; without its record it is tampering."""
    _a, b = with_other(store)
    sql(store, "UPDATE evidence_records SET payload = NULL WHERE client_id = :c AND kind = 'note'", c=b)
    found = reports(store)[b]
    assert ("edited", "note") in whats(found)


def test_an_erasure_whose_record_was_cut_off_is_tampering(store: Store) -> None:
    """Deleting the ``erased`` record (head set back too) leaves removed payloads and missing rows."""
    _a, b = with_other(store)
    lifecycle.forget(store, OTHER, "relationship ended")
    with store.engine.begin() as conn:
        seq, prev = conn.execute(
            text("SELECT seq, prev_hash FROM evidence_records WHERE client_id = :c AND kind = 'erased'"),
            {"c": b},
        ).one()
        conn.execute(
            text("DELETE FROM evidence_records WHERE client_id = :c AND seq = :s"), {"c": b, "s": seq}
        )
        conn.execute(text("UPDATE evidence_heads SET seq = :s, hash = :h WHERE client_id = :c"),
                     {"s": seq - 1, "h": prev, "c": b})  # fmt: skip
    found = reports(store)[b]
    assert not found.erased
    assert {("edited", "note"), ("source_missing", "message")} <= whats(found)


def test_after_merge_and_forget_sync_adds_nothing_to_closed_chains(store: Store) -> None:
    a, b = with_other(store)
    lifecycle.merge(store, OTHER, CLIENT)
    with store.engine.begin() as conn:
        assert sync(conn, b) == 0
        assert sync(conn, a) == 0
    lifecycle.forget(store, CLIENT, "asked")
    with store.engine.begin() as conn:
        assert sync(conn, a) == sync(conn, b) == 0
    assert all(r.ok and r.erased for r in reports(store).values())


def test_a_merged_row_edited_afterwards_is_caught_in_the_client_that_holds_it(store: Store) -> None:
    a, _b = with_other(store)
    lifecycle.merge(store, OTHER, CLIENT)
    sql(store, "UPDATE evidence_notes SET text = 'ничего не обещали' WHERE client_id = :c", c=a)
    sql(store, "DELETE FROM messages WHERE id = (SELECT MAX(id) FROM messages)")
    found = reports(store)[a]
    assert {("source_changed", "note"), ("source_missing", "message")} <= whats(found)


def test_half_a_merge_is_unmatched(store: Store) -> None:
    """A ``merged_out`` written into one chain alone hands rows over to nobody: move_unmatched."""
    a, b = with_other(store)
    with store.engine.begin() as conn:
        closing.merge_out(conn, (b, OTHER), (a, CLIENT), None, set(), {})
    found = reports(store)[b]
    assert ("move_unmatched", "merged_out") in whats(found)
    # and the rows it listed are no longer vouched for: the note now reads unlogged, not fine
    assert ("unlogged", "note") in whats(found)


def test_a_merged_in_naming_a_record_that_is_not_there_is_unmatched(store: Store) -> None:
    a, b = with_other(store)
    with store.engine.begin() as conn:
        out = closing.merge_out(conn, (b, OTHER), (a, CLIENT), None, set(), {})
        closing.merge_in(conn, a, b, (out[0], "0" * 64, out[2]), [])
    found = reports(store)
    assert ("move_unmatched", "merged_in") in whats(found[a])
    assert ("move_unmatched", "merged_out") in whats(found[b])


def test_the_erased_chain_still_proves_its_order(store: Store) -> None:
    """Payloads are gone but each record still links: a record edited after the erasure shows."""
    _a, b = with_other(store)
    lifecycle.forget(store, OTHER, "relationship ended")
    assert reports(store)[b].ok
    sql(store, "UPDATE evidence_records SET created_at = '2020-01-01' WHERE client_id = :c AND seq = 1", c=b)
    assert ("edited", "messages") in whats(reports(store)[b])


def test_a_chat_moved_to_a_later_erased_client_still_verifies_in_the_client_it_left(store: Store) -> None:
    """The ``moved_in`` half sits in the erased chain, payload gone: found by its content hash."""
    a, b = with_other(store)
    with store.engine.connect() as conn:
        conv = int(conn.execute(text("SELECT MAX(id) FROM conversations")).scalar_one())
    lifecycle.move_chat(store, str(conv), CLIENT)
    lifecycle.forget(store, CLIENT, "relationship ended")
    found = reports(store)
    assert found[a].erased and found[a].ok
    assert found[b].ok, found[b].problems
    # and a moved_in whose hash no longer matches leaves the move unmatched in the client it left
    sql(store, "UPDATE evidence_records SET content_hash = :h WHERE client_id = :c AND kind = 'moved_in'",
        h="0" * 64, c=a)  # fmt: skip
    assert ("move_unmatched", "moved_out") in whats(reports(store)[b])


def test_the_export_words_a_rename_and_a_merge(store: Store) -> None:
    """The chronology showed a rename as "renamed — from: …, to: …" and a merge as its raw
    JSON payload (thousands of listed rows), with English kind names in a Russian document."""
    import json

    from clientguard.evidence.dispute import prepare
    from clientguard.evidence.export import render

    a, _b = with_other(store)
    lifecycle.rename(store, CLIENT, "ООО Ромашка")
    lifecycle.merge(store, OTHER, "ООО Ромашка")
    data = prepare(store.engine, a)
    assert data.verified
    ru, en = render(data, "html", "ru").decode(), render(data, "html", "en").decode()
    named = quote(CLIENT, "ru")  # the name's own «…» become „…“: quoted once
    assert f"переименован: {named} → «ООО Ромашка»" in ru and ">переименование<" in ru
    assert f"к этому клиенту присоединён «{OTHER}»" in ru and ">присоединение клиента<" in ru
    assert f"client “{OTHER}” merged into this one" in en and "counterpart" not in ru + en
    out = json.loads(render(data, "json"))
    said = {e["kind"]: e for e in out["chronology"] if e["kind"] in ("renamed", "merged_in")}
    assert said["renamed"]["text"].startswith(f"renamed {quote(CLIENT, 'en')} → “ООО Ромашка”")
    assert "closing" not in said["renamed"]  # the JSON's entries keep their fields
