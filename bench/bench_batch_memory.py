"""Peak memory and speed of the Python batch forms on many messages.

``analyze_texts(list)`` returns every result at once, so its memory must grow only with
the results it returns, never with per-pass work arrays; ``iter_analyze(iterable)``
yields as it goes, so its memory must stay flat. Each (form, size) runs in a fresh
process over the labelled fixture texts repeated to size (no ``../shared`` needed).

Usage::

    taskset -c 0 python bench/bench_batch_memory.py [--messages 20000 100000] [--forms list iter]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import json, resource, sys, time
from pathlib import Path
import clientguard
form, n = sys.argv[1], int(sys.argv[2])
texts = []
for p in sorted(Path(sys.argv[3]).glob("*.jsonl")):
    for line in p.read_text(encoding="utf-8").splitlines():
        if line.strip():
            t = json.loads(line).get("text")
            if isinstance(t, str):
                texts.append(t)
clientguard.analyze_text("прогрев")
gen = (texts[i % len(texts)] for i in range(n))
t0 = time.perf_counter()
if form == "list":
    labelled = sum(1 for a in clientguard.analyze_texts(list(gen)) if a.labels)
else:
    labelled = sum(1 for a in clientguard.iter_analyze(gen) if a.labels)
wall = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall": wall, "rss_mb": rss, "labelled": labelled}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, nargs="+", default=[20_000, 100_000])
    ap.add_argument("--forms", nargs="+", default=["list", "iter"], choices=["list", "iter"])
    args = ap.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    fixtures = ROOT / "tests" / "fixtures" / "nlp"
    for form in args.forms:
        for n in args.messages:
            out = subprocess.run([sys.executable, "-c", _CHILD, form, str(n), str(fixtures)], env=env,
                                 cwd=fixtures, check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            name = "analyze_texts(list)" if form == "list" else "iter_analyze(generator)"
            print(f"{name:24} {n:>9,} messages: {r['wall']:6.1f} s, {n / r['wall']:6,.0f} msg/s, "
                  f"peak RSS {r['rss_mb']:5.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
