"""Storage fixtures: every store test runs on SQLite and on a real PostgreSQL server.

The PostgreSQL plumbing (``CLIENTGUARD_TEST_PG``, a fresh schema per test, skip with the
reason or fail under ``CI=true``) is in ``suite_helpers.py``, shared with the other packages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from suite_helpers import pg_schema

from clientguard.store import Store, open_store


@pytest.fixture()
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections live in a fresh, uniquely named schema (dropped afterwards)."""
    with pg_schema("cg_test_") as url:
        yield url


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
