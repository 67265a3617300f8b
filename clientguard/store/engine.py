"""Engines for SQLite and PostgreSQL, configured the same way wherever they are made.

SQLite: WAL so that readers (the dashboard) never block an import, foreign keys on
(off by default in SQLite), ``synchronous=NORMAL`` (safe in WAL mode: a power cut can
lose the last commit, never corrupt the file) and explicit ``BEGIN``: pysqlite's own
implicit transactions would otherwise split an import into several. Write transactions
start with ``BEGIN IMMEDIATE`` so an import holds the write lock from its first statement
and allocated ids cannot race with another writer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from clientguard.errors import StorageError, msg

#: Execution option naming the SQLite ``BEGIN`` flavour ("", "IMMEDIATE").
SQLITE_BEGIN = "clientguard_sqlite_begin"

_SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=10000",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-65536",
)


def make_engine(url: str, must_exist: bool = False) -> Engine:
    """An engine for ``url`` with our pragmas; a bad URL is a :class:`StorageError`.

    An SQLite file is created only in a folder that exists or is clientguard's own data
    folder (``CLIENTGUARD_HOME``, made by :func:`clientguard.config.data_dir`): ``--db sqlite:///typo/path/cg.sqlite3``
    used to create the whole typo'd folder tree and an empty database there, and every
    later command read that instead of the user's data. ``must_exist``: the command only
    reads, so a file that is not there is "no database at …", not a new empty one.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(msg("engine.bad_url", url=url)) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _worded_refusals(_sqlite_engine(url, parsed.database, must_exist))
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            # psycopg 3 is the driver we ship; plain postgresql:// would look for psycopg2.
            parsed = parsed.set(drivername="postgresql+psycopg")
        return _worded_refusals(create_engine(parsed, pool_pre_ping=True))
    raise StorageError(msg("engine.unknown_backend", url=url))


def _worded_refusals(engine: Engine) -> Engine:
    """Driver refusals the user can act on become a :class:`StorageError` saying what to do.

    Wherever the statement was (a write, or a read such as ``clients`` on a database with
    a table gone), "no such table: messages", "database is locked" or a lost server reached
    the CLI as a traceback and the dashboard as "Ошибка (OperationalError)". The wording
    is :func:`clientguard.store.failures.db_failure`'s, naming the database by its URL
    without the password. A refusal it has no case for (a unique violation, which the web
    retries) stays SQLAlchemy's, as does one during the pool's pre-ping, which the pool
    handles itself by reconnecting.
    """
    from clientguard.store.failures import db_failure, has_case

    @event.listens_for(engine, "handle_error")
    def _refused(context: ExceptionContext) -> None:
        exc = context.sqlalchemy_exception
        if context.is_pre_ping or exc is None or not has_case(exc):
            return
        raise StorageError(db_failure(exc, engine)) from exc

    return engine


def _sqlite_engine(url: str, database: str | None, must_exist: bool = False) -> Engine:
    in_memory = not database or database == ":memory:" or database.startswith("file::memory:")
    kwargs: dict[str, Any] = {}
    if in_memory:
        # One shared connection, otherwise every pooled connection sees a new empty DB.
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        _check_sqlite_path(Path(database or "").expanduser(), must_exist)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see _on_begin
        cur = dbapi_connection.cursor()
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
        for pragma in _SQLITE_PRAGMAS:
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(SQLITE_BEGIN, "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


def _check_sqlite_path(path: Path, must_exist: bool) -> None:
    """One line naming the path when it cannot be the user's database (see :func:`make_engine`)."""
    if path.is_dir():
        raise StorageError(msg("engine.is_folder", path=path))
    if path.exists():
        return
    if must_exist:
        raise StorageError(msg("engine.no_database", path=path))
    if not path.parent.is_dir():
        from clientguard import config

        if path.parent.resolve() == config.data_dir().resolve():  # clientguard's own folder: made now
            return
        raise StorageError(msg("engine.no_folder", folder=path.parent, path=path))
