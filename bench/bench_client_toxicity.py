"""Rudeness on client messages: our detectors vs the peers, on text neither was trained on.

Why this exists next to ``bench_toxicity.py``: the issue's English comparison is on the
Davidson tweets, and ``alt-profanity-check`` was trained on data that includes Davidson, so
its figure there is in-sample and no honest model of ours can be compared with it. A user
choosing a detector for client chat wants to know which one flags rude client messages.
This benchmark asks exactly that on the labelled client messages of ``tests/fixtures/nlp``:
a message is positive when its gold labels hold ``insult`` or ``obscenity`` (the two signals
a toxicity detector is for), every other message -- the other 16 signals and neutral ones,
many of them harsh but civil -- is negative.

Which files, and what touched them (stated so the figures can be weighed):

* ``train11_{ru,en}_{a,b,c}``: written for the statistical layer by helpers who never saw
  rules or code; the shipped statistical layer was NOT trained on them (that retrain was
  rejected) and no rule was written from them. The measured weight caps
  (``rules/weight_caps.yaml``) counted rule firings on them, so the "full analysis" row is
  mildly exposed; the toxicity model and every peer never saw them.
* ``holdout5/6/7_{ru,en}``: held-out sets, never used for any choice; read here for
  reporting only.

Systems: ``toxicity.v1`` alone (the LR, ``toxic`` ≥ 0.5), the full 18-signal analysis
(labels ``insult`` or ``obscenity``), and every offline peer of ``bench_toxicity.py`` through
``../shared/peers/run_peers.py`` in its own venv.

Usage::

    python bench/bench_client_toxicity.py [--shared ../shared] [--peers-dir /tmp/peers] [--json-out F]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_toxicity import EN_PEERS, RU_PEERS, _peer  # noqa: E402

from clientguard.nlp import train_toxicity as tt  # noqa: E402
from clientguard.nlp.api import analyze_texts  # noqa: E402
from clientguard.nlp.toxicity import ToxicityModel  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "nlp"
TOXIC = frozenset({"insult", "obscenity"})
GROUPS = {  # name -> (language, fixture file globs)
    "client_ru_train11": ("ru", ["train11_ru_*.jsonl"]),
    "client_en_train11": ("en", ["train11_en_*.jsonl"]),
    "client_ru_holdout5-7": ("ru", ["holdout5_ru.jsonl", "holdout6_ru.jsonl", "holdout7_ru.jsonl"]),
    "client_en_holdout5-7": ("en", ["holdout5_en.jsonl", "holdout6_en.jsonl", "holdout7_en.jsonl"]),
}


def load_group(lang: str, patterns: list[str]) -> list[tuple[str, int]]:
    """(text, 1 if insult/obscenity) for every message of the files, in file order."""
    rows: list[tuple[str, int]] = []
    for pattern in patterns:
        for path in sorted(FIXTURES.glob(pattern)):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    assert rec.get("lang", lang) == lang, f"{path}: unexpected language"
                    rows.append((str(rec["text"]), int(bool(TOXIC & set(rec.get("labels") or [])))))
    return rows


def score_group(lang: str, rows: list[tuple[str, int]], model: ToxicityModel) -> list[dict[str, Any]]:
    """P/R/F1 of our two systems on one group."""
    texts, gold = [t for t, _ in rows], [y for _, y in rows]
    probs = [p["toxic"] for p in model.predict(texts)]
    full = [float(bool(TOXIC & set(a.labels))) for a in analyze_texts(texts, [lang] * len(texts))]
    return [
        {"system": f"clientguard {model.version} (toxicity model alone)", **tt.prf(gold, probs)},
        {"system": "clientguard full analysis (insult|obscenity)", **tt.prf(gold, full)},
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--peers-dir", type=Path, default=Path(tempfile.gettempdir()) / "peers")
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args(argv)
    runner = args.shared / "peers" / "run_peers.py"
    model = ToxicityModel.load()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="cg_bench_client_tox_") as tmp:
        for name, (lang, patterns) in GROUPS.items():
            rows = load_group(lang, patterns)
            if not rows:
                print(f"{name}: no fixture files found", file=sys.stderr)
                continue
            path = Path(tmp) / f"{name}.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for text, y in rows:
                    f.write(json.dumps({"text": text, "toxic": y}, ensure_ascii=False) + "\n")
            n_pos = sum(y for _, y in rows)
            for r in score_group(lang, rows, model):
                results.append({**r, "set": name, "n": len(rows), "positives": n_pos})
            for peer, mode in RU_PEERS if lang == "ru" else EN_PEERS:
                got = _peer(args.peers_dir / peer / "bin" / "python", runner, peer, mode, path,
                            Path(tmp) / "peer.jsonl", 0.0)
                keys = ("precision", "recall", "f1", "status", "error")
                results.append({"set": name, "n": len(rows), "positives": n_pos, "system": peer,
                                **{k: got.get(k) for k in keys}})
    hdr = f"{'set':22} {'system':52} {'n':>5} {'pos':>4} {'P':>6} {'R':>6} {'F1':>6}"
    print(hdr)
    print("-" * len(hdr))
    for r in results:
        head = f"{r['set']:22} {r['system']:52} {r['n']:5d} {r['positives']:4d}"
        if r.get("status") not in (None, "ok"):
            print(f"{head} FAILED: {r.get('error') or r['status']}")
            continue
        print(f"{head} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}")
    print("\npositive = gold labels hold insult or obscenity; threshold 0.5 for every scored system. "
          "None of these texts trained the toxicity model or any peer.")
    if args.json_out:
        args.json_out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
