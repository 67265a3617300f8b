"""``clientguard worker [--workers N] [--burst]``: run background imports from the Redis queue."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker(
        workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes.")] = 2,
        burst: Annotated[bool, typer.Option("--burst", help="Exit when the queues are empty.")] = False,
    ) -> None:
        """Run rq workers importing dashboard uploads (team mode: uploads wait for one; CLIENTGUARD_REDIS)."""
        from clientguard.web.jobs import QUEUE_NAME, WARM_QUEUE, safe_redis_url
        from clientguard.web.settings import get
        from clientguard.web.worker import check_redis, run_workers

        url = get("redis")
        check_redis(url)  # one clear line, not a traceback per worker process (QA7)
        # Said once at start, like `serve`: the workers log only warnings after it.
        typer.echo(f"clientguard: {workers} worker(s) on {safe_redis_url(url)}, "
                   f"queues {QUEUE_NAME!r}, then {WARM_QUEUE!r}")
        run_workers(url, workers, burst)
