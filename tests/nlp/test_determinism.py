"""Analyses must not depend on the interpreter's hash seed.

Evidence spans are what a user quotes in a dispute; if two runs of the same command
picked different spans for the same message (set iteration order varies with
``PYTHONHASHSEED``), the report would change between runs for no reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nlp"

_SCRIPT = """
import json, sys
from clientguard.nlp.api import analyze_texts
rows = [json.loads(l) for l in sys.stdin if l.strip()]
out = analyze_texts([r["text"] for r in rows], [r.get("lang") for r in rows])
for a in out:
    print(json.dumps({"labels": list(a.labels), "scores": a.scores,
                      "evidence": {k: [[e.start, e.end, e.rule] for e in v] for k, v in a.evidence.items()}},
                     sort_keys=True, ensure_ascii=False))
"""


def _run(seed: str, lines: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "CLIENTGUARD_RULES_CACHE": "off"}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], input=lines, capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def test_same_output_under_different_hash_seeds() -> None:
    lines = "".join(
        p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("holdout*.jsonl"))
    )
    assert lines.count("\n") > 300
    first = _run("0", lines)
    assert first.count("\n") == len([x for x in lines.splitlines() if x.strip()])
    assert any(json.loads(x)["evidence"] for x in first.splitlines())
    assert _run("1", lines) == first
    assert _run("12345", lines) == first
