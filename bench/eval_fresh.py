"""Quality on the sets written outside the dev data: tuning sets and fresh held-out sets.

Run::

    python bench/eval_fresh.py [--shared ../shared] [--json]

Why this exists: dev scores are in-sample (rules were written reading dev), and the
product is judged on held-out data nobody here has seen. These sets were written on
2026-11-24 by people who never saw the rules or code:

* ``tests/fixtures/nlp/tune6_*``, ``tune7_*``, ``tune8_en`` and ``tests/fixtures/tune_sets/``
  are TUNING sets (rules were extended reading their errors, so their figures are in-sample);
* ``tune9_*`` (800, sixth session) is a tuning set too, and so are ``tune10_*`` (450 ru,
  300 en) and ``tune_sets/conversations_s10`` (10 chats), written in the tenth session;
* ``holdout_sets/conversations_s10`` (6 chats, tenth session) is held out;
* ``tune_sets/conversations_s14`` (14 chats) is a tuning set and ``holdout_sets/conversations_s14``
  (10 chats) its held-out twin, written as one pool in the fourteenth session;
* ``tune_sets/conversations_s16`` (12 chats) and ``holdout_sets/conversations_s16`` (12 chats), one
  pool written the same way in the sixteenth session, while that session's rule passes were being
  made without it; the held-out half is scored only;
* ``holdout_sets/conversations_s18`` (12 chats, eighteenth session) is held out with no tuning
  twin: written by a new writer who never saw the code, scored once per change, never read;
  ``holdout_sets/conversations_s19`` (12 chats, nineteenth session) likewise, by another new writer;
* ``tests/fixtures/nlp/holdout5_*``, ``holdout6_*``, ``holdout7_*`` (600 each; holdout7 was
  kept out of every decision of the session that wrote it) and
  ``tests/fixtures/holdout_sets/`` are HELD OUT: scored only, never looked into while
  tuning. These are the honest figures.
* ``tests/fixtures/nlp/web13_*`` (300 ru, 200 en, eleventh session) is HELD OUT as well: new
  messages written in the style of real client messages its writer read on public pages
  (politeness around demands, run-ons, several signals at once, sarcasm); see
  ``web13_README.md``. ``web14_*`` (360 ru, 240 en), written the same way by another writer
  who never saw web13, is its TUNING twin.
* ``tests/fixtures/nlp/tune20_*`` and ``holdout20_*`` (twentieth session): one pool of 400 ru and
  260 en messages (55 % neutral look-alikes) by a writer who never saw the code, split by a fixed
  hash into a TUNING half and a HELD-OUT half (scored only); see ``pool20_README.md``.

Dev figures are printed beside them when ``../shared`` is there.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NLP = ROOT / "tests" / "fixtures" / "nlp"
TUNE = ROOT / "tests" / "fixtures" / "tune_sets"
HOLD = ROOT / "tests" / "fixtures" / "holdout_sets"


def signals(path: Path) -> dict[str, Any]:
    from clientguard.nlp.evaluate import evaluate_records, read_labelled

    rep = evaluate_records(read_labelled(path))
    return {
        "macro_f1": round(rep.macro_f1, 3),
        "micro_f1": round(rep.micro_f1, 3),
        "neutral_fp": round(rep.neutral_fp_rate, 3),
    }


def calibration(path: Path, n_bins: int = 5) -> dict[str, Any]:
    """Reliability of the per-signal scores: in each score bin, the share that is labelled.

    Over every (message, signal) pair with a score above 0; ECE is the count-weighted gap
    between a bin's mean score and its share of gold labels
    (:func:`clientguard.nlp.calibration.expected_calibration_error`).
    """
    from clientguard.nlp.calibration import expected_calibration_error, scored_pairs

    scores, gold = scored_pairs([path])
    bins: list[list[float]] = [[0, 0.0, 0] for _ in range(n_bins)]  # count, score sum, positives
    for score, g in zip(scores, gold, strict=True):
        b = bins[min(int(score * n_bins), n_bins - 1)]
        b[0] += 1
        b[1] += score
        b[2] += g
    return {
        "ece": round(expected_calibration_error(scores, gold, n_bins), 3),
        "bins": [[round(b[1] / b[0], 2), round(b[2] / b[0], 2), int(b[0])] for b in bins if b[0]],
    }


def conversations(folder: Path) -> dict[str, Any]:
    from clientguard.analysis.evaluate import evaluate

    out: dict[str, Any] = {}
    for oracle in (False, True):
        d = evaluate(folder, oracle=oracle).to_dict()
        key = "oracle" if oracle else "detector"
        out[key] = {k: d[k] for k in ("archetype_macro_f1", "recommendation_accuracy", "message_micro_f1")}
    return out


def leads(folder: Path) -> dict[str, Any]:
    from clientguard.presale.evaluate import evaluate_leads

    out: dict[str, Any] = {}
    for oracle in (False, True):
        rep = evaluate_leads(folder, oracle=oracle)
        out["oracle" if oracle else "detector"] = {
            "decision_accuracy": round(rep.accuracy, 3),
            "brief_macro_f1": round(rep.macro_f1, 3),
            "red_flag_f1": round(rep.flags.f1, 3),
        }
    return out


def contracts(folder: Path) -> dict[str, Any]:
    from clientguard.contracts.evaluate import evaluate_dir

    s = evaluate_dir(folder).overall
    return {
        "clause_macro_f1": round(s.clause_macro_f1, 3),
        "clause_accuracy": round(s.clause_accuracy, 3),
        "terms_exact": round(s.terms_exact, 3),
        "terms_normalised": round(s.terms_normalised, 3),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("CLIENTGUARD_SHARED", ROOT.parent / "shared"))
    )
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    dev = args.shared / "data"
    res: dict[str, Any] = {
        "signals": {},
        "calibration": {},
        "conversations": {},
        "leads": {},
        "contracts": {},
    }
    for lang in ("ru", "en"):
        for name, path in (
            (f"dev_{lang}", dev / "signals" / "dev" / f"messages_{lang}.jsonl"),
            (f"tune6_{lang}", NLP / f"tune6_{lang}.jsonl"),
            (f"tune7_{lang}", NLP / f"tune7_{lang}.jsonl"),
            (f"tune8_{lang}", NLP / f"tune8_{lang}.jsonl"),
            (f"holdout5_{lang}", NLP / f"holdout5_{lang}.jsonl"),
            (f"tune9_{lang}", NLP / f"tune9_{lang}.jsonl"),
            (f"holdout6_{lang}", NLP / f"holdout6_{lang}.jsonl"),
            (f"holdout7_{lang}", NLP / f"holdout7_{lang}.jsonl"),
            (f"tune10_{lang}", NLP / f"tune10_{lang}.jsonl"),
            (f"web13_{lang}", NLP / f"web13_{lang}.jsonl"),
            (f"web14_{lang}", NLP / f"web14_{lang}.jsonl"),
            (f"tune20_{lang}", NLP / f"tune20_{lang}.jsonl"),
            (f"holdout20_{lang}", NLP / f"holdout20_{lang}.jsonl"),
            (f"tune21_{lang}", NLP / f"tune21_{lang}.jsonl"),
            (f"holdout21_{lang}", NLP / f"holdout21_{lang}.jsonl"),
        ):
            if path.is_file():
                res["signals"][name] = signals(path)
                if name.startswith(("holdout", "web13")):  # [mean score, share labelled, pairs] per bin
                    res["calibration"][name] = calibration(path)
    for name, path in (
        ("dev", dev / "signals" / "dev" / "conversations"),
        ("tune", TUNE / "conversations"),
        ("holdout", HOLD / "conversations"),
        ("tune_s10", TUNE / "conversations_s10"),
        ("holdout_s10", HOLD / "conversations_s10"),
        ("tune_s14", TUNE / "conversations_s14"),
        ("holdout_s14", HOLD / "conversations_s14"),
        ("tune_s16", TUNE / "conversations_s16"),
        ("holdout_s16", HOLD / "conversations_s16"),
        ("holdout_s18", HOLD / "conversations_s18"),
        ("holdout_s19", HOLD / "conversations_s19"),
        ("tune_s21", TUNE / "conversations_s21"),
        ("holdout_s21", HOLD / "conversations_s21"),
    ):
        if path.is_dir():
            res["conversations"][name] = conversations(path)
    for name, path in (
        ("dev", dev / "contracts" / "dev"),
        ("tune", TUNE / "leads"),
        ("holdout", HOLD / "leads"),
    ):
        if path.is_dir():
            res["leads"][name] = leads(path)
    for name, path in (
        ("dev", dev / "contracts" / "dev"),
        ("tune", TUNE / "contracts"),
        ("holdout", HOLD / "contracts"),
    ):
        if path.is_dir():
            res["contracts"][name] = contracts(path)
    if args.json:
        print(json.dumps(res, indent=1))
        return 0
    for area, sets in res.items():
        for name, figures in sets.items():
            print(f"{area:14s} {name:12s} {json.dumps(figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
