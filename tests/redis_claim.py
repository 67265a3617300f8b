"""A Redis database of its own for every test process, claimed atomically on a shared server.

Why: the team-mode tests flush their Redis database before each test (rate-limit counters,
the upload queue). When two runs shared one fixed database (``.ci/run`` beside ``make test``,
two clones, the workers of ``pytest -n 2``), one run's flush wiped the other's counters and
queue, and ``test_login_is_rate_limited`` saw 401 where 429 was due.

How: a process claims a database number from a range (``CLIENTGUARD_TEST_REDIS_DBS``,
default ``8-15``) by ``SET <prefix><db> <token> NX PX <ttl>`` in database :data:`CLAIM_DB`,
which no test ever flushes. The claim lapses after :data:`TTL_MS` unless renewed; every use
renews it (:meth:`Claims.hold`), and the session releases it at the end, so a killed run
blocks its database for at most the TTL. A use that finds its claim lapsed and taken over
claims another database instead of sharing one.

An explicit ``CLIENTGUARD_TEST_REDIS`` is honoured: with a database number
(``redis://host:6379/9``) that database is used and claimed, so a run on the default range
never takes it, and a second run given the same number is refused with the holder named;
without one (``redis://host:6379``) the server is used and a database claimed from the range.
Import it as ``redis_claim`` (``tests/`` is on ``sys.path`` through the root conftest).
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

DEFAULT_SERVER = "redis://127.0.0.1:6379"
DEFAULT_DBS = "8-15"
CLAIM_DB = 0  # where claims live; never in the range, never flushed by a test
CLAIM_PREFIX = "clientguard:test-redis-claim:"
TTL_MS = 15 * 60 * 1000

# Claim a free database or renew our own, in one step (no other client can act in between).
_HOLD = """
local v = redis.call('GET', KEYS[1])
if v == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""
# Release only our own claim: a lapsed claim another run has taken stays theirs.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class ClaimError(Exception):
    """Why no database could be had, in one line for pytest's skip/fail reason."""


def split_url(url: str) -> tuple[str, int | None]:
    """``(server URL without a database, database number or None)``.

    redis-py reads the database from ``?db=N`` first, then from the path (``/N``) of a
    ``redis://``/``rediss://`` URL; a ``unix://`` URL's path is the socket.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    db_text = next((v for k, v in query if k == "db"), None)
    path = parts.path
    if parts.scheme in ("redis", "rediss"):
        if db_text is None and path.strip("/"):
            db_text = path.strip("/")
        path = ""
    rest = urlencode([(k, v) for k, v in query if k != "db"])
    server = f"{parts.scheme}://{parts.netloc}{path}" + (f"?{rest}" if rest else "")
    if db_text is None:
        return server, None
    if not db_text.isdigit():
        raise ClaimError(f"Redis URL {url!r}: the database must be a number, got {db_text!r}")
    return server, int(db_text)


def db_url(server: str, db: int) -> str:
    """The URL of database ``db`` on ``server`` (a URL from :func:`split_url`)."""
    parts = urlsplit(server)
    if parts.scheme in ("redis", "rediss"):
        return f"{parts.scheme}://{parts.netloc}/{db}" + (f"?{parts.query}" if parts.query else "")
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), ("db", str(db))])
    return f"{parts.scheme}://{parts.netloc}{parts.path}?{query}"


def parse_dbs(text: str) -> list[int]:
    """``"8-15"`` or ``"3,5,7"`` (or both mixed) as database numbers, :data:`CLAIM_DB` refused."""
    dbs: list[int] = []
    for piece in text.replace(" ", "").split(","):
        low, sep, high = piece.partition("-")
        if not low.isdigit() or (sep and not high.isdigit()):
            raise ClaimError(f"CLIENTGUARD_TEST_REDIS_DBS: expected numbers like 8-15 or 8,9, got {text!r}")
        first, last = int(low), int(high) if sep else int(low)
        if first > last:
            raise ClaimError(f"CLIENTGUARD_TEST_REDIS_DBS: the range {piece!r} runs backwards")
        dbs.extend(n for n in range(first, last + 1) if n not in dbs)
    if CLAIM_DB in dbs:
        raise ClaimError(f"CLIENTGUARD_TEST_REDIS_DBS: database {CLAIM_DB} keeps the claims; leave it out")
    return dbs


def new_token() -> str:
    """Who holds a claim, readable in a refusal: host, pid, xdist worker and a random tail."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{socket.gethostname()}:{os.getpid()}:{worker}:{uuid.uuid4().hex[:8]}"


