"""The helper-written positive phrasings that only rules capped by ``rules/weight_caps.yaml`` catch.

The rule-family tests leave them out; ``test_rule_precision.py`` checks that each still
fires with the caps off, so none is dropped silently.
"""

from __future__ import annotations

import json
from pathlib import Path

CAPPED_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "nlp" / "capped_cases.jsonl"
CAPPED_CASES: list[dict[str, str]] = [
    json.loads(line) for line in CAPPED_FILE.read_text(encoding="utf-8").splitlines() if line.strip()
]
CAPPED: frozenset[tuple[str, str]] = frozenset((c["text"], c["signal"]) for c in CAPPED_CASES)
