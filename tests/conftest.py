"""Session fixtures shared by every test package.

Plain helpers (paths, the CI skip policy, PostgreSQL plumbing) live in
``suite_helpers.py``; import them from there, never from a conftest.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from suite_helpers import SHARED, pg_schema

from clientguard.store import Store, open_store


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (data, fixtures, spec); tests that need it skip visibly without it."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared not found at {SHARED} (set CLIENTGUARD_SHARED)")
    return SHARED


@pytest.fixture(autouse=True)
def _neutral_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees a locale that names no country (C.UTF-8), as on CI.

    The interface language, a slashed date's day/month order and an invoice's default
    currency follow the locale; a developer's en_GB or en_US must not change what the tests
    see. A test that is about the locale sets it itself.
    """
    for var in ("LC_ALL", "LC_TIME", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture()
def tmp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated data dir so no test touches the user's real database."""
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CLIENTGUARD_DB", raising=False)
    return tmp_path / "home"


# Storage fixtures, shared by every package that keeps data (store, contracts, ...): each
# such test runs on SQLite and on a real PostgreSQL server. The PostgreSQL plumbing
# (``CLIENTGUARD_TEST_PG``, a fresh schema per test, skip with the reason or fail under
# ``CI=true``) is in ``suite_helpers.py``.
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
