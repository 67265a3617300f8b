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
_TRIE_DEAD = 0  # char n-gram trie: the node every unknown char or prefix leads to
_TRIE_ROOT = 1


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
_CHARTAB: dict[int, tuple[Any, int, Any, Any]] = {}


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
        """Per-signal probabilities for many messages (dicts over :meth:`predict_matrix`)."""
        sig = self.signals
        return [dict(zip(sig, row, strict=True)) for row in self.predict_matrix(views).tolist()]

    def predict_matrix(self, views: Sequence[tuple[Sequence[str], str]]) -> Any:
        """Probabilities, shape (len(views), len(signals)), with ONE sparse pass (fast path).

        Lemma 1-2-grams are mapped to columns in Python (``map(dict.get)``, in C); char
        2-4-grams are mapped for the whole batch at once by :meth:`_char_columns` (integer
        codes and a trie walk, the exact same columns as the vocabulary dict).  Counting,
        tf-idf weighting, l2 norms and the dot products run on one CSR matrix: scipy sums
        duplicate (row, column) pairs by sorting each row's ~200 columns (a global sort of
        the batch's keys cost twice as much), and its sparse-dense product gathers each
        feature's weight row once without a temporary (the numpy gather it replaces moved
        ~36 MB per 1,000 messages).  Same features, columns and arithmetic as
        :meth:`predict_one`; only the summation order of float sums differs (≈1e-15).
        """
        import numpy as np
        import scipy.sparse as sp

        w_ix, b_ix, _ = self._typed_index()
        w_get, b_get = w_ix.get, b_ix.get
        neg = itertools.repeat(-1)
        add = operator.add
        cols: list[int] = []
        extend = cols.extend
        lens: list[int] = []
        padded: list[str] = []
        t_lens: list[int] = []
        for lemmas, norm_text in views:
            before = len(cols)
            words = [w for w in lemmas if w[:1].isalnum()]
            if words:
                extend(map(w_get, words, neg))
                if len(words) > 1:
                    extend(map(b_get, map(add, map(add, words, itertools.repeat(" ")), words[1:]), neg))
            t = " " + " ".join(norm_text.split()) + " "
            padded.append(t)
            t_lens.append(len(t))
            lens.append(len(cols) - before)
        n = len(views)
        z = np.tile(self.intercept, (n, 1))
        c_rows, c_cols = self._char_columns(padded, t_lens)
        if cols or len(c_cols):
            col_a = np.concatenate([np.asarray(cols, dtype=np.int64), c_cols])
            row_a = np.concatenate([np.repeat(np.arange(n, dtype=np.int64), lens), c_rows])
            keep = col_a >= 0
            if keep.any():
                shape = (n, self.coef.shape[0])
                x = sp.csr_matrix((np.ones(int(keep.sum())), (row_a[keep], col_a[keep])), shape=shape)
                x.sum_duplicates()  # canonical: each row's columns sorted, data = counts
                vals = (1.0 + np.log(x.data)) * self.idf_array[x.indices]
                per_row = np.diff(x.indptr)
                rows = np.repeat(np.arange(n, dtype=np.int64), per_row)
                norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=n))
                x.data = vals / norms[rows]
                z += x @ self.coef
        return 1.0 / (1.0 + np.exp(-z))

    def _char_columns(self, padded: list[str], t_lens: list[int]) -> tuple[Any, Any]:
        """(row, column) of every char 2-4-gram of the batch that is in the vocabulary.

        Each char is coded 1..A by the vocabulary's alphabet (0: a char no vocabulary
        n-gram contains).  The vocabulary's n-grams form a trie stored as one flat array
        (``child[node·B + code]``, B = A + 1; node 0 is a dead end whose children are all
        dead, so unknown chars and unknown prefixes need no masking): walking it from every
        position of the batch at once costs four gathers, where a binary search of each
        n-gram in a sorted key array cost ~20 µs per message.  The same (row, column) pairs,
        in the same order, as a dict lookup of every n-gram.
        """
        import numpy as np

        lut, width, child, col_of = self._char_table()
        base = np.int32(width)  # uint16 node · int32 base: int32 slot indices (see _char_table)
        text = "".join(padded)
        if not text:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ords = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        codes = lut[np.minimum(ords, len(lut) - 1)]
        total = len(codes)
        lens_a = np.asarray(t_lens, dtype=np.int64)
        row_of = np.repeat(np.arange(len(t_lens), dtype=np.int64), lens_a)
        end_of = np.repeat(np.cumsum(lens_a), lens_a)  # exclusive end of each char's message
        pos = np.arange(total, dtype=np.int64)
        ext = np.concatenate([codes, np.zeros(3, dtype=codes.dtype)])
        rows_out = []
        cols_out = []
        lo, hi = CHAR_N
        node = child[_TRIE_ROOT * base + ext[:total]]
        for n in range(2, hi + 1):
            node = child[node * base + ext[n - 1 : n - 1 + total]]
            if n < lo:
                continue
            col = col_of[node]
            hit = (col >= 0) & (pos + n <= end_of)
            rows_out.append(row_of[hit])
            cols_out.append(col[hit])
        return np.concatenate(rows_out), np.concatenate(cols_out)

    def _char_table(self) -> tuple[Any, int, Any, Any]:
        """Char code table, base, the n-gram trie (``child``) and each node's column (cached).

        Built level by level with ``np.unique`` (no Python loop over the ~20k n-grams).
        Stored as int32 (asserted to fit): the trie is ~5.7M slots, 45 MB as int64 (21 MB
        resident), held for the life of the process; the columns and the walk are the same.
        """
        got = _CHARTAB.get(id(self))
        if got is not None:
            return got
        import numpy as np

        c_ix = self._typed_index()[2]
        alphabet = sorted(set("".join(c_ix)))
        base = len(alphabet) + 1
        top = max((ord(ch) for ch in alphabet), default=0)
        lut = np.zeros(top + 2, dtype=np.int32)  # last slot: every codepoint above ``top``
        for i, ch in enumerate(alphabet, start=1):
            lut[ord(ch)] = i
        items = [(g, j) for g, j in c_ix.items() if CHAR_N[0] <= len(g) <= CHAR_N[1]]
        # Fixed width 4, padded with chr(top + 1) (code 0), one pass.
        pad = chr(top + 1)
        flat = "".join(g.ljust(4, pad) for g, _ in items).encode("utf-32-le", "surrogatepass")
        codes = lut[np.minimum(np.frombuffer(flat, dtype=np.uint32), len(lut) - 1)].reshape(-1, 4)
        glen = np.asarray([len(g) for g, _ in items], dtype=np.int64)
        gcol = np.asarray([j for _, j in items], dtype=np.int64)
        parent = np.full(len(items), _TRIE_ROOT, dtype=np.int64)
        node_of = np.zeros(len(items), dtype=np.int64)
        edges: list[tuple[Any, Any]] = []
        next_id = _TRIE_ROOT + 1
        for k in range(CHAR_N[1]):
            sel = glen > k
            keys, inv = np.unique(parent[sel] * base + codes[sel, k], return_inverse=True)
            ids = np.arange(next_id, next_id + len(keys), dtype=np.int64)
            next_id += len(keys)
            edges.append((keys, ids))
            parent[sel] = ids[inv.reshape(-1)]
            node_of[glen == k + 1] = parent[glen == k + 1]
        # Node ids fit uint16 (~46k nodes) and every slot index (node·B + code) int32: the
        # walk in _char_columns multiplies by an int32 ``base``, so it cannot overflow.
        assert next_id < 2**16 and next_id * base < 2**31 and len(self.index) < 2**31, "char trie too big"
        child = np.zeros(next_id * base, dtype=np.uint16)  # 0: the dead node
        for keys, ids in edges:
            child[keys] = ids
        col_of = np.full(next_id, -1, dtype=np.int32)
        col_of[node_of] = gcol
        col_of[_TRIE_DEAD] = -1
        got = (lut, base, child, col_of)
        _CHARTAB[id(self)] = got
        return got

    def top_words(
        self, lemmas: Sequence[str], signal: str, k: int = 2, share: float = 0.25,
        skip: frozenset[str] = frozenset(),
    ) -> list[tuple[int, int, str]]:
        """The lemma 1-2-grams that push ``signal`` up most in one message, for evidence.

        Why: the model's evidence is the whole message (it reads all of it), which says
        nothing about which words decided; ``clientguard check --explain`` shows these.
        Not on the analysis hot path: pointing every label's evidence at them cost 12-20%
        of the full analysis's throughput (eighth session), so it stayed an explanation.
        A feature's share of the logit is ``x_f · coef[f, signal]`` with ``x_f = (1 + log
        tf) · idf / ‖x‖``; the norm is common to every feature of the message, so ranking
        by ``(1 + log tf) · idf · coef`` needs no char n-grams.
        Returns up to ``k`` features with a positive share of at least ``share`` of the
        largest, as (index of the first token, index of the last token, feature), the
        indices pointing into ``lemmas``; first occurrences only. Unigrams in ``skip``
        (function words: "а", "за", "мой" carry weight but tell a reader nothing) are not
        shown; bigrams holding them ("не то") are. Empty when no word feature pushes the
        signal up (char n-grams decided).
        """
        import numpy as np

        j = self.signals.index(signal)
        w_ix, b_ix, _ = self._typed_index()
        pos = [i for i, w in enumerate(lemmas) if w[:1].isalnum()]
        found: dict[str, list[int]] = {}  # feature -> [column, count, first token, last token]
        for n, i in enumerate(pos):
            w = lemmas[i]
            col = w_ix.get(w) if w not in skip else None
            if col is not None:
                got = found.get(w)
                if got is None:
                    found[w] = [col, 1, i, i]
                else:
                    got[1] += 1
            if n + 1 < len(pos):
                bigram = w + " " + lemmas[pos[n + 1]]
                col = b_ix.get(bigram)
                if col is not None:
                    got = found.get(bigram)
                    if got is None:
                        found[bigram] = [col, 1, i, pos[n + 1]]
                    else:
                        got[1] += 1
        if not found:
            return []
        names = list(found)
        cols = np.fromiter((found[f][0] for f in names), dtype=np.int64, count=len(names))
        tf = np.fromiter((found[f][1] for f in names), dtype=np.float64, count=len(names))
        share_of = (1.0 + np.log(tf)) * self.idf_array[cols] * self.coef[cols, j]
        order = np.argsort(-share_of, kind="stable")
        best = float(share_of[order[0]])
        out: list[tuple[int, int, str]] = []
        for o in order[:k].tolist():
            v = float(share_of[o])
            if v <= 0.0 or v < share * best:
                break
            _, _, first, last = found[names[o]]
            out.append((first, last, names[o]))
        return out

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
