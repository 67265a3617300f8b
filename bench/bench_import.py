"""Import speed: a generated 100,000-message Telegram JSON export into a fresh SQLite file.

Run: python bench/bench_import.py [--messages N] [--repeat R] [--pipeline]

Prints, best of R runs each: a bare ``json.load`` of the file, the importer alone
(``read_path`` iterated, nothing stored), the import without after-import hooks, and the
import end to end (open + migrate + parse + roles + insert + evidence hook + commit), as
wall and CPU seconds, messages/s, the ratio end to end / json.load and what the hooks add. Target: >= 50,000
messages/s end to end. The box is shared: CPU time is the steadier figure. ``--pipeline``
writes message chunks from a helper thread (``importer.PIPELINE``); it can only pay off
when a second core is idle.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_telegram import generate

from clientguard.ingest import read_path
from clientguard.ingest.base import ReadContext
from clientguard.store import hooks, importer, open_store

ME = "user555666777"  # the specialist in gen_telegram's chats


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    runs = [timed(fn) for _ in range(repeat)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3, help="best of R runs, each into a fresh database")
    ap.add_argument("--pipeline", action="store_true", help="write chunks from a helper thread")
    args = ap.parse_args()
    importer.PIPELINE = args.pipeline
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        export = generate(tmp / "result.json", args.messages, seed=1)
        size_mb = export.stat().st_size / 1e6
        counter = iter(range(1_000_000))

        def load() -> None:
            with export.open("rb") as fh:
                json.load(fh)

        def parse() -> None:
            for parsed in read_path(export, ReadContext()):
                for _ in parsed.items:
                    pass

        def import_() -> None:
            with open_store(f"sqlite:///{tmp / f'db{next(counter)}.sqlite3'}") as store:
                summary = store.import_paths([export], me=[ME])
            assert summary.messages_added + summary.events_added == args.messages

        def import_no_hooks() -> None:
            saved = hooks.DEFAULT_AFTER_IMPORT, hooks.DEFAULT_AFTER_IMPORT_EVENTS
            hooks.DEFAULT_AFTER_IMPORT = hooks.DEFAULT_AFTER_IMPORT_EVENTS = ()
            try:
                import_()
            finally:
                hooks.DEFAULT_AFTER_IMPORT, hooks.DEFAULT_AFTER_IMPORT_EVENTS = saved

        rows = [
            ("json.load (bare)", best(load, args.repeat)),
            ("importer only (read_path)", best(parse, args.repeat)),
            ("import, no after-import hooks", best(import_no_hooks, args.repeat)),
            ("import end to end", best(import_, args.repeat)),
        ]
    n = args.messages
    print(f"file: {n:,} records (messages + service events), {size_mb:.1f} MB")
    for name, (wall, cpu) in rows:
        print(f"{name:<32} wall {wall:6.3f} s = {n / wall:>9,.0f}/s   cpu {cpu:6.3f} s = {n / cpu:>9,.0f}/s")
    (lw, lc), (nw, nc), (ew, ec) = rows[0][1], rows[2][1], rows[-1][1]
    print(f"ratio end to end / json.load: wall {ew / lw:.2f}x, cpu {ec / lc:.2f}x")
    print(
        f"after-import hooks (evidence) cost: wall {100 * (ew / nw - 1):+.1f} %, "
        f"cpu {100 * (ec / nc - 1):+.1f} %"
    )
    print(f"target >= 50,000 msg/s end to end (wall): {'OK' if n / ew >= 50_000 else 'MISSED'}")


if __name__ == "__main__":
    main()
