"""How well two readers agree on chat message labels, beside how well clientguard does.

Run::

    python bench/eval_agreement.py

Why: on held-out chats from a new writer clientguard's message micro-F1 is 0.59-0.70. If
two careful readers agreed no better, the gap would be label noise and no detector could
close it. ``tests/fixtures/tune_sets/second_reader`` holds a second, blind reading of the
s14 and s16 tuning chats; this prints micro-F1 (P, R) of reader 2 against gold, of
clientguard against gold and of clientguard against reader 2, over the same message pairs
``clientguard eval conversations`` scores (a chat's client messages, read in context).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TUNE = ROOT / "tests" / "fixtures" / "tune_sets"
POOLS = ("conversations_s14", "conversations_s16")


def micro(pairs: list[tuple[set[str], set[str]]]) -> tuple[float, float, float]:
    """Micro-F1, precision, recall of predicted (first) against reference (second) label sets."""
    from clientguard.metrics import PRF

    prf = PRF(sum(len(p & g) for p, g in pairs), sum(len(p - g) for p, g in pairs),
              sum(len(g - p) for p, g in pairs))
    return round(prf.f1, 3), round(prf.precision, 3), round(prf.recall, 3)


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    from clientguard.analysis.calls import calls_from_events
    from clientguard.analysis.dataset import iter_conversations
    from clientguard.analysis.evaluate import analyzed
    from clientguard.analysis.profile import build_profile

    out: dict[str, dict[str, object]] = {}
    kinds = ("reader2_vs_gold", "ours_vs_gold", "ours_vs_reader2")
    every: dict[str, list[tuple[set[str], set[str]]]] = {k: [] for k in kinds}
    for pool in POOLS:
        pairs: dict[str, list[tuple[set[str], set[str]]]] = {k: [] for k in every}
        for conv in iter_conversations(TUNE / pool):
            path = TUNE / "second_reader" / f"{conv.id}.labels2.json"
            second = json.loads(path.read_text(encoding="utf-8"))
            r2 = {str(k): set(v) for k, v in second["message_labels"].items()}
            msgs = analyzed(conv, False)
            calls = calls_from_events(conv.events)
            profile = build_profile(msgs, conv.case, label_source="predicted", calls=calls)
            ours = {str(m.id): set(m.labels) for m in profile.messages}
            for mid, gold in conv.gold_labels.items():
                g, h, p = set(gold), r2[str(mid)], ours.get(str(mid), set())
                pairs["reader2_vs_gold"].append((h, g))
                pairs["ours_vs_gold"].append((p, g))
                pairs["ours_vs_reader2"].append((p, h))
        for k, v in pairs.items():
            every[k] += v
        out[pool] = {"messages": len(pairs["ours_vs_gold"])} | {k: micro(v) for k, v in pairs.items()}
    out["both"] = {"messages": len(every["ours_vs_gold"])} | {k: micro(v) for k, v in every.items()}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
