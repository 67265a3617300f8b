"""``clientguard signals`` end to end on a long JSONL file: throughput and peak memory.

Why: the issue asks for a batch form that is fast on millions of messages; the figure
that matters to a user is the whole command (two passes over the file, JSON in and out,
batches of 512), and its memory must not grow with the input. The input is the labelled
fixture texts (no ``../shared`` needed), repeated with fresh ids up to ``--messages``;
each size runs in a fresh process, so peak RSS per size shows whether memory is flat.

Usage::

    taskset -c 0 python bench/bench_signals_cli.py [--messages 50000 200000] [--stdin]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "nlp"


def fixture_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(FIXTURES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line).get("text")
                if isinstance(text, str):
                    texts.append(text)
    return texts


def write_input(path: Path, n: int, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": i, "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n")


def run(inp: Path, out: Path, stdin: bool) -> tuple[float, float]:
    """Wall seconds and the child's peak RSS (MB) of one ``clientguard signals`` run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    src = "-" if stdin else str(inp)
    cmd = [sys.executable, "-m", "clientguard", "signals", "--in", src, "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    if stdin:
        with inp.open("rb") as fh:
            subprocess.run(cmd, stdin=fh, env=env, check=True, cwd=inp.parent)
    else:  # cwd away from any checkout: ``-m`` puts the cwd first on sys.path
        subprocess.run(cmd, env=env, check=True, cwd=inp.parent)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, nargs="+", default=[50_000, 200_000])
    ap.add_argument("--stdin", action="store_true", help="feed the file on standard input (spooled)")
    args = ap.parse_args(argv)
    texts = fixture_texts()
    print(f"{len(texts)} distinct fixture texts, repeated with fresh ids")
    for n in sorted(args.messages):  # ascending: RUSAGE_CHILDREN keeps the maximum so far
        with tempfile.TemporaryDirectory(prefix="cg_bench_cli_") as tmp:
            inp, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
            write_input(inp, n, texts)
            wall, rss = run(inp, out, args.stdin)
            lines = sum(1 for _ in out.open("rb"))
            assert lines == n, f"{lines} output lines for {n} messages"
            print(f"{n:>9,} messages: {wall:6.1f} s, {n / wall:7,.0f} msg/s (incl. start-up), "
                  f"peak RSS {rss:5.0f} MB{' (stdin)' if args.stdin else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
