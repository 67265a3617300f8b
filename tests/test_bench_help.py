"""Every benchmark the README names answers ``--help`` (README walk-through: ``bench_screen.py --help``
took '--help' for the leads folder and ended in a FileNotFoundError traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py") if p.name.startswith(("bench_", "eval_", "baseline_")))


@pytest.mark.parametrize("name", SCRIPTS)
def test_bench_script_answers_help(name: str) -> None:
    run = subprocess.run(
        [sys.executable, str(BENCH / name), "--help"], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "usage" in run.stdout.lower(), run.stdout[:500]
    assert "Traceback" not in run.stderr
