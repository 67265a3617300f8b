"""``clientguard worker [--workers N] [--burst]``: run background imports from the Redis queue."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker(
        workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes.")] = 2,
        burst: Annotated[bool, typer.Option("--burst", help="Exit when the queue is empty.")] = False,
    ) -> None:
        """Run rq workers for the dashboard's big imports (team mode; Redis from CLIENTGUARD_REDIS)."""
        from clientguard.web.settings import get
        from clientguard.web.worker import run_workers

        run_workers(get("redis"), workers, burst)
