"""``0007_conversation_keys``: up from the previous heads with data kept, down again, on both databases.

A user's database from before the content keys keeps every conversation and its key; the
table arrives empty, and the first import of a copy of a stored table fills it from the
stored rows (``store.import_keys.ContentKeys.backfill``) and finds the stored conversation.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, select

from clientguard.store import open_store
from clientguard.store.engine import make_engine
from clientguard.store.migrate import alembic_config, current, heads
from clientguard.store.models import ConversationRow

REVISION = "0007_conversation_keys"
BEFORE = "0003_client_lifecycle"


def _tables(db_url: str) -> tuple[set[str], set[str]]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        found = set(current(conn)), set(inspect(conn).get_table_names())
    engine.dispose()
    return found


def test_the_keys_table_goes_up_and_down_and_a_stored_table_is_found_again(
    db_url: str, tmp_path: Path
) -> None:
    csv = "timestamp,sender,text\n2025-09-01T10:00:00,Анна,Где макет?\n2025-09-01T10:05:00,Иван,Вечером\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "chat.csv").write_text(csv, encoding="utf-8")
    (tmp_path / "b" / "chat.csv").write_text(csv + "2025-09-01T19:00:00,Иван,Готово\n", encoding="utf-8")
    with open_store(db_url) as store:
        store.import_paths([tmp_path / "a" / "chat.csv"])
    engine = make_engine(db_url)
    with engine.begin() as conn:  # back to the database of the version before
        command.downgrade(alembic_config(conn), BEFORE)
    engine.dispose()
    revisions, tables = _tables(db_url)
    assert BEFORE in revisions and REVISION not in revisions
    assert "conversation_keys" not in tables and "conversations" in tables
    with open_store(db_url) as store:  # opening it upgrades it again, data kept
        with store.engine.connect() as conn:
            assert current(conn) == heads()
            keys = list(conn.scalars(select(ConversationRow.source_key)))
        summary = store.import_paths([tmp_path / "b" / "chat.csv"])
        assert (summary.messages_added, summary.messages_existing) == (1, 2)
        with store.engine.connect() as conn:
            assert list(conn.scalars(select(ConversationRow.source_key))) == keys  # one, unchanged
