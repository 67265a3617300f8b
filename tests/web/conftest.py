"""Fixtures of the dashboard tests: app clients, a live loopback server, headless Chromium.

Team-mode fixtures need PostgreSQL and Redis: without them the tests are skipped with
the reason, except under ``CI=true`` where a missing server is a failure. The PostgreSQL
plumbing is in ``suite_helpers.py``; plain helpers for the test modules are in
``web_helpers.py`` (import them from there, not from this conftest).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from redis_claim import ClaimError, TestRedis
from suite_helpers import pg_schema, skip_or_fail

from clientguard.store import open_store
from clientguard.web.app import create_app
from clientguard.web.auth import add_user, grant
from tests.web.web_helpers import (
    PASSWORD,
    SAMPLE_CHAT,
    LiveServer,
    TestClient,
    chrome,
    local_config,
    team_config,
)


@pytest.fixture()
def local_client(tmp_home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(local_config(tmp_home))) as client:
        client.get("/")  # sets the CSRF cookie
        yield client


@pytest.fixture()
def live_local(tmp_home: Path) -> Iterator[LiveServer]:
    with LiveServer(local_config(tmp_home)) as server:
        yield server


@pytest.fixture()
def browser() -> Iterator[Any]:
    """A desktop-sized Russian Chromium."""
    extra = ("--disable-background-networking", "--disable-component-update", "--window-size=1440,1000")
    with chrome(*extra, "--lang=ru") as driver:
        yield driver


# -- team mode ------------------------------------------------------------------------
@pytest.fixture()
def pg_url_schema() -> Iterator[str]:
    """A PostgreSQL URL in a fresh schema, dropped afterwards."""
    with pg_schema("cg_web_") as url:
        yield url


@pytest.fixture(scope="session")
def test_redis() -> Iterator[TestRedis]:
    """This process's own Redis database (each xdist worker is a process), released at the end."""
    try:
        held = TestRedis.from_env()
    except ClaimError as exc:
        pytest.fail(str(exc))
    yield held
    with suppress(Exception):  # Redis gone by now: the claim lapses on its own
        held.release()


@pytest.fixture()
def redis_ok(test_redis: TestRedis) -> str:
    """The URL of a Redis database only this process uses, flushed for the test.

    Flushing is safe only because the database is claimed (``tests/redis_claim.py``):
    another run or xdist worker never holds the same one.
    """
    try:
        import redis

        url = test_redis.url()
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
        client.flushdb()
        client.close()
    except ClaimError as exc:
        skip_or_fail(str(exc))
    except Exception as exc:
        skip_or_fail(f"Redis not reachable at {test_redis.server} ({type(exc).__name__})")
    return url


@pytest.fixture()
def team_db(pg_url_schema: str) -> Iterator[dict[str, Any]]:
    """Client A; owner ``olga``, specialists ``ivan`` (granted client A) and ``petr`` (nothing)."""
    with open_store(pg_url_schema) as store:
        store.import_paths([SAMPLE_CHAT], client="Клиент А")
        add_user(store, "olga", "owner", PASSWORD)
        add_user(store, "ivan", "specialist", PASSWORD)
        add_user(store, "petr", "specialist", PASSWORD)
        grant(store, "ivan", "Клиент А")
        cid = store.clients()[0].id
    yield {"url": pg_url_schema, "client_id": cid}


@pytest.fixture()
def team_client(team_db: dict[str, Any], redis_ok: str, tmp_path: Path) -> Iterator[TestClient]:
    """The app in team mode on ``team_db`` and Redis, nobody signed in."""
    with TestClient(create_app(team_config(tmp_path, team_db["url"], redis_ok))) as client:
        yield client
