"""Long and odd single messages: analysis time must grow in proportion to length.

Why: a pasted log, a table of dashes or a prank ("п.и.з.д.е.ц" repeated) arrives as one
message, and one quadratic step turns an import into a hang (a 96k-char dotted run took
30 s before the eighth session). Each shape is analysed at two sizes, 4x apart; the
``growth`` column is (time ratio) / (length ratio): about 1 is linear, about 4 quadratic.

Usage::

    taskset -c 0 python bench/bench_long_messages.py [--base 2000]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clientguard.nlp.api import analyze_text  # noqa: E402

SHAPES: dict[str, Callable[[int], str]] = {
    "dotted letters п.и.з.д.е.ц…": lambda n: ".".join("пиздец" * n),
    "dashed letters б-л-я-д-ь…": lambda n: "-".join("блядь" * n),
    "spaced letters а а а …": lambda n: "а " * (n * 3),
    "spaced mat п и з д е ц …": lambda n: " ".join("пиздец" * n),
    "masks х*йх*й…": lambda n: "х*й" * (n * 2),
    "digits 1,1,1…": lambda n: ",".join(["1"] * (n * 3)),
    "Latin dots a.a.a…": lambda n: "a." * (n * 3),
    "stretched срочнооо…": lambda n: "срочно" + "о" * (n * 6),
    "questions где?? …": lambda n: "где?? " * n,
    "times к 23:00 …": lambda n: "к 23:00 " * n,
    "no spaces оплатим,скидку,…": lambda n: "оплатим,скидку," * n,
    "mixed scripts пиzдец оплатиm …": lambda n: "пиzдец оплатиm " * n,
    "English words": lambda n: "we will pay next week asap, redo, discount 10% " * (n // 4),
    "negations не не …": lambda n: "не " * (n * 3),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", type=int, default=2000, help="size parameter of the smaller text")
    args = ap.parse_args(argv)
    analyze_text("прогрев")  # load rules and models outside the timing
    print(f"{'shape':32} {'chars':>8} {'time':>8} {'chars':>8} {'time':>8} {'growth':>7}")
    worst = 0.0
    for name, make in SHAPES.items():
        runs = []
        for n in (args.base, 4 * args.base):
            text = make(n)
            t0 = time.perf_counter()
            analyze_text(text)
            runs.append((len(text), time.perf_counter() - t0))
        (c1, t1), (c2, t2) = runs
        growth = (t2 / t1) / (c2 / c1)
        worst = max(worst, growth)
        print(f"{name:32} {c1:8,} {t1:7.3f}s {c2:8,} {t2:7.3f}s {growth:7.2f}")
    print(f"\nworst growth {worst:.2f} (1 = linear, 4 = quadratic)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