class Claims:
    """Claims of database numbers on one Redis server (kept in :data:`CLAIM_DB`)."""

    def __init__(self, server: str, *, prefix: str = CLAIM_PREFIX, ttl_ms: int = TTL_MS) -> None:
        import redis

        self.server = server
        self.prefix = prefix
        self.ttl_ms = ttl_ms
        self._redis: Any = redis.Redis.from_url(db_url(server, CLAIM_DB), socket_connect_timeout=2)
        self._hold = self._redis.register_script(_HOLD)
        self._release = self._redis.register_script(_RELEASE)

    def hold(self, db: int, token: str) -> bool:
        """Claim ``db`` for ``token`` or renew ``token``'s claim; False when another holds it."""
        return bool(self._hold(keys=[f"{self.prefix}{db}"], args=[token, self.ttl_ms]))

    def claim(self, dbs: list[int], token: str) -> int | None:
        """The first database of ``dbs`` free for ``token`` (now claimed), None when all are held."""
        return next((db for db in dbs if self.hold(db, token)), None)

    def release(self, db: int, token: str) -> None:
        self._release(keys=[f"{self.prefix}{db}"], args=[token])

    def holder(self, db: int) -> str | None:
        value = self._redis.get(f"{self.prefix}{db}")
        return None if value is None else bytes(value).decode()

    def close(self) -> None:
        self._redis.close()


@dataclass
class TestRedis:
    """This process's Redis database: :meth:`url` before each use, :meth:`release` at the end.

    ``configured`` is ``CLIENTGUARD_TEST_REDIS`` (None: :data:`DEFAULT_SERVER`); ``dbs`` the
    range to claim from when it names no database.
    """

    configured: str | None
    dbs: list[int]
    prefix: str = CLAIM_PREFIX
    ttl_ms: int = TTL_MS

    __test__ = False  # a helper, not a test class

    def __post_init__(self) -> None:
        self.server, self.fixed = split_url(self.configured or DEFAULT_SERVER)
        if self.fixed == CLAIM_DB:
            raise ClaimError(
                f"CLIENTGUARD_TEST_REDIS={self.configured}: database {CLAIM_DB} keeps the test runs' claims "
                "and tests flush theirs; name another database"
            )
        self.token = new_token()
        self.db: int | None = None
        self._claims: Claims | None = None

    @classmethod
    def from_env(cls) -> TestRedis:
        return cls(
            os.environ.get("CLIENTGUARD_TEST_REDIS") or None,
            parse_dbs(os.environ.get("CLIENTGUARD_TEST_REDIS_DBS", DEFAULT_DBS)),
        )

    def url(self) -> str:
        """The URL of a database this process holds now (claimed or renewed for another TTL)."""
        if self._claims is None:
            self._claims = Claims(self.server, prefix=self.prefix, ttl_ms=self.ttl_ms)
        claims = self._claims
        if self.db is not None and claims.hold(self.db, self.token):
            return db_url(self.server, self.db)
        if self.fixed is not None:
            if not claims.hold(self.fixed, self.token):
                raise ClaimError(
                    f"Redis database {self.fixed} at {self.server} is in use by another test process "
                    f"({claims.holder(self.fixed)}); give this run another database in "
                    "CLIENTGUARD_TEST_REDIS, or none (redis://host:port) to claim a free one "
                    "(needed for pytest -n)"
                )
            self.db = self.fixed
        else:
            self.db = claims.claim(self.dbs, self.token)
            if self.db is None:
                shown = ", ".join(f"{db}: {claims.holder(db)}" for db in self.dbs)
                raise ClaimError(
                    f"every Redis database in CLIENTGUARD_TEST_REDIS_DBS at {self.server} is in use "
                    f"by another test process ({shown}); widen the range or wait"
                )
        return db_url(self.server, self.db)

    def release(self) -> None:
        if self._claims is not None:
            if self.db is not None:
                self._claims.release(self.db, self.token)
            self._claims.close()
        self.db = None
        self._claims = None
