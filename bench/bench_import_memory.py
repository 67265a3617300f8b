"""Peak memory of importing a 1,000,000-message Telegram JSON export into SQLite.

Run: python bench/bench_import_memory.py [--messages N]
The import runs in a child process (so generating the file does not count) and its peak
RSS is read from ``resource.getrusage(RUSAGE_CHILDREN)``. Target: < 400 MB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIMIT_MB = 400


def child(export: Path, db: Path) -> None:
    """The measured process: open a fresh store and import, nothing else."""
    from clientguard.store import open_store

    start = time.perf_counter()
    with open_store(f"sqlite:///{db}") as store:
        summary = store.import_paths([export], me=["user555666777"])
    elapsed = time.perf_counter() - start
    print(
        f"imported {summary.messages_added:,} messages + {summary.events_added:,} events in {elapsed:.1f} s "
        f"({(summary.messages_added + summary.events_added) / elapsed:,.0f}/s)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--child", nargs=2, type=Path, metavar=("EXPORT", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    sys.path.insert(0, str(HERE))
    from gen_telegram import generate

    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        start = time.perf_counter()
        export = generate(tmp / "result.json", args.messages, seed=2)
        print(
            f"generated {args.messages:,} messages, {export.stat().st_size / 1e6:.0f} MB "
            f"in {time.perf_counter() - start:.0f} s"
        )
        subprocess.run(
            [sys.executable, __file__, "--child", str(export), str(tmp / "db.sqlite3")], check=True
        )
        db_mb = (tmp / "db.sqlite3").stat().st_size / 1e6
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = usage.ru_maxrss / 1024  # KiB on Linux
    print(f"database: {db_mb:.0f} MB; CPU of the import: {usage.ru_utime + usage.ru_stime:.0f} s")
    print(
        f"peak RSS of the import: {peak_mb:.0f} MB (limit {LIMIT_MB} MB): "
        f"{'OK' if peak_mb < LIMIT_MB else 'OVER'}"
    )


if __name__ == "__main__":
    main()
