"""Writing an import's rows: multi-row ``INSERT`` (SQLite), ``COPY`` (PostgreSQL), events.

Split from the hot loop in ``importer.py``: these functions take ready parameter rows
and only talk to the database, so they are also what the writer thread runs.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, insert, select

from clientguard.store.models import EventRow
from clientguard.store.records import NewEvent, NewMessage

#: SQLite: rows per multi-row ``INSERT … VALUES (…), (…)``: a few long statements per chunk
#: instead of one step per row (~20 % less CPU, and each runs long enough to be worth the GIL
#: round trip of the helper thread). Capped by the connection's host parameter limit.
ROWS_PER_INSERT = 1250

MESSAGE_COLUMNS = NewMessage._fields


def rows_per_insert(conn: Connection) -> int:
    """Rows per multi-row ``INSERT`` that fit SQLite's bound-variable limit on this connection."""
    raw: Any = conn.connection.driver_connection  # a sqlite3.Connection
    getlimit = getattr(raw, "getlimit", None)  # Python >= 3.11
    limit = getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if getlimit else 999
    return max(1, min(ROWS_PER_INSERT, limit // len(MESSAGE_COLUMNS)))


def values_sql(rows: int) -> str:
    """``INSERT INTO messages (…) VALUES (?, …), …`` for ``rows`` rows (qmark style: SQLite)."""
    one = f"({', '.join('?' * len(MESSAGE_COLUMNS))})"
    return f"INSERT INTO messages ({', '.join(MESSAGE_COLUMNS)}) VALUES {', '.join([one] * rows)}"


def insert_sqlite(conn: Connection, full_sql: str, per: int, params: list[tuple[Any, ...]]) -> None:
    """SQLite: insert message parameter tuples with a few multi-row statements."""
    for start in range(0, len(params), per):
        part = params[start : start + per]
        sql = full_sql if len(part) == per else values_sql(len(part))
        conn.exec_driver_sql(sql, tuple(itertools.chain.from_iterable(part)))


def copy_messages(conn: Connection, rows: Sequence[NewMessage]) -> None:
    """PostgreSQL: ``COPY`` is several times faster than ``executemany``, same transaction.

    The times are aware UTC; text input to a ``timestamp`` column drops the ``+00:00``,
    which leaves exactly the naive UTC the column holds.
    """
    raw: Any = conn.connection.driver_connection  # a psycopg.Connection
    copy_sql = f"COPY messages ({', '.join(MESSAGE_COLUMNS)}) FROM STDIN"
    with raw.cursor() as cur, cur.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)


def insert_events(conn: Connection, events: list[tuple[Any, ...]]) -> list[NewEvent]:
    """Insert events (``NewEvent`` fields without the id) and return them with their ids.

    Ids are allocated here, as for messages (SQLite: the import holds the write lock;
    PostgreSQL: the column's sequence), so the insert stays one ``executemany``: asking
    for ``RETURNING`` in parameter order makes SQLAlchemy send SQLite one statement per row.
    The event hooks need the ids to refer to the rows.
    """
    if conn.dialect.name == "postgresql":
        sql = "SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, %d)"
        ids = [int(i) for i in conn.exec_driver_sql(sql % len(events)).scalars()]
    else:
        top = int(conn.execute(select(func.coalesce(func.max(EventRow.id), 0))).scalar_one())
        ids = list(range(top + 1, top + 1 + len(events)))
    written = [NewEvent(i, *e) for i, e in zip(ids, events, strict=True)]
    conn.execute(insert(EventRow), [e._asdict() for e in written])
    return written


def to_utc(ts: datetime, tz: ZoneInfo) -> datetime:
    """Aware UTC; a naive time is local time of ``tz`` (the importer had nothing better)."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=tz)
    return ts.astimezone(UTC)
