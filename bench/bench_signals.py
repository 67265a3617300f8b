"""Benchmark of message signals: quality (dev + our own holdout) and speed on one core.

Run::

    taskset -c 0 python bench/bench_signals.py [--shared ../shared] [--json]

Quality on dev is IN-SAMPLE (rules were written looking at dev; the statistical layer is
trained on it). ``holdout_*`` (157 messages) were written after the first rule set, but a
later pass fixed rules after seeing holdout errors; ``holdout2_*`` (60 messages) and
``holdout4_ru`` (175) were never used for tuning rules. ``tune6_*`` (440) is an
independently written TUNING set (rules were extended reading its errors, so it is
in-sample); so is ``tune7_*`` (520, written 2026-11-24, 55% tricky neutrals: before any
rule was tuned on it, it scored ru 0.774 / en 0.637 macro-F1, FP 5.6% / 9.1%), and
``tune8_en`` (320, recall-focused: each signal said ~18 ways; 0.631 before tuning) and
``tune8_ru`` (320, 40% neutral look-alikes; 0.710 / FP 14% before tuning).
``holdout5_*`` (340, written 2026-11-24 by someone who never saw the rules, never tuned on)
and ``holdout6_*`` (600, written the same afternoon by another such writer, never tuned on)
are the most honest checks, and the hardest. ``holdout7_*`` (600, written 2026-11-24 at the
start of the sixth session, before any change of that session: ru 0.767 / FP 11%, en 0.757 /
FP 10%) was kept out of every decision of that session and read once at its end.
``tune9_*`` (800, 25% neutral look-alikes; before tuning ru 0.726 / FP 13%, en 0.740 / FP 8%)
is a tuning set of the same session.
Speed is messages/s over the dev texts (median length as in dev),
after warm-up, single process; load time is a cold import + rule compile + first call.

``--cold`` also starts fresh processes that time the first ``analyze_text`` call with an
empty compiled-rule cache (the first run ever), with that cache filled, and with the
cache switched off (``CLIENTGUARD_RULES_CACHE=off``); median of ``--cold-runs`` each.

``--speed-only`` scores no labelled set: a helper timing a rule change while it tunes must
not see the held-out sets' per-signal figures this script otherwise prints (sixteenth session).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


_FIRST_CALL = """
import json, time
w, c = time.perf_counter(), time.process_time()
from clientguard.nlp.api import analyze_text
analyze_text("оплатим на следующей неделе, сейчас денег нет")
print(json.dumps([time.perf_counter() - w, time.process_time() - c]))
"""


def _first_call(cache: str) -> tuple[float, float]:
    """Wall and CPU seconds of import + load + first call in a fresh process."""
    env = {**os.environ, "CLIENTGUARD_RULES_CACHE": cache}
    cmd = [sys.executable, "-c", _FIRST_CALL]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    wall, cpu = json.loads(out.stdout)
    return float(wall), float(cpu)


def cold_loads(runs: int) -> dict[str, dict[str, float]]:
    """First-call cost: first run ever (empty cache), cache filled, cache off."""
    res: dict[str, list[tuple[float, float]]] = {"empty_cache": [], "with_cache": [], "cache_off": []}
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            res["empty_cache"].append(_first_call(tmp))
            res["with_cache"].append(_first_call(tmp))
        res["cache_off"].append(_first_call("off"))
    return {
        k: {
            "wall_s": round(statistics.median(x[0] for x in v), 3),
            "cpu_s": round(statistics.median(x[1] for x in v), 3),
        }
        for k, v in res.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--layers", default=None, help="rules,stat,toxicity (default: all available)")
    ap.add_argument("--cold", action="store_true", help="also time first calls in fresh processes")
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument(
        "--speed-only", action="store_true",
        help="time only: score no labelled set (the dev texts are still the timed input), so a "
             "speed run while tuning never shows held-out figures",
    )
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
        sets[f"tune6_{lang}"] = ROOT / "tests" / "fixtures" / "nlp" / f"tune6_{lang}.jsonl"
        sets[f"tune7_{lang}"] = ROOT / "tests" / "fixtures" / "nlp" / f"tune7_{lang}.jsonl"
        sets[f"holdout5_{lang}"] = ROOT / "tests" / "fixtures" / "nlp" / f"holdout5_{lang}.jsonl"
        sets[f"holdout6_{lang}"] = ROOT / "tests" / "fixtures" / "nlp" / f"holdout6_{lang}.jsonl"
        sets[f"holdout7_{lang}"] = ROOT / "tests" / "fixtures" / "nlp" / f"holdout7_{lang}.jsonl"
        sets[f"tune9_{lang}"] = ROOT / "tests" / "fixtures" / "nlp" / f"tune9_{lang}.jsonl"
    sets["holdout4_ru"] = ROOT / "tests" / "fixtures" / "nlp" / "holdout4_ru.jsonl"
    sets["tune8_en"] = ROOT / "tests" / "fixtures" / "nlp" / "tune8_en.jsonl"
    sets["tune8_ru"] = ROOT / "tests" / "fixtures" / "nlp" / "tune8_ru.jsonl"
    out: dict[str, object] = {
        "load_seconds": round(load_s, 3),
        "load_cpu_seconds": round(load_cpu, 3),
        "layers": os.environ.get("CLIENTGUARD_NLP_LAYERS", "rules,stat,toxicity"),
    }
    texts: list[str] = []
    for name, path in sets.items():
        if args.speed_only and not name.startswith("dev"):
            continue
        if not path.is_file():
            out[name] = "missing"
            continue
        recs = read_labelled(path)
        if name.startswith("dev"):
            texts.extend(r["text"] for r in recs)
        if args.speed_only:
            continue
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
    if args.cold:
        out["cold_first_call"] = cold_loads(args.cold_runs)
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    print(f"layers: {out['layers']}; load: {out['load_seconds']} s "
          f"(cpu {out['load_cpu_seconds']} s); speed: {out['speed']}")
    if "cold_first_call" in out:
        print(f"cold first call (fresh process, median): {out['cold_first_call']}")
    for name in sets:
        if name not in out:  # --speed-only
            continue
        got = out[name]
        if not isinstance(got, dict):
            print(f"{name}: {got}")
            continue
        print(f"\n{name}: n={got['n']} macro-F1={got['macro_f1']} micro-F1={got['micro_f1']} "
              f"FP-on-neutral={got['neutral_fp_rate']}")
        for s, p in got["per_signal"].items():
            print(f"  {s:26s} P={p['precision']:.2f} R={p['recall']:.2f} F1={p['f1']:.2f} n={p['support']}")


if __name__ == "__main__":
    main()
