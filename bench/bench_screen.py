"""Speed of ``clientguard screen`` (cold and warm) and the dev-lead evaluation.

Cold: a fresh ``python -m clientguard screen … --json`` process per lead (imports, rule
files, the message-signal detector if installed), and a fresh process with the presale
rules only (what this package itself costs). Warm: the library call in one process
after a first screening. Then the dev-lead scores in the three modes. Run:

    python bench/bench_screen.py [LEADS_DIR]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = Path(os.environ.get("CLIENTGUARD_SHARED", ROOT.parent / "shared")) / "data" / "contracts" / "dev"


def _args(lead: Path) -> list[str]:
    args = ["--messages", str(lead / "messages.txt")]
    if (lead / "brief.md").is_file():
        args += ["--brief", str(lead / "brief.md")]
    return args


def cold(leads: list[Path]) -> list[float]:
    """Wall time of a whole CLI process per lead."""
    times = []
    for lead in leads:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "clientguard", "screen", *_args(lead), "--json"],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        times.append(time.perf_counter() - start)
    return times


def cold_rules_only(leads: list[Path]) -> list[float]:
    """Wall time of a fresh process screening one lead without the message-signal detector."""
    times = []
    for lead in leads:
        messages, brief = _paths(lead)
        code = (
            "from clientguard.presale.pipeline import screen_files; "
            f"screen_files({str(messages)!r}, {str(brief) if brief else None!r}, detector=False)"
        )
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return times


def warm(leads: list[Path], rounds: int = 5) -> tuple[float, list[float]]:
    """First in-process screening (loads everything), then per-lead times of later rounds."""
    from clientguard.presale.pipeline import screen_files

    start = time.perf_counter()
    screen_files(*_paths(leads[0]))
    first = time.perf_counter() - start
    times = []
    for _ in range(rounds):
        for lead in leads:
            start = time.perf_counter()
            screen_files(*_paths(lead))
            times.append(time.perf_counter() - start)
    return first, times


def _paths(lead: Path) -> tuple[Path, Path | None]:
    brief = lead / "brief.md"
    return lead / "messages.txt", brief if brief.is_file() else None


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    leads = sorted(p for p in folder.iterdir() if (p / "messages.txt").is_file())
    if not leads:
        sys.exit(f"no leads in {folder}")
    c = cold(leads)
    r = cold_rules_only(leads)
    first, w = warm(leads)
    print(f"leads: {len(leads)} in {folder}")
    print(f"cold CLI process (with detector): median {statistics.median(c):.3f} s, max {max(c):.3f} s")
    print(f"cold process, presale rules only: median {statistics.median(r):.3f} s, max {max(r):.3f} s")
    print(f"in-process first screening: {first:.3f} s")
    print(f"warm: median {statistics.median(w) * 1000:.1f} ms, max {max(w) * 1000:.1f} ms")

    from clientguard.presale.evaluate import evaluate_leads

    modes: tuple[tuple[str, dict[str, bool]], ...] = (
        ("oracle (gold signals)", {"oracle": True}),
        ("detector (clientguard.analyze_texts)", {}),
        ("rules only (no detector)", {"detector": False}),
    )
    for label, kwargs in modes:
        r = evaluate_leads(folder, **kwargs)
        print(
            f"{label:40s} decision accuracy {r.accuracy:.3f}  brief macro-F1 {r.macro_f1:.3f}  "
            f"red-flag F1 {r.flags.f1:.3f} (P {r.flags.precision:.3f} R {r.flags.recall:.3f})"
        )


if __name__ == "__main__":
    main()
