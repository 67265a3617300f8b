"""A store with the bundled sample chat imported, on SQLite and on a real PostgreSQL.

The PostgreSQL plumbing (``CLIENTGUARD_TEST_PG``, a fresh schema per test, skip with the
reason or fail under ``CI=true``) is in ``suite_helpers.py``, shared with the other packages.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from suite_helpers import pg_schema

from clientguard.store import Store, open_store

sys.path.insert(0, str(Path(__file__).parent))
from evidence_sample import CLIENT, SAMPLE


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL in a fresh schema, dropped afterwards."""
    with pg_schema("cg_ev_") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    with open_store(url) as st:
        st.import_paths([SAMPLE], client=CLIENT)
        yield st


@pytest.fixture()
def unlogged_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Contracts, invoices and payments written without the record hook.

    Since the twelfth session they are chained when written; a database from before
    holds such records unlogged until its next ``evidence sync``, which these tests check.
    """
    monkeypatch.setattr("clientguard.store.hooks.DEFAULT_AFTER_RECORD", ())
