"""``clients rename|merge|forget`` on a big client: how long each takes, and ``verify`` after.

Run: python bench/bench_client_lifecycle.py [--messages 50000] [--db URL]

Imports a generated Telegram export (``gen_telegram.py``) as client B and the bundled
sample chat as A, then times, through :mod:`clientguard.store.lifecycle` (what the CLI
calls): renaming B, merging it into A (which verifies B's log first, then moves its chat
and hands its records over, in one transaction), ``evidence verify`` of every client,
forgetting A (every row deleted, the chain's payloads removed, an ``erased`` record) and
``verify`` again. Wall and CPU time of each (the machine is shared: CPU is steadier).
A fresh SQLite file unless ``--db`` names another (empty) database.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_telegram import generate

from clientguard.evidence.verify import client_ids, verify_client
from clientguard.store import Store, lifecycle, open_store

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample_chat.json"


def timed(label: str, step: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    out = step()
    print(f"{label}: wall {time.perf_counter() - wall:.2f} s, cpu {time.process_time() - cpu:.2f} s")
    return out


def verify_all(store: Store) -> list[bool]:
    with store.engine.connect() as conn:
        return [verify_client(conn, cid).ok for cid in client_ids(conn)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--messages", type=int, default=50_000)
    ap.add_argument("--db", default=None, help="an empty database (default: a fresh SQLite file)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        export = generate(tmp / "result.json", args.messages, seed=1)
        with open_store(args.db or f"sqlite:///{tmp / 'bench.sqlite3'}") as store:
            timed(f"import {args.messages:,} messages as B", lambda: store.import_paths([export], client="B"))
            store.import_paths([SAMPLE], client="A")
            timed("rename B", lambda: lifecycle.rename(store, "B", "B2"))
            timed("merge B2 into A (B2's log verified first)", lambda: lifecycle.merge(store, "B2", "A"))
            assert all(timed("verify every client", lambda: verify_all(store)))
            timed("forget A", lambda: lifecycle.forget(store, "A", "bench"))
            assert all(timed("verify every client", lambda: verify_all(store)))
    with open("/proc/loadavg") as f:
        print("load average:", f.read().split()[:3])


if __name__ == "__main__":
    main()
