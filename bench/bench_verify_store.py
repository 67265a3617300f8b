"""`evidence verify` as a user runs it: a 1,000,000-message client, chain AND store cross-check.

Run: python bench/bench_verify_store.py [--messages N]

``bench_evidence.py`` times the hash chain alone over generated records; this one imports a
generated Telegram export (the evidence hook on, as in real use), then times
``verify_client`` with the cross-check that re-hashes every stored message and compares it
with the log (what catches an edit made in the database after import), and without it.
Target: ≤ 10 s for 1,000,000.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_telegram import generate

from clientguard.evidence.verify import client_ids, verify_client
from clientguard.store import open_store

ME = "user555666777"  # the specialist in gen_telegram's chats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--messages", type=int, default=1_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        export = generate(tmp / "result.json", args.messages, seed=1)
        url = f"sqlite:///{tmp / 'db.sqlite3'}"
        t0 = time.perf_counter()
        with open_store(url) as store:
            store.import_paths([export], me=[ME])
        print(f"imported {args.messages:,} records in {time.perf_counter() - t0:.1f} s")
        with open_store(url) as store, store.engine.connect() as conn:
            for cross in (True, False):
                wall, cpu = time.perf_counter(), time.process_time()
                reports = [verify_client(conn, cid, cross_check=cross) for cid in client_ids(conn)]
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                records = sum(r.records for r in reports)
                messages = sum(r.messages for r in reports)
                ok = all(r.ok for r in reports)
                what = "chain + store cross-check" if cross else "chain only"
                verdict = "OK" if wall <= 10 * args.messages / 1_000_000 else "MISSED"
                print(
                    f"verify ({what}): {records:,} records"
                    + (f" covering {messages:,} messages" if cross else "")
                    + ", "
                    f"{'all verified' if ok else 'PROBLEMS'}; wall {wall:.2f} s, cpu {cpu:.2f} s"
                    + (f" -> target <= 10 s per 1M: {verdict}" if cross else "")
                )


if __name__ == "__main__":
    main()
