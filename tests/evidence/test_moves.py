"""A conversation changing client is on the record, and tampering around a move is still caught.

The sample is imported under ``CLIENT`` (the ``store`` fixture, SQLite and PostgreSQL);
importing it again with ``--client OTHER`` moves its conversation, which writes a
``moved_out`` record in CLIENT's chain and a ``moved_in`` in OTHER's.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from evidence_sample import CLIENT, ROOT, SAMPLE
from sqlalchemy import text

from clientguard.evidence import moves
from clientguard.evidence.export import collect
from clientguard.evidence.handover import check_moves
from clientguard.evidence.log import append_one, logged_entries, now_iso, sync
from clientguard.evidence.moves import MOVED_IN, MOVED_OUT
from clientguard.evidence.verify import VerifyReport, resolve_client, verify_client
from clientguard.report.i18n import quote
from clientguard.store import Store

OTHER = "Другой клиент"
THIRD = "Третий клиент"
MESSAGES = 27  # in the sample
CALLS = ROOT / "tests" / "fixtures" / "calls" / "telegram_night_calls.json"


def report(store: Store, name: str, *, cross_check: bool = True) -> VerifyReport:
    with store.engine.connect() as conn:
        return verify_client(conn, resolve_client(conn, name), cross_check=cross_check)


def sql(store: Store, statement: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement))


def move(store: Store, to: str = OTHER, path: Path = SAMPLE) -> None:
    store.import_paths([path], client=to)


def whats(r: VerifyReport) -> set[tuple[str, str | None, str | None]]:
    return {(p.what, p.kind, p.ref) for p in r.problems}


def record(store: Store, name: str, kind: str) -> tuple[int, str, str]:
    """(seq, payload, hash) of the client's last record of ``kind``."""
    with store.engine.connect() as conn:
        cid = resolve_client(conn, name)
        row = conn.execute(
            text(
                "SELECT seq, payload, hash FROM evidence_records WHERE client_id = :c AND kind = :k "
                "ORDER BY seq DESC"
            ),
            {"c": cid, "k": kind},
        ).first()
    assert row is not None
    return int(row[0]), str(row[1]), str(row[2])


def new_client(store: Store, name: str) -> int:
    with store.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO clients (name, created_at) VALUES (:n, :t)"),
            {"n": name, "t": datetime.now(UTC).replace(tzinfo=None)},
        )
        return resolve_client(conn, name)


# -- a move verifies ---------------------------------------------------------------------
def test_after_a_move_both_clients_verify(store: Store) -> None:
    before = report(store, CLIENT)
    move(store)
    old, new = report(store, CLIENT), report(store, OTHER)
    assert old.ok and new.ok, (old.problems[:3], new.problems[:3])
    assert (old.messages, new.messages) == (0, MESSAGES)
    assert old.records == before.records + 1 and new.records == 1
    [out] = old.moves
    [came] = new.moves
    assert (out.direction, out.other, out.messages, out.seq) == ("out", OTHER, MESSAGES, old.head_seq)
    assert (came.direction, came.other, came.messages, came.other_seq) == ("in", CLIENT, MESSAGES, out.seq)
    assert out.reason == came.reason and "--client" in out.reason
    assert f"moved to client “{OTHER}”" in out.describe() and str(SAMPLE) in out.describe()
    assert f"moved in from client {quote(CLIENT, 'en')}" in came.describe()


def test_the_move_rewrites_nothing_and_logs_no_message_twice(store: Store) -> None:
    with store.engine.connect() as conn:
        earlier = conn.execute(text("SELECT client_id, seq, hash FROM evidence_records")).all()
    move(store)
    with store.engine.connect() as conn:
        after = set(conn.execute(text("SELECT client_id, seq, hash FROM evidence_records")).all())
        a, b = resolve_client(conn, CLIENT), resolve_client(conn, OTHER)
        # the moved_in vouches with the hashes and seqs the first chain logged
        first = logged_entries(conn, a, ("message",))
    assert set(earlier) <= after
    _seq, payload, _hash = record(store, OTHER, MOVED_IN)
    listed = moves.parse(payload).entries
    assert len(listed) == MESSAGES and all(seq == 1 for _k, _r, _h, seq in listed)
    assert first == {}  # handed over: the old chain vouches for none of them now
    with store.engine.begin() as conn:
        assert sync(conn, a) == 0 and sync(conn, b) == 0  # nothing looks unlogged to sync


