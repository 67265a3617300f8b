"""Speed of ``clientguard screen`` (cold and warm) and the dev-lead evaluation.

Cold: a fresh ``python -m clientguard screen … --json`` process per lead (imports, rule
files, the message-signal detector if installed), and the same with ``--no-detector``
(what presale screening itself costs); wall and CPU time, since a loaded machine
inflates wall time only. Warm: the library call in one process
after a first screening. Then the dev-lead scores in the three modes. Run:

    python bench/bench_screen.py [LEADS_DIR]
"""

from __future__ import annotations

import os
import resource
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


def _child_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (CPU time is what a busy machine cannot inflate)."""
    cpu, start = _child_cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start, _child_cpu() - cpu


def cold(leads: list[Path]) -> list[tuple[float, float]]:
    """Wall and CPU time of a whole CLI process per lead."""
    return [_timed([sys.executable, "-m", "clientguard", "screen", *_args(lead), "--json"]) for lead in leads]


def cold_rules_only(leads: list[Path]) -> list[tuple[float, float]]:
    """Wall and CPU time of a fresh CLI process with ``--no-detector`` (presale rules only)."""
    return [
        _timed([sys.executable, "-m", "clientguard", "screen", *_args(lead), "--json", "--no-detector"])
        for lead in leads
    ]


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


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Speed of `clientguard screen` and the dev-lead scores.")
    parser.add_argument("leads_dir", nargs="?", type=Path, default=DEFAULT,
                        help=f"folder of lead folders (messages.txt, brief.md); default {DEFAULT}")
    folder = parser.parse_args(argv).leads_dir
    if not folder.is_dir():
        sys.exit(f"no such folder: {folder}")
    leads = sorted(p for p in folder.iterdir() if (p / "messages.txt").is_file())
    if not leads:
        sys.exit(f"no leads in {folder}")
    c = cold(leads)
    r = cold_rules_only(leads)
    first, w = warm(leads)
    print(f"leads: {len(leads)} in {folder}")
    for label, runs in (("cold CLI, with detector", c), ("cold CLI, --no-detector", r)):
        wall, cpu = [x[0] for x in runs], [x[1] for x in runs]
        print(
            f"{label}: wall median {statistics.median(wall):.3f} s (max {max(wall):.3f}), "
            f"CPU median {statistics.median(cpu):.3f} s (max {max(cpu):.3f})"
        )
    print(f"in-process first screening: {first:.3f} s")
    print(f"warm: median {statistics.median(w) * 1000:.1f} ms, max {max(w) * 1000:.1f} ms")

    from clientguard.presale.evaluate import evaluate_leads

    modes: tuple[tuple[str, dict[str, bool]], ...] = (
        ("oracle (gold signals)", {"oracle": True}),
        ("detector (clientguard.analyze_texts)", {}),
        ("rules only (no detector)", {"detector": False}),
    )
    for label, kwargs in modes:
        rep = evaluate_leads(folder, **kwargs)
        print(
            f"{label:40s} decision accuracy {rep.accuracy:.3f}  brief macro-F1 {rep.macro_f1:.3f}  "
            f"red-flag F1 {rep.flags.f1:.3f} (P {rep.flags.precision:.3f} R {rep.flags.recall:.3f})"
        )


if __name__ == "__main__":
    main()
