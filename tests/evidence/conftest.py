"""A store with the bundled sample chat imported, on SQLite and on a real PostgreSQL.

PostgreSQL comes from ``CLIENTGUARD_TEST_PG`` (same default as the store tests); each
test gets its own schema, dropped afterwards. No server: that half is skipped with the
reason (a failure under ``CI=true``).
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clientguard.store import Store, open_store

sys.path.insert(0, str(Path(__file__).parent))
from evidence_sample import CLIENT, SAMPLE

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_url() -> str:
    return os.environ.get("CLIENTGUARD_TEST_PG", PG_DEFAULT)


@cache
def _pg_unreachable() -> str | None:
    try:
        engine = create_engine(_pg_url(), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure means "no usable server"
        return f"PostgreSQL not reachable at {_pg_url()} ({type(exc).__name__})"
    return None


@pytest.fixture()
def pg_url() -> Iterator[str]:
    reason = _pg_unreachable()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    schema = f"cg_ev_{uuid.uuid4().hex[:16]}"
    admin = create_engine(_pg_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(_pg_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    with open_store(url) as st:
        st.import_paths([SAMPLE], client=CLIENT)
        yield st
