"""Side-by-side benchmark: our toxicity model vs the open-source peers, same data, one run.

Why this shape: the peers must never become project dependencies, so each runs in its own venv
(built by ``../shared/peers/setup.sh``) through the shared harness ``run_peers.py``; we only write
the evaluation splits to a temp dir and read back the JSON results. The splits come from
``clientguard.nlp.train_toxicity.load_shared`` so they are exactly the sets the shipped model was
held out from (deduplicated against all training data).

Usage::

    python bench/bench_toxicity.py [--shared ../shared] [--peers-dir /tmp/peers]
                                   [--min-seconds 3] [--json-out FILE] [--accurate] [--no-peers]

``--accurate`` benchmarks the opt-in cascaded LR+BiGRU+NB-SVM model (``toxicity_nn.py``) instead of the
LR alone; it is also scored at its recorded validation threshold (``F1@thr``), and ``resc``
is the fraction of messages the cascade sent to the CNN.

Our model is timed on one core (thread env vars set to 1 before numpy loads), in ``batch`` mode
(64 texts per ``predict`` call) and in ``single`` mode (one call per message).
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clientguard.nlp import train_toxicity as tt  # noqa: E402
from clientguard.nlp.toxicity import ToxicityModel, clear_feature_cache  # noqa: E402
from clientguard.nlp.toxicity_nn import AccurateToxicityModel, load_accurate  # noqa: E402

RU_PEERS = [("glin_profanity", "single"), ("detected_profanity", "single"),
            ("python_obscene_words_filter", "single"), ("toxicity", "batch")]
EN_PEERS = [("alt_profanity_check", "batch"), ("glin_profanity", "single"), ("detected_profanity", "single")]
SETS = {  # file stem -> (evaluation set in load_shared, peers)
    "ru_distorted_toxicity_vk": ("ru_distorted_toxicity_vk", RU_PEERS),
    "ru_2ch_pikabu_test": ("ru_2ch_pikabu_test", RU_PEERS),
    "ru_ok_encodechka_test": ("ru_ok_encodechka_test", RU_PEERS),
    "en_davidson_test": ("en_davidson_test", EN_PEERS),
}
BATCH = 64


def _ours(model: ToxicityModel, rows: list[tt.Row], mode: str, min_seconds: float) -> dict[str, Any]:
    """P/R/F1 at 0.5 and msgs/s of our model in ``batch`` or ``single`` mode.

    Like run_peers.py: passes repeat until ``min_seconds`` have been spent; metrics from pass 1.
    """
    texts = [t for t, _ in rows]
    first: list[float] | None = None
    spent, scored = 0.0, 0
    while first is None or spent < min_seconds:
        # Every pass starts with an empty word-feature cache: later passes over the same
        # texts would otherwise find every word cached and flatter the figure.
        clear_feature_cache()
        if isinstance(model, AccurateToxicityModel):
            model.nn.clear_cache()
        rescored = 0
        t0 = time.perf_counter()
        if mode == "batch":
            chunks = (texts[i:i + BATCH] for i in range(0, len(texts), BATCH))
            probs = []
            for chunk in chunks:
                probs += [p["toxic"] for p in model.predict(chunk)]
                rescored += getattr(model, "last_rescored", 0)
        else:
            probs = []
            for t in texts:
                probs.append(model.predict([t])[0]["toxic"])
                rescored += getattr(model, "last_rescored", 0)
        spent += time.perf_counter() - t0
        scored += len(texts)
        first = first if first is not None else probs
    res: dict[str, Any] = dict(tt.prf([y for _, y in rows], first))
    res["msgs_per_s"] = round(scored / spent, 1)
    if isinstance(model, AccurateToxicityModel):
        res["f1_at_thr"] = tt.prf([y for _, y in rows], first, model.threshold)["f1"]
        res["rescored_fraction"] = round(rescored / len(texts), 4)
    return res


def _peer(py: Path, runner: Path, name: str, mode: str, data: Path, out: Path,
          min_seconds: float) -> dict[str, Any]:
    """Run one peer through run_peers.py in its own venv; return its JSON result."""
    if not py.is_file():
        return {"status": "missing venv"}
    if out.exists():
        out.unlink()
    cmd = [str(py), str(runner), "--peer", name, "--data", str(data), "--mode", mode,
           "--threads", "1", "--min-seconds", str(min_seconds), "--json-out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
    if not out.exists():
        return {"status": f"failed rc={proc.returncode}: {proc.stderr.strip()[-200:]}"}
    res: dict[str, Any] = json.loads(out.read_text(encoding="utf-8").splitlines()[-1])
    return res


def main(argv: list[str] | None = None) -> int:
    """Build the splits, run ours and every peer, print one table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--peers-dir", type=Path,
                    default=Path(os.environ.get("PEERS_DIR", Path(tempfile.gettempdir()) / "peers")))
    ap.add_argument("--model", type=Path, help="models dir (default: the shipped one)")
    ap.add_argument("--json-out", type=Path, help="write all results as JSON here")
    ap.add_argument("--accurate", action="store_true",
                    help="benchmark the opt-in cascaded LR+BiGRU+NB-SVM model (toxicity_nn.py)")
    ap.add_argument("--no-peers", action="store_true", help="time our model only")
    ap.add_argument("--min-seconds", type=float, default=3.0,
                    help="repeat scoring passes for at least this long (steadier msgs/s)")
    args = ap.parse_args(argv)
    runner = args.shared / "peers" / "run_peers.py"
    data = tt.load_shared(args.shared, pool=False)
    t0 = time.perf_counter()
    model = load_accurate(args.model) if args.accurate else ToxicityModel.load(args.model)
    load_s = time.perf_counter() - t0
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="cg_bench_tox_") as tmp:
        for stem, (key, peers) in SETS.items():
            rows = data.evals[key]
            path = Path(tmp) / f"{stem}.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for text, y in rows:
                    f.write(json.dumps({"text": text, "toxic": y}, ensure_ascii=False) + "\n")
            for mode in ("batch", "single"):
                results.append({"set": stem, "system": f"clientguard {model.version}", "mode": mode,
                                **_ours(model, rows, mode, args.min_seconds)})
            for name, mode in ([] if args.no_peers else peers):
                r = _peer(args.peers_dir / name / "bin" / "python", runner, name, mode, path,
                          Path(tmp) / "peer.jsonl", args.min_seconds)
                keys = ("n", "precision", "recall", "f1", "msgs_per_s", "status", "error")
                results.append({"set": stem, "system": name, "mode": mode, **{k: r.get(k) for k in keys}})
                print(f"  done {stem} / {name}", file=sys.stderr, flush=True)
    print(f"our model: load {load_s:.2f}s (first load in this process), sets deduplicated against training\n")
    hdr = f"{'set':26} {'system':30} {'mode':6} {'n':>5} {'P':>6} {'R':>6} {'F1':>6} {'AUC':>6} {'msgs/s':>9}"
    print(hdr)
    print("-" * len(hdr))
    for r in results:
        if r.get("status") not in (None, "ok"):
            print(f"{r['set']:26} {r['system']:30} {r['mode']:6} FAILED: {r.get('error') or r['status']}")
            continue
        auc = f"{r['roc_auc']:6.3f}" if "roc_auc" in r else f"{'-':>6}"
        extra = (f"  F1@thr {r['f1_at_thr']:.3f} resc {r['rescored_fraction']:.3f}"
                 if "f1_at_thr" in r else "")
        print(f"{r['set']:26} {r['system']:30} {r['mode']:6} {int(r['n']):5d} {r['precision']:6.3f} "
              f"{r['recall']:6.3f} {r['f1']:6.3f} {auc} {r['msgs_per_s']:9.1f}{extra}")
    print("\ncaveats: `toxicity` was trained on 2ch/pikabu (80/20 of the same Kaggle file), so its pikabu "
          "row is inflated; alt_profanity_check's training data includes Davidson. "
          "Word-list peers target мат, not insults. Our threshold is 0.5 on calibrated probability.")
    if args.json_out:
        args.json_out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
