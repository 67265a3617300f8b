"""Each test process gets a Redis database of its own (``tests/redis_claim.py``).

Before, every run used database 15 and flushed it, so two runs at once (or two xdist
workers) wiped each other's rate-limit counters. These tests claim under a prefix of their
own, so they never disturb the claims of a real run on the same server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
from redis_claim import DEFAULT_SERVER, ClaimError, Claims, TestRedis, db_url, parse_dbs, split_url
from suite_helpers import ROOT, skip_or_fail

pytestmark = pytest.mark.redis
# The server of CLIENTGUARD_TEST_REDIS; which database it names does not matter here.
SERVER = split_url(os.environ.get("CLIENTGUARD_TEST_REDIS") or DEFAULT_SERVER)[0]


@pytest.fixture()
def prefix() -> Iterator[str]:
    """A claim namespace of this test only; its keys are deleted afterwards."""
    import redis

    name = f"clientguard:test-redis-claim-test:{uuid.uuid4().hex[:8]}:"
    client = redis.Redis.from_url(db_url(SERVER, 0), socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as exc:
        skip_or_fail(f"Redis not reachable at {SERVER} ({type(exc).__name__})")
    yield name
    for key in client.scan_iter(f"{name}*"):
        client.delete(key)
    client.close()


def test_two_claims_get_different_databases(prefix: str) -> None:
    claims = Claims(SERVER, prefix=prefix)
    first = claims.claim([8, 9, 10], "run-a")
    second = claims.claim([8, 9, 10], "run-b")
    assert (first, second) == (8, 9)
    assert claims.claim([8, 9], "run-c") is None  # both held: no sharing
    assert claims.holder(8) == "run-a"


def test_a_released_database_can_be_claimed_again(prefix: str) -> None:
    claims = Claims(SERVER, prefix=prefix)
    assert claims.claim([8], "run-a") == 8
    claims.release(8, "run-b")  # not run-b's claim: it stays
    assert claims.claim([8], "run-b") is None
    claims.release(8, "run-a")
    assert claims.claim([8], "run-b") == 8


def test_an_expired_claim_is_taken_over_and_its_old_holder_moves_on(prefix: str) -> None:
    short = Claims(SERVER, prefix=prefix, ttl_ms=50)
    assert short.claim([8, 9], "killed-run") == 8
    time.sleep(0.2)  # the killed run never renewed
    assert short.claim([8, 9], "run-b") == 8
    old = TestRedis(SERVER, [8, 9], prefix=prefix)
    old.db, old.token = 8, "killed-run"  # as if it came back after its claim lapsed
    assert old.url() == f"{SERVER}/9"  # another database, not run-b's


def test_a_held_claim_is_renewed_by_its_holder_only(prefix: str) -> None:
    claims = Claims(SERVER, prefix=prefix, ttl_ms=300)
    assert claims.hold(8, "run-a")
    time.sleep(0.2)
    assert claims.hold(8, "run-a")  # renewed for another 300 ms
    time.sleep(0.2)
    assert not claims.hold(8, "run-b")


def test_a_named_database_is_claimed_and_a_second_run_refused(prefix: str) -> None:
    first = TestRedis(f"{SERVER}/11", [8, 9], prefix=prefix)
    assert first.url() == f"{SERVER}/11"
    assert first.url() == f"{SERVER}/11"  # renewing, same database
    second = TestRedis(f"{SERVER}/11", [8, 9], prefix=prefix)
    with pytest.raises(ClaimError, match=r"database 11 .* in use by another test process"):
        second.url()
    ranged = TestRedis(SERVER, [11, 12], prefix=prefix)
    assert ranged.url() == f"{SERVER}/12"  # the default range skips 11
    first.release()
    assert second.url() == f"{SERVER}/11"


def test_processes_started_together_each_get_their_own_database(prefix: str) -> None:
    """Four processes claim at the same moment, as xdist workers or parallel runs do."""
    code = (
        "import sys; sys.path.insert(0, 'tests'); from redis_claim import TestRedis;"
        f"t = TestRedis({SERVER!r}, [8, 9, 10, 11], prefix={prefix!r}); print(t.url())"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    urls = sorted(p.communicate(timeout=60)[0].strip() for p in procs)
    assert urls == sorted(f"{SERVER}/{n}" for n in (8, 9, 10, 11))


@pytest.mark.parametrize(
    ("url", "server", "db"),
    [
        ("redis://127.0.0.1:6379/15", "redis://127.0.0.1:6379", 15),
        ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379", None),
        ("redis://127.0.0.1:6379/", "redis://127.0.0.1:6379", None),
        ("rediss://:pw@cache:6380/3?ssl_cert_reqs=none", "rediss://:pw@cache:6380?ssl_cert_reqs=none", 3),
        ("redis://h:6379/2?db=7", "redis://h:6379", 7),  # redis-py: ?db= wins over the path
        ("unix:///run/redis.sock?db=4", "unix:///run/redis.sock", 4),
    ],
)
def test_split_url(url: str, server: str, db: int | None) -> None:
    assert split_url(url) == (server, db)
    if db is not None:
        assert split_url(db_url(server, db)) == (server, db)


def test_bad_settings_are_named() -> None:
    assert parse_dbs("8-10, 14") == [8, 9, 10, 14]
    with pytest.raises(ClaimError, match="CLIENTGUARD_TEST_REDIS_DBS: expected numbers"):
        parse_dbs("eight")
    with pytest.raises(ClaimError, match="runs backwards"):
        parse_dbs("15-8")
    with pytest.raises(ClaimError, match="database 0 keeps the claims"):
        parse_dbs("0-3")
    with pytest.raises(ClaimError, match="database must be a number"):
        split_url("redis://h:6379/x")
    with pytest.raises(ClaimError, match="database 0 keeps the test runs' claims"):
        TestRedis("redis://h:6379/0", [8])
