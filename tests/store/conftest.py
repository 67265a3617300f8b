"""Storage fixtures: every store test runs on SQLite and on a real PostgreSQL server.

PostgreSQL comes from ``CLIENTGUARD_TEST_PG`` (default below). Each test gets its own
schema (unique name, ``search_path`` set through the URL), so tests can run in parallel
and leave nothing behind. No server: the PostgreSQL half is skipped with the reason,
except under ``CI=true``, where a missing server is a failure (CI must run them).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clientguard.store import Store, open_store

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_url() -> str:
    return os.environ.get("CLIENTGUARD_TEST_PG", PG_DEFAULT)


@cache
def pg_unreachable_reason() -> str | None:
    """None when the server answers, else why not (asked once per session)."""
    try:
        engine = create_engine(pg_url(), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure means "no usable server"
        return f"PostgreSQL not reachable at {pg_url()} ({type(exc).__name__}); see tests/README.md"
    return None


def require_pg() -> None:
    reason = pg_unreachable_reason()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture()
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections live in a fresh, uniquely named schema (dropped afterwards)."""
    require_pg()
    schema = f"cg_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(pg_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind (a file for SQLite, so WAL is exercised)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture()
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as s:
        yield s
