"""``clientguard worker``: rq workers that run the dashboard's background imports (team mode).

Several workers (``--workers N``, one process each) take jobs from the ``clientguard``
queue on Redis; each opens the database named in the job, so the server and workers
only share PostgreSQL, Redis and the upload directory.
"""

from __future__ import annotations

import multiprocessing


def work(redis_url: str, burst: bool = False) -> None:
    """Run one rq worker until stopped (or until the queue is empty with ``burst``)."""
    import redis
    from rq import Queue, Worker

    from clientguard.web.jobs import QUEUE_NAME

    conn = redis.Redis.from_url(redis_url)
    Worker([Queue(QUEUE_NAME, connection=conn)], connection=conn).work(burst=burst, logging_level="WARNING")


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
