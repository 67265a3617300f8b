"""Train the toxicity model from ``../shared/data/toxicity`` and evaluate it on held-out sets.

    python -m clientguard.nlp.train_toxicity --shared ../shared --out clientguard/nlp/models/

Why it is built this way:

* Licences decide the training data, not accuracy. Non-commercial sets (ru_inappropriate_messages,
  CC BY-NC-SA; ru_ok_encodechka, whose OK data is reportedly CC BY-NC-SA) are evaluation-only.
  ru_distorted_toxicity_vk (MIT) is also kept evaluation-only, so its numbers stay clean.
* Every evaluation text (and its duplicates on :func:`dedup_key`) is removed from the training
  pool *before* training, across all sets, so no test text leaks in through another set.
* Calibration is Platt scaling on a held-out 15% fold of the pool; the shipped weights are the
  ones fitted on the other 85%, so the calibration is honest for the shipped model.
* ``obscenity`` and ``threat`` have no permissive human labels, so their heads are trained on
  weak labels from the patterns below (the char n-grams then generalise to disguised spellings);
  ``insult`` is derived from ``toxic``. Encodechka's human labels score all three, evaluation-only.
* Hard negatives (innocent pymorphy3 word forms that contain a мат-like substring) teach the char
  n-grams that "застрахуйте" or "скипидар" are not мат; see :func:`mine_hard_negatives`.

``--train-csv FILE`` (columns ``text,toxic``) skips the shared data; the smoke test uses it.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from clientguard.nlp import toxicity as tx

SEED = 42
Row = tuple[str, int]

# Weak-label patterns, matched on normalize()d text. Word starts are anchored, so the usual traps
# (застрахуйте, скипидар, рубля, употреблять, сукно, Scunthorpe, cocktail) do not match.
OBSCENE_RE = re.compile(
    r"(?<!\w)(?:(?:на|по|о|за|от|вы|рас|раз|при|до|ни|а)?ху[йяеюи](?!д)|\w*пизд|"
    r"(?:за|вы|у|от|на|по|пере|до|съ|подъ|раз|рас|об|при|про|вз|въ|долбо|а)?е[бп](?:а[лнтшк]|у[тчш]|ан|ен|ну|"
    r"ло|ись|ыр|ищ|ок|ат|л[аои]|ну)|уеб|долбо[еи]б|бля(?:[дт]|(?!\w)|ха(?!\w))|муд(?:а[кч]|ил|о[зх]|ень)|"
    r"пид[оа]р|г[ао]ндон|залуп|шлюх|манд(?:а|ой|у|ы|ав|ень)(?!\w)|сук(?:а|и|ин|у|ой)(?!\w)|сучк|сучар|"
    r"сос(?:и|ать|ешь|ет|ут|ала?)(?!\w)|отсос|(?:вы|от|за|по)?трах(?:а(?:ть|л|ет|ю)|н)|дроч|вдуть|членосос|"
    r"fuck|motherf|shit|cunt(?!\w)|bitch|dick(?:head)?s?(?!\w)|asshole|whore|slut|cock(?:s|sucker)?(?!\w))"
)
THREAT_RE = re.compile(
    r"(?<!\w)(?:убью|убьем|прибью|урою|зарежу|закопаю|пристрелю|придушу|задушу|порешу|уничтожу|сожгу|"
    r"повешу|расстрел\w*|перестрелять|пристрелить|прибить|убить|к стенке|сжечь|повесить|на кол|"
    r"стереть (?:бы )?(?:их )?с лица|четвертовать|кастрировать|в газовую|чтоб(?:ы)? (?:ты|вы|он|они) сдох\w*|"
    r"убить (?:тебя|вас|его|ее|их)|найду (?:тебя|вас)|найдем (?:тебя|вас)|"
    r"(?:ноги|руки|башку|голову) (?:тебе |вам )?(?:переломаю|вырву|оторву|снесу|отрежу)|"
    r"кишки выпущу|пожалеешь|пожалеете|сдохни|сдохнешь|сдохнете|сдохните|тебе конец|вам конец|"
    r"(?:i(?:'ll| will) (?:kill|hurt|find|shoot) you)|kill you|you(?:'re| are) dead|watch your back|"
    r"i know where you live)"
)
# The classic English "Scunthorpe problem" words (hand-written; pymorphy3 covers only Russian).
# Because Scunthorpe/assess/cocktail are also test traps, the English trap tests are not an
# independent measure; the Russian ones are (their words are sampled, not hand-picked).
EN_HARD_NEGATIVES: list[Row] = [(w, 0) for w in tx._words(
    "scunthorpe assess assessment assassin bass class classic compass grass pass passage embassy "
    "cocktail cockpit peacock hancock hitchcock dickens dickinson shitake analysis analyst therapist "
    "button buttress sussex essex middlesex arsenal titanic title matsushita cumulative document "
    "circumstance hellenic shell hello")]


# --------------------------------------------------------------------------- #
# Data
# --------------------------------------------------------------------------- #
@dataclass
class Data:
    """Training pool (by source) and evaluation sets, already deduplicated against each other."""

    train: dict[str, list[Row]] = field(default_factory=dict)
    evals: dict[str, list[Row]] = field(default_factory=dict)
    ok_train: list[Row] = field(default_factory=list)
    ok_test_labels: list[set[str]] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)


def _csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def _dedup(rows: Iterable[Row]) -> list[Row]:
    """Keep the first row per key; drop keys that occur with both labels; drop empty keys."""
    first: dict[str, Row] = {}
    labels: dict[str, set[int]] = {}
    for text, y in rows:
        k = tx.dedup_key(text)
        if not k:
            continue
        labels.setdefault(k, set()).add(y)
        first.setdefault(k, (text.strip(), y))
    return [r for k, r in first.items() if len(labels[k]) == 1]


def stratified_split(rows: Sequence[Row], test_frac: float, seed: int) -> tuple[list[Row], list[Row]]:
    """Per-class random split with a fixed seed (sklearn's ``train_test_split`` semantics)."""
    from sklearn.model_selection import train_test_split

    tr, te = train_test_split(list(rows), test_size=test_frac, random_state=seed,
                              stratify=[y for _, y in rows])
    return list(tr), list(te)


def load_shared(shared: Path, *, pool: bool = True) -> Data:
    """Read every set, build the evaluation splits, dedup the pool against all of them.

    ``pool=False`` builds only the evaluation sets (the benchmark needs no training data).
    """
    from sklearn.model_selection import train_test_split

    base = shared / "data" / "toxicity"
    d = Data()
    # --- evaluation sets ---
    pik = _dedup((r["comment"], int(float(r["toxic"]))) for r in _csv(base / "ru_2ch_pikabu" / "labeled.csv"))
    pik_train, pik_test = stratified_split(pik, 0.1, SEED)
    vk = _dedup((r["comments"], int(r["toxicity"]))
                for r in _csv(base / "ru_distorted_toxicity_vk" / "russian_distorted_toxicity.tsv", "\t"))
    ok_test_raw = _csv(base / "ru_ok_encodechka" / "toxic_test.csv")
    ok_train_raw = _csv(base / "ru_ok_encodechka" / "toxic_train.csv")
    dav = _csv(base / "en_davidson_hate_offensive" / "labeled_data.csv")
    # the authors' split: train_test_split(X, y, random_state=42, test_size=0.1), not stratified
    dav_rows = [(r["tweet"], int(r["class"] in ("0", "1"))) for r in dav]
    dav_train, dav_test = train_test_split(dav_rows, test_size=0.1, random_state=SEED)
    seen: set[str] = set()
    ok_test: list[Row] = []
    for r in ok_test_raw:  # keep labels aligned with rows after dedup
        k = tx.dedup_key(r["text"])
        if k and k not in seen:
            seen.add(k)
            ok_test.append((r["text"], int(r["toxic"])))
            d.ok_test_labels.append({lab.replace("__label__", "") for lab in ast.literal_eval(r["labels"])})
    d.evals = {"ru_2ch_pikabu_test": pik_test, "ru_distorted_toxicity_vk": vk,
               "ru_ok_encodechka_test": ok_test, "en_davidson_test": _dedup(dav_test)}
    d.ok_train = _dedup((r["text"], int(r["toxic"])) for r in ok_train_raw)
    # every key that any evaluation uses (encodechka train too: the protocol LR is fitted on it)
    banned = {tx.dedup_key(t) for rows in d.evals.values() for t, _ in rows}
    banned |= {tx.dedup_key(t) for t, _ in d.ok_train}

    d.notes["evals"] = {k: {"n": len(v), "toxic": sum(y for _, y in v)} for k, v in d.evals.items()}
    if not pool:
        return d
    # --- training pool (permissive or unstated licences only; see README) ---
    para: list[Row] = []
    for name in ("train.tsv", "dev.tsv"):
        for r in _csv(base / "ru_paradetox_russe2022" / name, "\t"):
            para.append((r["toxic_comment"], 1))
            para += [(r[c], 0) for c in ("neutral_comment1", "neutral_comment2", "neutral_comment3")
                     if (r.get(c) or "").strip()]
    para += [(r["toxic_comment"], 1) for r in _csv(base / "ru_paradetox_russe2022" / "test.tsv", "\t")]
    rudetox = [(line, 1) for line in (base / "ru_obscene_lexicon_rudetoxifier" / "ru_test_10k_toxic.txt")
               .read_text(encoding="utf-8").splitlines() if line.strip()]
    sources = {"ru_2ch_pikabu_train": pik_train, "ru_paradetox": para, "rudetoxifier_10k": rudetox,
            "en_davidson_train": dav_train, "hard_negatives": mine_hard_negatives() + EN_HARD_NEGATIVES}
    used: set[str] = set()
    for src, rows in sources.items():
        kept = [r for r in _dedup(rows) if tx.dedup_key(r[0]) not in banned]
        kept = [r for r in kept if tx.dedup_key(r[0]) not in used]
        used |= {tx.dedup_key(t) for t, _ in kept}
        d.train[src] = kept
        d.notes[src] = {"rows_in": len(rows), "kept": len(kept), "toxic": sum(y for _, y in kept)}
    return d


# --------------------------------------------------------------------------- #
# Training
# --------------------------------------------------------------------------- #
def _idf(texts: Sequence[str]) -> NDArray[np.float32]:
    """Smoothed idf over the hashed features (sklearn's formula)."""
    _, indices, _ = tx.hashed_counts(texts)
    df = np.bincount(indices, minlength=tx._N_FEATURES).astype(np.float64)  # one hit per doc per id
    n = len(texts)
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


def features(texts: Sequence[str], idf: NDArray[np.float32]) -> Any:
    """The model's features as a scipy CSR matrix (for fitting)."""
    import scipy.sparse as sp

    indptr, indices, vals = tx.featurize(texts, idf)
    return sp.csr_matrix((vals, indices, indptr), shape=(len(texts), tx._N_FEATURES))


def mine_hard_negatives(limit: int = 6000, seed: int = SEED) -> list[Row]:
    """Innocent dictionary words that contain a мат-like substring, as label-0 rows.

    Char n-grams otherwise learn that "страхуй" in "застрахуйте" or "пидар" in "скипидар" is
    toxic. The words come from the pymorphy3 dictionary (every word form), minus anything the
    obscenity pattern matches; a seeded sample keeps them from swamping the real data.
    """
    import pymorphy3

    bad = re.compile(r"ху[йяеюи]|бля|пид[оа]р|сук|пизд|муд|манд|залуп|хер|[её]б[аулн]|сос[иа]|трах|дроч")
    words = sorted({w.replace("ё", "е") for w in pymorphy3.MorphAnalyzer().dictionary.words.iterkeys()
                    if bad.search(w)})
    words = [w for w in words if not OBSCENE_RE.search(w)]
    random.Random(seed).shuffle(words)
    return [(w, 0) for w in words[:limit]]


def _fit_head(x_fit: Any, y_fit: NDArray[np.int_], x_cal: Any, y_cal: NDArray[np.int_],
              c: float, w_fit: NDArray[np.float64]) -> tuple[NDArray[np.float32], float, float, float]:
    """LogisticRegression on the fit fold + Platt (a, b) on the held-out calibration fold."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
    clf.fit(x_fit, y_fit, sample_weight=w_fit)
    s = clf.decision_function(x_cal).reshape(-1, 1)
    platt = LogisticRegression(C=1e6, solver="lbfgs").fit(s, y_cal)
    return (clf.coef_.ravel().astype(np.float32), float(clf.intercept_[0]),
            float(platt.coef_[0, 0]), float(platt.intercept_[0]))


def train(rows: Sequence[Row], out: Path, *, c: float = 8.0, notes: dict[str, Any] | None = None,
          weights: Sequence[float] | None = None, threshold_rows: Sequence[bool] | None = None) -> Path:
    """Fit all heads on ``rows`` (text, toxic), write npz + json into ``out``; return the json path.

    ``weights`` are per-row sample weights (the in-domain set counts more); ``threshold_rows``
    marks rows whose calibration-fold members choose the F1-optimal ``toxic`` threshold that is
    recorded in the JSON next to the default 0.5 (chosen on held-out rows, never on a test set).
    """
    import scipy.sparse as sp
    from sklearn.metrics import f1_score

    t0 = time.perf_counter()
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    w_all = np.array([weights[i] if weights is not None else 1.0 for i in order])
    thr_mask = np.array([bool(threshold_rows[i]) if threshold_rows is not None else True for i in order])
    rows = [rows[i] for i in order]
    texts = [t for t, _ in rows]
    idf = _idf(texts)
    x_full = features(texts, idf)
    # fit on the columns that occur only: liblinear's cost grows with the 1.5M hashed columns
    used = np.unique(x_full.indices)
    x = x_full[:, used]
    n_cal = max(2, int(0.15 * len(rows)))
    y_all = {
        "toxic": np.array([y for _, y in rows]),
        "obscenity": np.array([int(OBSCENE_RE.search(tx.normalize(t)) is not None) for t in texts]),
        "threat": np.array([int(THREAT_RE.search(tx.normalize(t)) is not None) for t in texts]),
    }
    best_thr = 0.5
    heads: list[str] = []
    coefs: list[NDArray[np.float32]] = []
    inter: list[float] = []
    platt: list[tuple[float, float]] = []
    for name, y in y_all.items():
        if len(set(y[n_cal:].tolist())) < 2 or len(set(y[:n_cal].tolist())) < 2:
            continue  # not enough positives to train this head; it will be derived
        w, b, pa, pb = _fit_head(x[n_cal:], y[n_cal:], x[:n_cal], y[:n_cal], c, w_all[n_cal:])
        if name == "toxic":
            s_cal = x[:n_cal][thr_mask[:n_cal]] @ w.astype(np.float64) + b
            p_cal = 1.0 / (1.0 + np.exp(-(pa * s_cal + pb)))
            y_cal = y[:n_cal][thr_mask[:n_cal]]
            grid = [round(g, 2) for g in np.arange(0.1, 0.91, 0.02)]
            f1s = [f1_score(y_cal, (p_cal >= g).astype(int), zero_division=0) for g in grid]
            best_thr = grid[int(np.argmax(f1s))]
        heads.append(name)
        w_full = np.zeros(tx._N_FEATURES, dtype=np.float32)
        w_full[used] = w
        coefs.append(w_full)
        inter.append(b)
        platt.append((pa, pb))
    coef = sp.csr_matrix(np.vstack(coefs))
    coef.data[np.abs(coef.data) < 1e-4] = 0.0
    coef.eliminate_zeros()
    out.mkdir(parents=True, exist_ok=True)
    npz = out / tx.ARTIFACT_NAME
    np.savez_compressed(npz, idf=idf.astype(np.float16), heads=np.array(heads),
                        coef_data=coef.data.astype(np.float16), coef_indices=coef.indices.astype(np.int32),
                        coef_indptr=coef.indptr.astype(np.int32), intercept=np.array(inter),
                        platt=np.array(platt))
    derived = {"insult": "= toxic (no permissively licensed insult labels; see README)"}
    for name in ("obscenity", "threat"):
        pattern = {"obscenity": "OBSCENE_RE", "threat": "THREAT_RE"}[name]
        derived[name] = (f"trained on weak labels from train_toxicity.{pattern} patterns"
                         if name in heads else "not trained (too few weak positives): "
                         + ("= toxic" if name == "obscenity" else "= 0"))
    meta = {
        "version": tx.MODEL_VERSION, "artifact": npz.name, "sha256": tx.sha256_file(npz),
        "labels": list(tx.LABELS), "heads": heads, "derived": derived,
        "features": tx.feature_params(),
        "model": {"kind": "LogisticRegression(liblinear) + Platt on a held-out 15% fold", "C": c,
                  "fit_rows": len(rows) - n_cal, "calibration_rows": n_cal},
        "thresholds": {"default": 0.5, "f1_opt_on_in_domain_calibration_rows": best_thr},
        "train_seconds": round(time.perf_counter() - t0, 1),
        "data": notes or {},
    }
    (out / tx.META_NAME).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tx.ToxicityModel.clear_cache()
    return out / tx.META_NAME


# --------------------------------------------------------------------------- #
# Evaluation
# --------------------------------------------------------------------------- #
def prf(y: Sequence[int], p: Sequence[float], thr: float = 0.5) -> dict[str, float]:
    """P/R/F1 of the toxic class at ``thr`` plus ROC-AUC (when both classes occur)."""
    from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

    pred = [int(s >= thr) for s in p]
    res = {"n": float(len(y)), "precision": float(precision_score(y, pred, zero_division=0)),
           "recall": float(recall_score(y, pred, zero_division=0)),
           "f1": float(f1_score(y, pred, zero_division=0))}
    if len(set(y)) == 2:
        res["roc_auc"] = float(roc_auc_score(y, p))
    return {k: round(v, 4) for k, v in res.items()}


def evaluate(model: tx.ToxicityModel, d: Data) -> dict[str, Any]:
    """All held-out numbers, plus the Encodechka-protocol LR (fitted on OK train; never shipped)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    res: dict[str, Any] = {}
    ok_probs: list[dict[str, float]] = []
    for name, rows in d.evals.items():
        probs = model.predict([t for t, _ in rows])
        res[name] = prf([y for _, y in rows], [p["toxic"] for p in probs])
        thr = float(model.meta.get("thresholds", {}).get("f1_opt_on_in_domain_calibration_rows", 0.5))
        res[name + f"@{thr}"] = prf([y for _, y in rows], [p["toxic"] for p in probs], thr)
        if name == "ru_ok_encodechka_test":
            ok_probs = probs
    per_label = {}
    for lab, key in (("INSULT", "insult"), ("OBSCENITY", "obscenity"), ("THREAT", "threat")):
        y = [int(lab in s) for s in d.ok_test_labels]
        per_label[key] = round(float(roc_auc_score(y, [p[key] for p in ok_probs])), 4)
    res["ru_ok_encodechka_test_per_label_auc"] = per_label
    # Encodechka protocol: LogisticRegression(max_iter=10000) on OUR frozen features of OK train.
    feats = features([t for t, _ in d.ok_train], model.idf)
    clf = LogisticRegression(max_iter=10000).fit(feats, [y for _, y in d.ok_train])
    ok = d.evals["ru_ok_encodechka_test"]
    sc = clf.predict_proba(features([t for t, _ in ok], model.idf))[:, 1]
    res["encodechka_protocol_lr_on_our_features_NOT_SHIPPED"] = {
        "roc_auc": round(float(roc_auc_score([y for _, y in ok], sc)), 4)}
    return res


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared/ checkout")
    ap.add_argument("--out", type=Path, default=tx.DEFAULT_DIR, help="models dir to write")
    ap.add_argument("--train-csv", type=Path, help="train on this text,toxic CSV instead (smoke test)")
    ap.add_argument("--c", type=float, default=8.0, help="inverse L2 strength of the heads")
    ap.add_argument("--in-domain-weight", type=float, default=3.0,
                    help="sample weight of ru_2ch_pikabu train rows (the others weigh 1)")
    ap.add_argument("--no-eval", action="store_true", help="skip the evaluation")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.train_csv:
        rows = [(r["text"], int(float(r["toxic"]))) for r in _csv(args.train_csv)]
        meta = train(rows, args.out, c=args.c, notes={"train_csv": str(args.train_csv)})
        print(f"wrote {meta}")
        return 0
    d = load_shared(args.shared)
    rows = [r for src in d.train.values() for r in src]
    in_domain = [src == "ru_2ch_pikabu_train" for src, part in d.train.items() for _ in part]
    weights = [args.in_domain_weight if m else 1.0 for m in in_domain]
    d.notes["in_domain_weight"] = args.in_domain_weight
    print(json.dumps(d.notes, ensure_ascii=False, indent=1))
    meta = train(rows, args.out, c=args.c, notes=d.notes, weights=weights, threshold_rows=in_domain)
    print(f"wrote {meta} in {time.perf_counter() - t0:.1f}s")
    if not args.no_eval:
        metrics = evaluate(tx.ToxicityModel.load(meta), d)
        metrics["train_seconds_total"] = round(time.perf_counter() - t0, 1)
        (args.out / f"{tx.MODEL_VERSION}.metrics.json").write_text(
            json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(metrics, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
