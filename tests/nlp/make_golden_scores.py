"""Rewrite ``tests/fixtures/nlp/golden_scores.jsonl`` after the statistical model is retrained.

The scores come from the per-message implementation (``predict_one``), the reference the
vectorised batch path is checked against. Run from the repository root:
``python tests/nlp/make_golden_scores.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from clientguard.nlp.api import message_view
from clientguard.nlp.statmodel import load_model

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "nlp" / "golden_scores.jsonl"


def main() -> None:
    model = load_model()
    if model is None:
        raise SystemExit("no statistical model artifact")
    out = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        g["stat"] = dict(sorted(model.predict_one(*message_view(g["text"], g["lang"])).items()))
        out.append(json.dumps(g, ensure_ascii=False))
    GOLDEN.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} rows to {GOLDEN}")


if __name__ == "__main__":
    main()
