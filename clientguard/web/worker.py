"""``clientguard worker``: rq workers that run the dashboard's background imports (team mode).

Several workers (``--workers N``, one process each) take jobs from the ``clientguard``
queue on Redis (uploads) and, when no upload waits, from ``clientguard-profiles`` (the
profiles an upload touched, computed ahead for the pages); each opens the database named
in the job, so the server and workers only share PostgreSQL, Redis and the upload directory.
"""

from __future__ import annotations

import multiprocessing
from typing import Any

from clientguard.web.jobs import safe_redis_url


def check_redis(redis_url: str) -> None:
    """One clear line (E200) when the queue's Redis is unusable, before any worker starts.

    QA7: ``clientguard worker`` with Redis down or a mistyped ``CLIENTGUARD_REDIS`` printed
    a redis-py traceback from every worker process instead of saying what to fix.
    """
    import redis
    from redis.exceptions import RedisError

    from clientguard.errors import ConfigError, msg
    from clientguard.reasons import told

    shown = safe_redis_url(redis_url)
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except ValueError as exc:  # the URL itself: no scheme, a bad port, …
        raise ConfigError(msg("settings.redis_url", url=shown, error=told(exc, "redis"))) from None
    except RedisError as exc:
        raise ConfigError(msg("settings.redis_down", url=shown, error=told(exc, "redis"))) from None


def queues(conn: Any) -> list[Any]:
    """The queues a worker serves, in rq's order of preference: uploads first."""
    from rq import Queue

    from clientguard.web.jobs import QUEUE_NAME, WARM_QUEUE

    return [Queue(QUEUE_NAME, connection=conn), Queue(WARM_QUEUE, connection=conn)]


def work(redis_url: str, burst: bool = False) -> None:
    """Run one rq worker until stopped (or until the queues are empty with ``burst``)."""
    import redis
    from rq import Worker

    conn = redis.Redis.from_url(redis_url)
    Worker(queues(conn), connection=conn).work(burst=burst, logging_level="WARNING")


def run_workers(redis_url: str, count: int, burst: bool = False) -> None:
    """Start ``count`` worker processes and wait for them."""
    if count <= 1:
        work(redis_url, burst)
        return
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=work, args=(redis_url, burst), daemon=False) for _ in range(count)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
