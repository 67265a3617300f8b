"""Parse speed of the importers alone (no store): messages per second, wall and CPU.

Why CPU time too: the benchmark machine is shared, and wall time swings with its load;
CPU time of this process is what the parser itself costs.

Usage::

    python bench/bench_parse.py [--messages 100000] [--full-account] [--keep PATH]
    python bench/bench_parse.py --file some_export.json
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_telegram import generate

from clientguard.ingest import ReadContext, read_path


def measure(path: Path) -> tuple[int, float, float]:
    """(items, wall seconds, CPU seconds) for reading every item of ``path``."""
    wall, cpu = time.perf_counter(), time.process_time()
    n = 0
    for pc in read_path(path, ReadContext()):
        for _ in pc.items:
            n += 1
    return n, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> None:
    """Generate (or take) a file, read it, print the rates."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--full-account", action="store_true")
    ap.add_argument("--file", type=Path, help="read this export instead of generating one")
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file or generate(Path(tmp) / "result.json", args.messages, args.seed, args.full_account)
        size = path.stat().st_size
        best = min((measure(path) for _ in range(args.repeat)), key=lambda r: r[2])
    n, wall, cpu = best
    print(f"{path.name}: {n:,} items, {size / 2**20:.1f} MiB")
    print(f"wall {wall:.2f}s = {n / wall:,.0f} msg/s; cpu {cpu:.2f}s = {n / cpu:,.0f} msg/s"
          f" (best of {args.repeat})")


if __name__ == "__main__":
    main()
