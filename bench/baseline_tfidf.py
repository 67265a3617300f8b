"""The plain baseline beside our detector: TF-IDF + logistic regression trained on the dev
messages, scored on the held-out message sets.

Run::

    python bench/baseline_tfidf.py [--shared ../shared]

Why: the brief measured such a model at macro-F1 0.62 (ru) / 0.56 (en) on held-out text
of the dev kind and micro-F1 about 0.2 on real client messages; this prints the same
model's figures on our held-out sets (``holdout5-7``, ``web13``) so the detector's figures
(``bench/eval_fresh.py``) have their reference on the same data. Needs ``../shared``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NLP = ROOT / "tests" / "fixtures" / "nlp"


def _load(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows], [r["labels"] for r in rows]


def main(argv: list[str] | None = None) -> int:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("CLIENTGUARD_SHARED", ROOT.parent / "shared"))
    )
    args = ap.parse_args(argv)
    dev = args.shared / "data" / "signals" / "dev"
    if not dev.is_dir():
        print(f"no dev data at {dev} (give --shared)", file=sys.stderr)
        return 1
    for lang in ("ru", "en"):
        texts, labels = _load(dev / f"messages_{lang}.jsonl")
        mlb = MultiLabelBinarizer()
        y = mlb.fit_transform(labels)
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        model = OneVsRestClassifier(LogisticRegression(max_iter=2000, C=10, class_weight="balanced"))
        model.fit(vec.fit_transform(texts), y)
        for name in ("holdout5", "holdout6", "holdout7", "web13"):
            path = NLP / f"{name}_{lang}.jsonl"
            if not path.is_file():
                continue
            t_texts, t_labels = _load(path)
            gold = mlb.transform(t_labels)
            pred = model.predict(vec.transform(t_texts))
            micro = f1_score(gold, pred, average="micro", zero_division=0)
            macro = f1_score(gold, pred, average="macro", zero_division=0)
            print(f"{name}_{lang:2s}  tfidf+LR  micro-F1 {micro:.3f}  macro-F1 {macro:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
