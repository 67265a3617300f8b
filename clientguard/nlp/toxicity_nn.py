"""Accurate toxicity mode: a small BiGRU over navec embeddings and an in-domain NB-SVM, stacked with the LR.

Why it exists: the hashed-TF-IDF logistic regression (:mod:`clientguard.nlp.toxicity`) is fast
but tops out near F1 0.85 on 2ch/pikabu. Two more members see what it misses:

* a bidirectional GRU over pretrained Russian word vectors (navec, news 1B, 300d) plus hashed
  char n-gram subword vectors: synonyms, word order and context;
* an NB-SVM on the LR's own hashed features (no extra featurisation cost): naive-Bayes
  log-count ratios from the ru_2ch_pikabu rows, a logistic regression over all Russian rows
  with pikabu rows weighted up, i.e. an in-domain specialist that still saw the other sets.

A 3-weight logistic stacker combines ``logit(p_LR)``, the GRU logit and the NB-SVM score
(``models/toxicity_README.md`` has the measured numbers and their limits).

Why it is opt-in and a cascade: the GRU costs far more per message than the LR, and the
18-signal path must stay above 5,000 msg/s. So it runs only

* when asked for (``CLIENTGUARD_TOXICITY_MODE=accurate``, read by :meth:`ToxicityModel.load`,
  or :func:`load_accurate` directly; the toxicity benchmark has ``--accurate``), and then
* only on Cyrillic messages whose LR probability lies in the uncertain band recorded in the
  JSON; outside it the LR is already confident and its score is returned unchanged.

No torch at run time: training (``train_toxicity_nn.py``) exports the weights to numpy. The
navec vectors are stored only for the words of the training pool, already passed through the
learned projection and ``tanh`` and quantised to int8 (values are in [-1, 1]), so neither the
navec package nor its 26 MB file is needed here. Unknown words get navec's ``<unk>`` row; their
subword (char n-gram) vector still carries spelling, which is what disguised мат needs.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from clientguard.errors import ModelError, msg
from clientguard.nlp import toxicity as tx
from clientguard.reasons import reason

NN_VERSION = "toxicity_nn.v2"
NN_ARTIFACT = f"{NN_VERSION}.npz"
NN_META = f"{NN_VERSION}.json"
MODE_ENV = "CLIENTGUARD_TOXICITY_MODE"

# Architecture constants shared by training and inference (copied into the JSON and checked).
MAX_WORDS = 80
SUB_BITS = 14
HIDDEN = 64  # GRU units per direction
_CHUNK = 32  # at most this many texts per GRU pass (see NeuralToxicity.logits)
_WORD_RE = re.compile(r"\w+")
# navec is Russian and the GRU saw Russian rows only (the CNN of v1 had AUC 0.55 on Davidson),
# so texts without a Cyrillic letter keep the LR score.
_CYRILLIC = re.compile("[а-яёА-ЯЁ]")


def tokens(text: str) -> list[str]:
    """Words the GRU sees: ``\\w+`` runs of the normalised text, at most :data:`MAX_WORDS`.

    An empty text becomes one empty word, so every text has a vector (training did the same).
    """
    return _WORD_RE.findall(tx.normalize(text))[:MAX_WORDS] or [""]


def subword_ids(word: str) -> NDArray[np.int64]:
    """Distinct subword buckets of ``word``: the LR's char_wb 2-5-gram crc32 ids mod 2^SUB_BITS.

    Reusing the LR's hashing keeps one definition of "char n-gram" in the project.
    """
    if not word:
        return np.zeros(1, np.int64)
    return np.unique(np.array(tx._char_ids(word), dtype=np.int64) % (1 << SUB_BITS))


def nn_params() -> dict[str, Any]:
    """Inference settings an artifact must have been trained with."""
    return {"max_words": MAX_WORDS, "sub_bits": SUB_BITS, "model": "bigru", "hidden": HIDDEN,
            "pool": "max+mean", "token_re": _WORD_RE.pattern}


class NeuralToxicity:
    """The exported BiGRU: word vectors -> GRU both ways -> max+mean pool over words -> logit.

    A word vector is ``[tanh(proj(navec)) | mean of its subword rows]``. For the words of the
    training pool both halves are precomputed at export (computing the subword half costs a
    crc32 per char n-gram, the bulk of the cost on unseen text); other words get navec's
    ``<unk>`` row and a subword half computed here and cached.

    GRU weights follow torch's layout transposed, both directions stacked on axis 0:
    ``wih`` (2, d, 3H), ``whh`` (2, H, 3H), ``bih``/``bhh`` (2, 3H), gate order r, z, n.
    The backward direction is the forward recurrence over the reversed words (torch's packed
    sequences do the same); max and mean pooling do not care about the order of positions.
    """

    _CACHE_MAX: ClassVar[int] = 50_000

    def __init__(self, *, vocab: Sequence[str], word_vecs: NDArray[np.float32], unk: NDArray[np.float32],
                 sub: NDArray[np.float32], wih: NDArray[np.float32], whh: NDArray[np.float32],
                 bih: NDArray[np.float32], bhh: NDArray[np.float32], out_w: NDArray[np.float32],
                 out_b: float) -> None:
        self._index = {w: i for i, w in enumerate(vocab)}
        self._word_vecs = word_vecs  # (n_words, proj + sub_dim), complete vectors
        self._unk = unk  # (proj,)
        self._sub = sub  # (2^SUB_BITS, sub_dim)
        self.hidden = whh.shape[1]
        h3 = 3 * self.hidden
        if wih.shape != (2, word_vecs.shape[1], h3) or whh.shape != (2, self.hidden, h3):
            raise ModelError(msg("models.nn_shapes", wih=str(wih.shape), whh=str(whh.shape),
                                 dim=word_vecs.shape[1]))
        self._wih, self._whh = wih, whh
        self._bih, self._bhh = bih[:, None, :], bhh[:, None, :]
        # Inference-side rearrangement (fewer numpy calls per step, same arithmetic):
        # the recurrent r/z biases add to the input ones; the n gate's recurrent bias becomes an
        # extra row of whh, fed by a constant-1 column of the state; r/z pre-activations are
        # kept negated, so sigmoid is exp, +1, reciprocal.
        h2 = h3 - self.hidden
        neg = np.ones(h3, np.float32)
        neg[:h2] = -1.0
        self._wih_neg = (wih * neg).astype(np.float32)
        self._bias_in = ((np.concatenate([bih[:, :h2] + bhh[:, :h2], bih[:, h2:]], axis=1) * neg)
                         .astype(np.float32)[:, None, None, :])
        last = np.concatenate([np.zeros((2, 1, h2), np.float32), bhh[:, None, h2:]], axis=2)
        self._whh_aug = np.concatenate([whh * neg, last], axis=1).astype(np.float32)  # (2, H+1, 3H)
        self._out_w = out_w  # (4H,): [max fwd | max bwd | mean fwd | mean bwd]
        self._out_b = out_b
        self._cache: dict[str, NDArray[np.float32]] = {}
        self.dim = word_vecs.shape[1]

    def word_vector(self, word: str) -> NDArray[np.float32]:
        """The GRU's input vector for one word."""
        i = self._index.get(word)
        if i is not None:
            row: NDArray[np.float32] = self._word_vecs[i]
            return row
        v = self._cache.get(word)
        if v is None:
            v = np.concatenate([self._unk, self._sub[subword_ids(word)].mean(axis=0)]).astype(np.float32)
            if len(self._cache) >= self._CACHE_MAX:
                self._cache.clear()
            self._cache[word] = v
        return v

    def clear_cache(self) -> None:
        """Forget cached unknown-word vectors (benchmarks: repeated passes must not be flattered)."""
        self._cache.clear()

    def logit(self, text: str) -> float:
        """The GRU's raw logit for one text (training's ``net(...)`` output)."""
        return float(self.logits([text])[0])

    def _sequence(self, text: str) -> NDArray[np.float32]:
        index, table = self._index, self._word_vecs
        rows = [table[i] if (i := index.get(w)) is not None else self.word_vector(w) for w in tokens(text)]
        return np.stack(rows)

    def pooled(self, seqs: Sequence[NDArray[np.float32]]) -> NDArray[np.float32]:
        """Max+mean pooled BiGRU states of a few word-vector sequences, shape (len(seqs), 4H)."""
        n = len(seqs)
        hid = self.hidden
        lens = np.array([len(x) for x in seqs])
        steps = int(lens.max())
        x = np.zeros((2, n, steps, self.dim), np.float32)
        for i, s in enumerate(seqs):
            x[0, i, :len(s)] = s
            x[1, i, :len(s)] = s[::-1]
        gi = np.matmul(x.reshape(2, n * steps, self.dim), self._wih_neg).reshape(2, n, steps, 3 * hid)
        gi += self._bias_in
        gi = np.ascontiguousarray(gi.transpose(2, 0, 1, 3))  # (T, 2, n, 3H): gi[t] is contiguous
        state = np.zeros((2, n, hid + 1), np.float32)
        state[..., hid] = 1.0  # the constant column that carries the n gate's recurrent bias
        h = state[..., :hid]  # a view: updated in place
        hs = np.empty((steps, 2, n, hid), np.float32)
        whh = self._whh_aug
        h2 = 2 * hid
        for t in range(steps):  # padding sits after each text's words, so it never feeds a real step
            # in-place numpy calls: on short texts the per-call overhead is the cost
            gh = np.matmul(state, whh)
            g = gi[t]
            rz = np.add(g[..., :h2], gh[..., :h2])  # = -(r/z pre-activations)
            np.exp(rz, out=rz)
            rz += 1.0
            np.reciprocal(rz, out=rz)  # sigmoid: [r | z]
            cand = np.multiply(gh[..., h2:], rz[..., :hid])
            cand += g[..., h2:]
            np.tanh(cand, out=cand)
            h -= cand
            h *= rz[..., hid:]
            h += cand  # h' = (1 - z) * n + z * h
            hs[t] = h
        valid = (np.arange(steps)[:, None] < lens[None, :])[:, None, :, None]  # (T, 1, n, 1)
        mx = np.where(valid, hs, np.float32(-1e4)).max(axis=0)  # (2, n, H)
        mean = (hs * valid).sum(axis=0) / lens[None, :, None].astype(np.float32)
        out: NDArray[np.float32] = np.concatenate([mx[0], mx[1], mean[0], mean[1]], axis=1)
        return out

    def logits(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Raw logits of many texts, run in chunks of similar length.

        Texts are sorted by length; a chunk closes at :data:`_CHUNK` texts or when the next
        text is more than twice (+4 words) as long as the chunk's first, so short texts do not
        pay for a long one's steps (measured: -35% GRU time on 27-text pikabu batches).
        """
        if len(texts) == 0:
            return np.zeros(0)
        seqs = [self._sequence(t) for t in texts]
        order = np.argsort([len(s) for s in seqs], kind="stable").tolist()
        out = np.empty(len(texts))
        chunk: list[int] = []
        for pos, i in enumerate(order):
            chunk.append(i)
            nxt = order[pos + 1] if pos + 1 < len(order) else None
            if nxt is None or len(chunk) >= _CHUNK or len(seqs[nxt]) > 2 * len(seqs[chunk[0]]) + 4:
                out[chunk] = self.pooled([seqs[j] for j in chunk]) @ self._out_w + self._out_b
                chunk = []
        return out

    @classmethod
    def from_npz(cls, z: Any) -> NeuralToxicity:
        """Build from the arrays of ``toxicity_nn.v2.npz`` (int8 tables are dequantised here)."""
        vocab = bytes(z["vocab_utf8"]).decode("utf-8").split("\n")
        nav = z["word_nav_q"].astype(np.float32) * np.float32(z["word_nav_scale"])
        wsub = z["word_sub_q"].astype(np.float32) * z["word_sub_scale"].astype(np.float32)[:, None]
        sub = z["sub_q"].astype(np.float32) * z["sub_scale"].astype(np.float32)[:, None]
        if not len(vocab) == nav.shape[0] == wsub.shape[0]:
            raise ModelError(msg("models.nn_words", expected=nav.shape[0], got=len(vocab)))
        f32 = np.float32
        return cls(vocab=vocab, word_vecs=np.concatenate([nav, wsub], axis=1),
                   unk=z["unk"].astype(f32), sub=sub, wih=z["gru_wih"].astype(f32),
                   whh=z["gru_whh"].astype(f32), bih=z["gru_bih"].astype(f32), bhh=z["gru_bhh"].astype(f32),
                   out_w=z["out_w"].astype(f32), out_b=float(z["out_b"]))


class LinearMember:
    """The NB-SVM member: a sparse weight vector over the LR's hashed tf-idf features.

    Stored as (feature id, float16 weight) pairs; the naive-Bayes ratio is already folded into
    the weights, so scoring is the same gather + bincount as the LR heads.
    """

    def __init__(self, idx: NDArray[np.int32], w: NDArray[np.float32], b: float) -> None:
        self.w = np.zeros(tx._N_FEATURES, np.float32)
        self.w[idx] = w
        self.b = b

    def scores(self, indptr: NDArray[np.int64], indices: NDArray[np.int32],
               vals: NDArray[np.float32]) -> NDArray[np.float64]:
        """Raw scores of featurised rows (the CSR parts of :func:`toxicity.featurize`)."""
        rows = tx.row_ids(indptr)
        s = np.bincount(rows, weights=self.w[indices] * vals, minlength=len(indptr) - 1).astype(np.float64)
        out: NDArray[np.float64] = s + self.b
        return out

    @classmethod
    def from_npz(cls, z: Any) -> LinearMember:
        """Build from ``lin_idx``/``lin_w``/``lin_b`` of the artifact."""
        idx = z["lin_idx"].astype(np.int64)
        if idx.size and (idx.min() < 0 or idx.max() >= tx._N_FEATURES):
            raise ModelError(msg("models.nn_feature_ids"))
        return cls(idx.astype(np.int32), z["lin_w"].astype(np.float32), float(z["lin_b"]))


class AccurateToxicityModel(tx.ToxicityModel):
    """The LR model with ``toxic``/``insult`` replaced by the stacked LR+GRU+NB-SVM probability.

    Only messages that contain Cyrillic and whose LR ``toxic`` probability is in
    ``[band_lo, band_hi)`` are re-scored;
    the band contains the decision threshold, so outside it both models decide alike.
    ``obscenity`` and ``threat`` stay the LR's heads.
    """

    _acc_cache: ClassVar[dict[Path, AccurateToxicityModel]] = {}
    _acc_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, lr: tx.ToxicityModel, nn: NeuralToxicity, lin: LinearMember,
                 nn_meta: dict[str, Any]) -> None:
        super().__init__(heads=lr.heads, coef=lr._coef, intercept=lr._intercept, platt=lr._platt,
                         idf=lr.idf, meta=lr.meta)
        self.nn = nn
        self.lin = lin
        self.nn_meta = nn_meta
        stack = nn_meta["stack"]
        self._a, self._b = float(stack["a_lr_logit"]), float(stack["b_nn_logit"])
        self._d, self._c = float(stack["d_lin"]), float(stack["c"])
        self.band = (float(nn_meta["cascade_band"][0]), float(nn_meta["cascade_band"][1]))
        self.threshold = float(nn_meta["thresholds"]["f1_opt_on_in_domain_validation_rows"])
        self.version = f"{lr.version}+{nn_meta['version']}"
        self.last_rescored = 0  # how many texts of the last predict() ran the GRU (for benchmarks)

    def stacked(self, p_lr: NDArray[np.float64], nn_logit: NDArray[np.float64],
                lin_score: NDArray[np.float64]) -> NDArray[np.float64]:
        """sigmoid(a * logit(p_lr) + b * nn_logit + d * lin_score + c): the validation-fitted stacker."""
        p = np.clip(p_lr, 1e-7, 1 - 1e-7)
        z = self._a * np.log(p / (1 - p)) + self._b * nn_logit + self._d * lin_score + self._c
        out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
        return out

    def _head_probs(self, texts: Sequence[str]) -> dict[str, NDArray[np.float64]]:
        """The LR heads plus ``_lin`` (the NB-SVM's raw score) from ONE featurisation."""
        indptr, indices, vals = tx.featurize(texts, self.idf)
        out = self._heads_of(indptr, indices, vals)
        out["_lin"] = self.lin.scores(indptr, indices, vals)
        return out

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Like :meth:`ToxicityModel.predict`; ``toxic`` and ``insult`` are cascaded."""
        if isinstance(texts, str):
            raise TypeError("predict expects a sequence of texts, got a single str")
        self.last_rescored = 0
        if len(texts) == 0:
            return []
        p = self._head_probs(texts)
        tox = p["toxic"]
        base = self._labelled(zip(*(p[h].tolist() for h in self.heads), strict=True))
        lo, hi = self.band
        idx = [i for i, a in enumerate(tox) if lo <= a < hi and _CYRILLIC.search(texts[i])]
        self.last_rescored = len(idx)
        if idx:
            sel = np.array(idx)
            stacked = self.stacked(tox[sel], self.nn.logits([texts[i] for i in idx]), p["_lin"][sel])
            for i, v in zip(idx, stacked.tolist(), strict=True):
                base[i]["toxic"] = v
                base[i]["insult"] = v
        return base

    @classmethod
    def load_accurate(cls, path: str | Path | None = None) -> AccurateToxicityModel:
        """Load (once per models dir) the LR and the GRU + NB-SVM; :class:`ModelError` on any mismatch."""
        d = Path(path) if path is not None else tx.DEFAULT_DIR
        d = d.parent if d.suffix == ".json" else d
        key = d.resolve()
        with cls._acc_lock:
            if key not in cls._acc_cache:
                lr = tx.ToxicityModel.load(d, accurate=False)  # shares the cached LR
                nn, lin, meta = _read_nn(d / NN_META)
                cls._acc_cache[key] = cls(lr, nn, lin, meta)
            return cls._acc_cache[key]

    @classmethod
    def clear_accurate_cache(cls) -> None:
        """Forget loaded accurate models (tests, retraining)."""
        with cls._acc_lock:
            cls._acc_cache.clear()


def _read_nn(meta_path: Path) -> tuple[NeuralToxicity, LinearMember, dict[str, Any]]:
    """Read and verify ``toxicity_nn.v2.json`` + npz (version, parameters, sha256)."""
    if not meta_path.is_file():
        raise ModelError(msg("models.nn_no_meta", path=meta_path))
    try:
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(msg("models.cannot_read", path=meta_path, error=reason(exc))) from exc
    if meta.get("version") != NN_VERSION:
        raise ModelError(msg("models.version", model=msg("models.nn"), expected=NN_VERSION,
                             got=meta.get("version")))
    if meta.get("params") != nn_params():
        raise ModelError(msg("models.nn_parameters", expected=str(nn_params()), got=str(meta.get("params"))))
    npz_path = meta_path.parent / str(meta.get("artifact", NN_ARTIFACT))
    if not npz_path.is_file():
        raise ModelError(msg("models.no_artifact", model=msg("models.nn"), path=npz_path))
    digest = tx.sha256_file(npz_path)
    if digest != meta.get("sha256"):
        raise ModelError(msg("models.checksum", model=msg("models.nn"), name=npz_path.name,
                             expected=str(meta.get("sha256")), got=digest))
    with np.load(npz_path, allow_pickle=False) as z:
        try:
            nn = NeuralToxicity.from_npz(z)
            lin = LinearMember.from_npz(z)
        except KeyError as exc:
            raise ModelError(msg("models.missing_array", name=npz_path.name, array=str(exc))) from exc
    return nn, lin, meta


def load_accurate(path: str | Path | None = None) -> AccurateToxicityModel:
    """The accurate (cascaded LR + GRU + NB-SVM) model from a models dir; cached per dir."""
    return AccurateToxicityModel.load_accurate(path)
