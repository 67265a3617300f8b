"""Benchmark of message signals: quality (dev + our own holdout) and speed on one core.

Run::

    taskset -c 0 python bench/bench_signals.py [--shared ../shared] [--json]

Quality on dev is IN-SAMPLE (rules were written looking at dev; the statistical layer is
trained on it). ``holdout_*`` (157 messages) were written after the first rule set, but a
later pass fixed rules after seeing holdout errors; ``holdout2_*`` (60 messages) were
written last and never used for tuning: the most honest (and smallest) check.
Speed is messages/s over the dev texts (median length as in dev),
after warm-up, single process; load time is a cold import + rule compile + first call.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--layers", default=None, help="rules,stat,toxicity (default: all available)")
    args = ap.parse_args()
    if args.layers:
        os.environ["CLIENTGUARD_NLP_LAYERS"] = args.layers

    t0 = time.perf_counter()
    c0 = time.process_time()
    from clientguard.nlp.api import analyze_texts, warm_up

    warm_up()
    load_s = time.perf_counter() - t0
    load_cpu = time.process_time() - c0

    from clientguard.nlp.evaluate import evaluate_records, read_labelled

    sets: dict[str, Path] = {}
    for lang in ("ru", "en"):
        sets[f"dev_{lang}"] = args.shared / "data" / "signals" / "dev" / f"messages_{lang}.jsonl"
        sets[f"holdout_{lang}"] = ROOT / "tests" / "fixtures" / "nlp" / f"holdout_{lang}.jsonl"
        sets[f"holdout2_{lang}"] = ROOT / "tests" / "fixtures" / "nlp" / f"holdout2_{lang}.jsonl"
    out: dict[str, object] = {
        "load_seconds": round(load_s, 3),
        "load_cpu_seconds": round(load_cpu, 3),
        "layers": os.environ.get("CLIENTGUARD_NLP_LAYERS", "rules,stat,toxicity"),
    }
    texts: list[str] = []
    for name, path in sets.items():
        if not path.is_file():
            out[name] = "missing"
            continue
        recs = read_labelled(path)
        if name.startswith("dev"):
            texts.extend(r["text"] for r in recs)
        rep = evaluate_records(recs)
        out[name] = rep.as_dict()

    # Speed: repeat the dev texts (cold caches are part of the first pass, not timed).
    if not texts:
        texts = ["оплатим на следующей неделе", "Thanks, great post"] * 500
    analyze_texts(texts)
    # CPU time as well as wall time: on a shared box the wall clock includes other jobs.
    n = 0
    t1 = time.perf_counter()
    c1 = time.process_time()
    while time.perf_counter() - t1 < args.seconds:
        analyze_texts(texts)
        n += len(texts)
    rate = n / (time.perf_counter() - t1)
    cpu_rate = n / (time.process_time() - c1)
    out["speed"] = {
        "messages_per_second": round(rate),
        "messages_per_cpu_second": round(cpu_rate),
        "median_chars": statistics.median(len(t) for t in texts),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    print(f"layers: {out['layers']}; load: {out['load_seconds']} s "
          f"(cpu {out['load_cpu_seconds']} s); speed: {out['speed']}")
    for name in sets:
        rep = out[name]
        if not isinstance(rep, dict):
            print(f"{name}: {rep}")
            continue
        print(f"\n{name}: n={rep['n']} macro-F1={rep['macro_f1']} micro-F1={rep['micro_f1']} "
              f"FP-on-neutral={rep['neutral_fp_rate']}")
        for s, p in rep["per_signal"].items():
            print(f"  {s:26s} P={p['precision']:.2f} R={p['recall']:.2f} F1={p['f1']:.2f} n={p['support']}")


if __name__ == "__main__":
    main()