def test_the_move_of_a_chat_with_calls_takes_its_events(store: Store) -> None:
    move(store, "Ирина", CALLS)  # a second chat, with service events (calls)
    move(store, OTHER, CALLS)
    old, new = report(store, "Ирина"), report(store, OTHER)
    assert old.ok and new.ok, (old.problems[:3], new.problems[:3])
    assert new.moves[0].events > 0 and new.pending == 0 and old.pending == 0


def test_a_big_conversation_moves_in_parts(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moves, "MOVE_PART", 10)
    move(store)
    old, new = report(store, CLIENT), report(store, OTHER)
    assert old.ok and new.ok
    assert new.records == 3 and old.records == 1 + 3
    [note] = new.moves  # three parts, one move
    assert note.messages == MESSAGES


def test_moving_back_verifies_and_vouches_again(store: Store) -> None:
    move(store)
    move(store, CLIENT)
    old, new = report(store, CLIENT), report(store, OTHER)
    assert old.ok and new.ok, (old.problems[:3], new.problems[:3])
    assert (old.messages, new.messages) == (MESSAGES, 0)
    assert [n.direction for n in old.moves] == ["out", "in"]
    assert [n.direction for n in new.moves] == ["in", "out"]
    # then tampering is caught in the chain that holds the messages again
    sql(store, "UPDATE messages SET text = 'подменено' WHERE id = 5")
    assert ("source_changed", "message", "5") in whats(report(store, CLIENT))
    assert report(store, OTHER).ok


def test_a_move_to_a_third_client_chains_the_custody(store: Store) -> None:
    move(store)
    move(store, THIRD)
    reports = [report(store, n) for n in (CLIENT, OTHER, THIRD)]
    assert all(r.ok for r in reports) and [r.messages for r in reports] == [0, 0, MESSAGES]
    _seq, payload, _h = record(store, THIRD, MOVED_IN)
    other_in = record(store, OTHER, MOVED_IN)[0]
    assert {seq for *_x, seq in moves.parse(payload).entries} == {other_in}


def test_a_move_rolls_back_with_its_import(store: Store) -> None:
    from clientguard.store.hooks import register_after_move, unregister_after_move

    def refuse(conn: object, moved: object) -> None:
        raise RuntimeError("refused")

    before = report(store, CLIENT)
    register_after_move(refuse)  # runs after the evidence hook, in the same transaction
    try:
        with pytest.raises(RuntimeError):
            move(store)
    finally:
        unregister_after_move(refuse)
    after = report(store, CLIENT)
    assert after.ok and (after.head_hash, after.messages, after.moves) == (before.head_hash, MESSAGES, ())
    with store.engine.connect() as conn:
        moved = conn.execute(text("SELECT count(*) FROM evidence_records WHERE kind LIKE 'moved%'"))
        assert moved.scalar() == 0


def test_chain_only_verification_checks_moves_too(store: Store) -> None:
    move(store)
    assert report(store, CLIENT, cross_check=False).ok and report(store, OTHER, cross_check=False).ok


# -- tampering is still caught -----------------------------------------------------------
@pytest.mark.parametrize("when", ["before", "after"])
def test_an_edited_message_is_caught_across_a_move(store: Store, when: str) -> None:
    if when == "before":
        sql(store, "UPDATE messages SET text = 'подменено' WHERE id = 5")
    move(store)
    if when == "after":
        sql(store, "UPDATE messages SET text = 'подменено' WHERE id = 5")
    new = report(store, OTHER)
    assert not new.ok and ("source_changed", "message", "5") in whats(new)
    assert report(store, CLIENT).ok  # the old chain handed over what it logged


def test_a_message_deleted_before_the_move_stays_missing_in_the_old_log(store: Store) -> None:
    sql(store, "DELETE FROM messages WHERE id = 5")
    move(store)
    old = report(store, CLIENT)
    assert not old.ok and whats(old) == {("source_missing", "message", "5")}
    new = report(store, OTHER)  # 26 handed over; the import re-adds message 5 as a new row
    assert new.ok and new.moves[0].messages == MESSAGES - 1 and new.messages == MESSAGES


def test_a_message_deleted_after_the_move_is_missing_in_the_new_log(store: Store) -> None:
    move(store)
    sql(store, "DELETE FROM messages WHERE id = 5")
    new = report(store, OTHER)
    assert not new.ok and whats(new) == {("source_missing", "message", "5")}
    assert report(store, CLIENT).ok


