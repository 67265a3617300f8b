"""The first portfolio after a big upload: computed in the request, or already by the job.

The job of an upload now computes the touched clients' profiles once the import is done
(``clientguard.web.jobs._warm_profiles``). This times, on a fresh SQLite store, the job
(import, then precompute) and the first portfolio a fresh server process builds next,
against the same portfolio when the job did not precompute (``--no-warm``: the previous
behaviour, the profile computed in the request).

Usage::

    python bench/bench_upload_warm.py --messages 100000 [--no-warm]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_telegram import generate

from clientguard.store import open_store
from clientguard.web import jobs
from clientguard.web.profiles import ProfileCache


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--no-warm", action="store_true", help="the job does not precompute (the old behaviour)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        upload = root / "uploads" / "job" / "result.json"
        upload.parent.mkdir(parents=True)
        generate(upload, args.messages, seed=1)
        url = f"sqlite:///{root / 'bench.sqlite3'}"
        cache_dir = root / "cache"
        if args.no_warm:
            jobs._warm_profiles = lambda *_a, **_k: None  # type: ignore[assignment]
        with open_store(url) as store:
            job = jobs.create_job(store, "chat", upload.name, "Клиент", None)
        t0 = time.perf_counter()
        jobs.run_job(job, url, str(upload), "chat", "Клиент", None, str(cache_dir))
        job_s = time.perf_counter() - t0
        with open_store(url) as store:
            t0 = time.perf_counter()
            rows = ProfileCache(store, cache_dir).portfolio()  # a fresh server process
            first = time.perf_counter() - t0
        mode = "job does not precompute" if args.no_warm else "job precomputes"
        print(f"{args.messages:,} messages, {mode}: job {job_s:.1f} s; "
              f"first portfolio {first * 1000:.0f} ms ({len(rows)} client)")


if __name__ == "__main__":
    main()
