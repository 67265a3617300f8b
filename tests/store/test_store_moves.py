"""A stored conversation imported again under another client: the move hook hears of it.

The evidence log records the move through this hook (``tests/evidence/test_moves.py``);
here only the store's side: when the hook runs, with what, and when it does not.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from _fakes import fake_reader, msgs, write_export
from sqlalchemy import Connection, select

from clientguard.store import ConversationMove, NewMessage, Store
from clientguard.store.hooks import (
    register_after_import,
    register_after_move,
    unregister_after_import,
    unregister_after_move,
)
from clientguard.store.import_parties import MOVE_REASON
from clientguard.store.models import ClientRow, ConversationRow, ImportRow

Seen = list[tuple[str, object]]


@pytest.fixture()
def seen() -> Iterator[Seen]:
    """What the hooks saw, in order: ("move", ConversationMove) and ("rows", client id)."""
    out: Seen = []

    def on_move(conn: Connection, move: ConversationMove) -> None:
        stored = conn.execute(
            select(ConversationRow.client_id).where(ConversationRow.id == move.conversation_id)
        ).scalar()
        assert stored == move.to_client_id  # the row has moved when the hook runs
        out.append(("move", move))

    def on_rows(conn: Connection, client_id: int, rows: Sequence[NewMessage]) -> None:
        out.append(("rows", client_id))

    register_after_move(on_move)
    register_after_import(on_rows)
    try:
        yield out
    finally:
        unregister_after_move(on_move)
        unregister_after_import(on_rows)


def ids(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {str(n): int(i) for i, n in conn.execute(select(ClientRow.id, ClientRow.name))}


def moves(seen: Seen) -> list[ConversationMove]:
    return [m for what, m in seen if what == "move" and isinstance(m, ConversationMove)]


def test_a_move_is_reported_once_with_both_clients_and_the_file(
    store: Store, tmp_path: Path, seen: Seen
) -> None:
    first = write_export(tmp_path / "a.json", msgs(0, 6))
    store.import_paths([first], reader=fake_reader, me=["user1"])  # client picked: Игорь
    store.import_paths([first], reader=fake_reader)  # no --client: stays
    store.import_paths([first], reader=fake_reader, client="Игорь")  # the same client: no move
    assert moves(seen) == []
    seen.clear()
    later = write_export(tmp_path / "b.json", msgs(0, 9))
    store.import_paths([later], reader=fake_reader, client="Кофейня")
    clients = ids(store)
    [move] = moves(seen)
    with store.engine.connect() as conn:
        last_import = conn.execute(select(ImportRow.id).order_by(ImportRow.id.desc())).scalar()
    assert (move.from_client_id, move.to_client_id) == (clients["Игорь"], clients["Кофейня"])
    assert (move.source_key, move.title, move.reason) == ("tg:1", "Игорь", MOVE_REASON)
    assert move.file == str(later) and move.source_file_id is not None
    assert move.import_id == last_import
    # the move comes before the conversation's new messages, which go to the new client
    assert seen == [("move", move), ("rows", clients["Кофейня"])]


def test_moving_back_is_a_move_too(store: Store, tmp_path: Path, seen: Seen) -> None:
    export = write_export(tmp_path / "a.json", msgs(0, 4))
    store.import_paths([export], reader=fake_reader, client="A")
    store.import_paths([export], reader=fake_reader, client="B")
    store.import_paths([export], reader=fake_reader, client="A")
    clients = ids(store)
    assert [(m.from_client_id, m.to_client_id) for m in moves(seen)] == [
        (clients["A"], clients["B"]),
        (clients["B"], clients["A"]),
    ]
