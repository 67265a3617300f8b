"""Statistical layer: one-vs-rest logistic regression over lemma and char n-grams.

Why: rules are precise but miss phrasings nobody wrote down; a linear model over
lemma uni/bi-grams and char 2-4-grams of the normalised text picks up the rest.  It is
blended with the rules by noisy-OR at a reduced weight (``BLEND``), so on its own it
fires only when confident.  Inference is plain numpy over a shipped vocabulary (no
sklearn import, no pickle), so loading stays fast; features are computed by
:func:`features`, the same function the training script (``train_signals.py``) uses.

Artifact: ``models/signals_lr.v1.npz`` (vocabulary, idf, coefficients, intercepts) and
``models/signals_lr.v1.json`` (version, sha256, blend weight, out-of-fold scores).
Rebuild: ``python -m clientguard.nlp.train_signals --shared ../shared``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import math
import operator
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from clientguard.taxonomy import SIGNALS

log = logging.getLogger(__name__)
MODEL_VERSION = "signals_lr.v1"
MODEL_DIR = Path(__file__).with_name("models")
CHAR_N = (2, 4)


def features(lemmas: Sequence[str], norm_text: str) -> dict[str, float]:
    """Sparse term counts: ``w:`` lemma unigrams, ``b:`` bigrams, ``c:`` char n-grams."""
    out: dict[str, float] = {}
    words = [w for w in lemmas if w[:1].isalnum()]
    for w in words:
        k = "w:" + w
        out[k] = out.get(k, 0.0) + 1.0
    for a, b in itertools.pairwise(words):
        k = "b:" + a + " " + b
        out[k] = out.get(k, 0.0) + 1.0
    t = " " + " ".join(norm_text.split()) + " "
    lo, hi = CHAR_N
    for n in range(lo, hi + 1):
        for i in range(len(t) - n + 1):
            k = "c:" + t[i : i + n]
            out[k] = out.get(k, 0.0) + 1.0
    return out


_TYPED: dict[int, tuple[dict[str, int], dict[str, int], dict[str, int]]] = {}


@dataclass(frozen=True)
class SignalModel:
    """Vocabulary → column, idf per column, weights [n_features][signals], intercepts."""

    index: dict[str, int]
    idf: tuple[float, ...]
    coef: Any  # numpy array (n_features, n_signals)
    intercept: Any  # numpy array (n_signals,)
    signals: tuple[str, ...]
    blend: float
    idf_array: Any = None  # numpy copy of ``idf`` for the vectorised path

    def _typed_index(self) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        """The vocabulary split by feature type, keys without the ``w:``/``b:``/``c:`` tag."""
        got = _TYPED.get(id(self))
        if got is None:
            parts: dict[str, dict[str, int]] = {"w": {}, "b": {}, "c": {}}
            for k, j in self.index.items():
                parts[k[0]][k[2:]] = j
            got = (parts["w"], parts["b"], parts["c"])
            _TYPED[id(self)] = got
        return got

    def predict_many(self, views: Sequence[tuple[Sequence[str], str]]) -> list[dict[str, float]]:
        """Per-signal probabilities for many messages with ONE numpy pass (fast path).

        Python only builds the n-grams (``map(operator.add, ...)`` joins shifted copies of
        the text in C) and maps them to columns (``map(dict.get, ..., repeat(-1))``, also
        in C); counting (``np.unique`` over row·V + column keys), tf-idf weighting, l2 norms
        and the dot products are vectorised over the batch.  Same features, same columns
        and same arithmetic as :meth:`predict_one` / the old per-message path; only the
        summation order of the float sums differs (≈1e-16).
        """
        import numpy as np

        w_ix, b_ix, c_ix = self._typed_index()
        w_get, b_get, c_get = w_ix.get, b_ix.get, c_ix.get
        neg = itertools.repeat(-1)
        add = operator.add
        cols: list[int] = []
        extend = cols.extend
        lens: list[int] = []
        for lemmas, norm_text in views:
            before = len(cols)
            words = [w for w in lemmas if w[:1].isalnum()]
            if words:
                extend(map(w_get, words, neg))
                if len(words) > 1:
                    extend(map(b_get, map(add, map(add, words, itertools.repeat(" ")), words[1:]), neg))
            t = " " + " ".join(norm_text.split()) + " "
            g2 = list(map(add, t, t[1:]))
            extend(map(c_get, g2, neg))
            g3 = list(map(add, g2, t[2:]))
            extend(map(c_get, g3, neg))
            extend(map(c_get, map(add, g3, t[3:]), neg))
            lens.append(len(cols) - before)
        n = len(views)
        z = np.tile(self.intercept, (n, 1))
        if cols:
            col_a = np.asarray(cols, dtype=np.int64)
            row_a = np.repeat(np.arange(n, dtype=np.int64), lens)
            keep = col_a >= 0
            if keep.any():
                n_feat = self.coef.shape[0]
                keys, counts = np.unique(row_a[keep] * n_feat + col_a[keep], return_counts=True)
                rows = keys // n_feat
                cidx = keys - rows * n_feat
                vals = (1.0 + np.log(counts.astype(np.float64))) * self.idf_array[cidx]
                norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=n))
                vals = vals / norms[rows]
                bounds = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
                sums = np.add.reduceat(self.coef[cidx] * vals[:, None], bounds, axis=0)
                z[rows[bounds]] += sums
        p = 1.0 / (1.0 + np.exp(-z))
        sig = self.signals
        return [dict(zip(sig, row, strict=True)) for row in p.tolist()]

    def predict_one(self, lemmas: Sequence[str], norm_text: str) -> dict[str, float]:
        """Per-signal probabilities for one message."""
        import numpy as np

        feats = features(lemmas, norm_text)
        cols: list[int] = []
        vals: list[float] = []
        for k, v in feats.items():
            j = self.index.get(k)
            if j is not None:
                cols.append(j)
                vals.append((1.0 + math.log(v)) * self.idf[j])
        if not cols:
            z = self.intercept
        else:
            x = np.asarray(vals)
            x /= math.sqrt(float(x @ x)) or 1.0
            z = x @ self.coef[cols] + self.intercept
        p = 1.0 / (1.0 + np.exp(-z))
        return {s: float(p[i]) for i, s in enumerate(self.signals)}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def load_model(directory: Path = MODEL_DIR) -> SignalModel | None:
    """The shipped model, or None when absent or inconsistent (rules still work)."""
    npz = directory / f"{MODEL_VERSION}.npz"
    meta_p = directory / f"{MODEL_VERSION}.json"
    if not npz.is_file() or not meta_p.is_file():
        return None
    meta = json.loads(meta_p.read_text(encoding="utf-8"))
    if meta.get("version") != MODEL_VERSION or meta.get("sha256") != _sha256(npz):
        log.warning("%s: version or checksum mismatch, statistical layer disabled", npz)
        return None
    import numpy as np

    data = np.load(npz, allow_pickle=False)
    vocab = [str(v) for v in data["vocab"].tolist()]
    sigs = tuple(str(s) for s in data["signals"].tolist())
    if set(sigs) - set(SIGNALS):
        log.warning("%s: unknown signal ids, statistical layer disabled", npz)
        return None
    return SignalModel(
        index={v: i for i, v in enumerate(vocab)},
        idf=tuple(float(x) for x in data["idf"]),
        coef=np.ascontiguousarray(data["coef"], dtype=np.float64),
        intercept=np.asarray(data["intercept"], dtype=np.float64),
        signals=sigs,
        blend=float(meta.get("blend", 0.8)),
        idf_array=np.asarray(data["idf"], dtype=np.float64),
    )