def test_a_message_slipped_in_after_the_move_is_unlogged(store: Store) -> None:
    move(store)
    sql(
        store,
        "INSERT INTO messages (conversation_id, source_id, sender_key, sender_name, role, ts_utc, text, "
        "attachment) VALUES (1, 'forged', 'user5550002', 'Игорь', 'client', '2025-09-30 10:00:00', "
        "'Оплату не получили', 'none')",
    )
    new = report(store, OTHER)
    assert not new.ok and [p.what for p in new.problems] == ["unlogged"]


def test_a_deletion_dressed_up_as_a_move_is_caught(store: Store) -> None:
    """The messages deleted and a well-chained moved_out written in the old log alone."""
    other = new_client(store, OTHER)
    with store.engine.begin() as conn:
        a = resolve_client(conn, CLIENT)
        logged = logged_entries(conn, a, ("message", "event"))
        listed = moves.handed_over(logged, range(1, MESSAGES + 1), ())
        top = moves.header(1, "tg:x", None, (a, CLIENT), (other, OTHER), "forged", None, None)
        append_one(conn, a, (MOVED_OUT, "1", moves.payload(top, listed, 1, 1), now_iso(), None))
        conn.execute(text("DELETE FROM messages"))
    for cross_check in (True, False):
        old = report(store, CLIENT, cross_check=cross_check)
        assert not old.ok and [p.what for p in old.problems] == ["move_unmatched"]
        assert f"«{OTHER}»" in old.problems[0].detail


def test_a_moved_in_whose_listing_differs_from_its_moved_out_is_caught(store: Store) -> None:
    move(store)
    _seq, payload, _h = record(store, OTHER, MOVED_IN)
    data = json.loads(payload)
    data["messages"][4][1] = "0" * 64  # vouch for another text of message 5
    with store.engine.begin() as conn:
        append_one(conn, resolve_client(conn, OTHER), (MOVED_IN, "1", json.dumps(data), now_iso(), None))
    new = report(store, OTHER)
    assert ("move_unmatched", MOVED_IN, "1") in whats(new)


def test_a_copy_of_a_move_in_another_log_is_caught(store: Store) -> None:
    move(store)
    _seq, payload, _h = record(store, OTHER, MOVED_IN)
    third = new_client(store, THIRD)
    with store.engine.begin() as conn:
        append_one(conn, third, (MOVED_IN, "1", payload, now_iso(), None))
    got = report(store, THIRD)
    assert ("move_unmatched", MOVED_IN, "1") in whats(got)
    assert report(store, OTHER).ok


def test_a_move_that_hands_over_what_the_log_never_held_is_caught(store: Store) -> None:
    other = new_client(store, OTHER)
    with store.engine.begin() as conn:
        a = resolve_client(conn, CLIENT)
        top = moves.header(1, "tg:x", None, (a, CLIENT), (other, OTHER), "forged", None, None)
        forged = [("message", "999", "f" * 64, 1)]
        append_one(conn, a, (MOVED_OUT, "1", moves.payload(top, forged, 1, 1), now_iso(), None))
    old = report(store, CLIENT)
    assert ("bad_move", "message", "999") in whats(old)


def test_an_edited_move_record_breaks_the_chain(store: Store) -> None:
    move(store)
    _seq, payload, _h = record(store, CLIENT, MOVED_OUT)
    edited = payload.replace(OTHER, THIRD)
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE evidence_records SET payload = :p WHERE kind = :k"), {"p": edited, "k": MOVED_OUT}
        )
    old = report(store, CLIENT)
    assert ("edited", MOVED_OUT, "1") in whats(old)
    new = report(store, OTHER)  # its counterpart no longer hashes as recorded
    assert ("move_unmatched", MOVED_IN, "1") in whats(new)


def test_check_moves_is_quiet_for_a_log_without_moves(store: Store) -> None:
    with store.engine.connect() as conn:
        assert check_moves(conn, resolve_client(conn, CLIENT), ()) == []
    assert report(store, CLIENT).moves == ()


# -- the export --------------------------------------------------------------------------
def test_the_export_shows_the_move_not_a_deletion(store: Store) -> None:
    move(store)
    with store.engine.connect() as conn:
        a, b = resolve_client(conn, CLIENT), resolve_client(conn, OTHER)
        old = collect(conn, a, verify_client(conn, a))
        new = collect(conn, b, verify_client(conn, b))
    assert old.verified and new.verified
    assert [e.kind for e in old.chronology] == [MOVED_OUT]
    assert f"moved to client “{OTHER}”" in old.chronology[0].text
    assert all("deleted" not in e.text for e in old.chronology + new.chronology)
    moved = [e for e in new.chronology if e.kind == "message"]
    assert len(moved) == MESSAGES and all(e.moved_from == f"«{CLIENT}», seq 1" for e in moved)
    assert new.chronology[-1].kind == MOVED_IN and new.moves and new.moves[0].other == CLIENT
    assert json.loads(json.dumps(new.to_json()))["moves"][0]["direction"] == "in"


def test_the_html_export_lists_the_move(store: Store) -> None:
    from clientguard.evidence.export import to_html

    move(store)
    with store.engine.connect() as conn:
        a = resolve_client(conn, CLIENT)
        page = to_html(collect(conn, a, verify_client(conn, a)), "en")
    assert "Conversations that changed client" in page and f"moved to client “{OTHER}”" in page
    assert "Integrity check passed" in page


# -- logs that moved before moves were recorded ------------------------------------------
def bug_move(store: Store, monkeypatch: pytest.MonkeyPatch, to: str = OTHER) -> None:
    """A move as it happened before moves were recorded: no record at all."""
    from clientguard.store import hooks

    with monkeypatch.context() as m:
        m.setattr(hooks, "DEFAULT_AFTER_MOVE", ())
        move(store, to)


def test_sync_records_a_move_made_before_moves_were_logged(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    bug_move(store, monkeypatch)
    old = report(store, CLIENT)
    assert {p.what for p in old.problems} == {"source_missing"}  # the false "deleted"
    with store.engine.begin() as conn:
        assert sync(conn, resolve_client(conn, CLIENT)) == 2  # the pair
    old, new = report(store, CLIENT), report(store, OTHER)
    assert old.ok and new.ok and (old.messages, new.messages) == (0, MESSAGES)
    assert "recorded late" in new.moves[0].reason
    with store.engine.begin() as conn:
        assert sync(conn, resolve_client(conn, CLIENT)) == 0  # once


def test_late_move_after_the_new_client_logged_them_still_catches_an_edit(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new client's sync (or export) logged the moved messages as they are now, an
    edited one included; the late move vouches with the hashes of their first import."""
    bug_move(store, monkeypatch)
    sql(store, "UPDATE messages SET text = 'подменено' WHERE id = 5")
    with store.engine.begin() as conn:
        sync(conn, resolve_client(conn, OTHER))  # logs all 27 as found, message 5 edited
    assert report(store, OTHER).ok  # laundered, as before this fix ...
    with store.engine.begin() as conn:
        sync(conn, resolve_client(conn, CLIENT))
    new = report(store, OTHER)
    assert whats(new) == {("source_changed", "message", "5")}  # ... and caught again now
    assert report(store, CLIENT).ok


def test_the_sync_command_records_late_moves_before_logging_anything_anew(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from clientguard.cli import build_app

    bug_move(store, monkeypatch)
    url = store.engine.url.render_as_string(hide_password=False)
    sync = ["evidence", "sync", "--lang", "en", "--db", url]
    result = CliRunner().invoke(build_app(), sync, catch_exceptions=False)
    assert result.exit_code == 0 and "2 records appended" in result.output
    verify = ["evidence", "verify", "--lang", "en", "--db", url]
    result = CliRunner().invoke(build_app(), verify, catch_exceptions=False)
    assert result.exit_code == 0 and "TAMPERED" not in result.output
    assert report(store, OTHER).records == 1  # the moved_in only: nothing logged twice


def test_export_records_a_late_move_before_it_verifies(
    store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from clientguard.cli import build_app

    bug_move(store, monkeypatch)
    url = store.engine.url.render_as_string(hide_password=False)
    out = tmp_path / "old.json"
    args = ["evidence", "export", CLIENT, "--format", "json", "--out", str(out), "--db", url]
    result = CliRunner().invoke(build_app(), args, catch_exceptions=False)
    assert result.exit_code == 0 and "NOT verified" not in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["verified"] and [e["kind"] for e in data["chronology"]] == [MOVED_OUT]


def test_dispute_prepare_records_a_late_move_for_the_web_export(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web's evidence export goes through the same steps as the CLI's (dispute.prepare):
    a database hit by the old bug is repaired before the verdict, for both clients."""
    from clientguard.evidence.dispute import prepare

    bug_move(store, monkeypatch)
    with store.engine.connect() as conn:
        old_id, new_id = resolve_client(conn, CLIENT), resolve_client(conn, OTHER)
    old, new = prepare(store.engine, old_id), prepare(store.engine, new_id)
    assert old.verified and new.verified, (old.problems, new.problems)
    assert [e.kind for e in old.chronology] == [MOVED_OUT]
