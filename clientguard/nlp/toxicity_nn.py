"""Accurate toxicity mode: small BiGRUs over navec embeddings and an in-domain NB-SVM, stacked with the LR.

Why it exists: the hashed-TF-IDF logistic regression (:mod:`clientguard.nlp.toxicity`) is fast
but tops out near F1 0.85 on 2ch/pikabu. Two more members see what it misses:

* a bidirectional GRU over pretrained Russian word vectors (navec, news 1B, 300d) plus hashed
  char n-gram subword vectors: synonyms, word order and context. v2 ships one; v3 a seed
  ensemble of K (same recipe, different seeds), run as one batched recurrence;
* an NB-SVM on the LR's own hashed features (no extra featurisation cost): naive-Bayes
  log-count ratios from the ru_2ch_pikabu rows, a logistic regression over all Russian rows
  with pikabu rows weighted up, i.e. an in-domain specialist that still saw the other sets.

A logistic stacker combines ``logit(p_LR)``, the GRU logit (v3: the members' mean logit, or
one weight per member) and the NB-SVM score (``models/toxicity_README.md`` has the measured
numbers and their limits). :data:`NN_VERSION` is the version loaded by default; every version
in :data:`NN_VERSIONS` can be loaded with ``load_accurate(version=...)``.

Why it is opt-in and a cascade: the GRU costs far more per message than the LR, and the
18-signal path must stay above 5,000 msg/s. So it runs only

* when asked for (``CLIENTGUARD_TOXICITY_MODE=accurate``, read by :meth:`ToxicityModel.load`,
  or :func:`load_accurate` directly; the toxicity benchmark has ``--accurate``), and then
* only on Cyrillic messages whose LR probability lies in the uncertain band recorded in the
  JSON; outside it the LR is already confident and its score is returned unchanged.

No torch at run time: training (``train_toxicity_nn.py``) exports the weights to numpy. The
navec vectors are stored only for the words of the training pool: v2 already passed through the
learned projection and ``tanh`` and quantised to int8 (values are in [-1, 1]); v3 as navec's
own product-quantisation codes, shared by the K members and projected on a word's first use
(see :class:`NeuralToxicity`). Neither the navec package nor its 26 MB file is needed here.
Unknown words get navec's ``<unk>`` row; their subword (char n-gram) vector still carries
spelling, which is what disguised мат needs.
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

from clientguard.errors import ModelError
from clientguard.nlp import toxicity as tx

# The version loaded by default; NN_VERSIONS can all be loaded explicitly (``load_accurate(version=...)``):
# v2 = one GRU with a precomputed word table, v3 = a seed ensemble of GRUs over shared navec codes.
NN_VERSION = "toxicity_nn.v2"
NN_VERSIONS = ("toxicity_nn.v2", "toxicity_nn.v3")
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
    """K exported BiGRUs (a seed ensemble; K = 1 in v2): word vectors -> BiGRU -> max+mean pool -> logit.

    Member ``k``'s word vector is ``[tanh(proj_k(navec)) | mean of its subword rows]``. For the
    words of the training pool, v2 stored both halves precomputed; v3 stores navec's product-
    quantisation codes of those words once (shared by the members) and builds a word's K vectors
    on its first use from the codes, each member's projection and subword table, then keeps them
    (so it costs what v2's table cost after the first sighting of a word, and loading stays fast:
    precomputing all ~49k words at load took seconds). Other words get the members' ``<unk>``
    rows and a subword half computed here, in the bounded unknown-word cache.

    GRU weights follow torch's layout transposed, one member per row of axis 0, both directions
    on axis 1: ``wih`` (K, 2, d, 3H), ``whh`` (K, 2, H, 3H), ``bih``/``bhh`` (K, 2, 3H), gate
    order r, z, n. All 2K recurrences run as one batched recurrence (one set of numpy calls per
    step, whatever K). The backward direction is the forward recurrence over the reversed words
    (torch's packed sequences do the same); max and mean pooling do not care about the order.
    """

    _CACHE_MAX: ClassVar[int] = 50_000

    def __init__(self, *, vocab: Sequence[str], word_vecs: NDArray[np.float32] | None,
                 unk: NDArray[np.float32], sub: NDArray[np.float32], wih: NDArray[np.float32],
                 whh: NDArray[np.float32], bih: NDArray[np.float32], bhh: NDArray[np.float32],
                 out_w: NDArray[np.float32], out_b: NDArray[np.float32],
                 navec: tuple[NDArray[np.uint8], NDArray[np.float32], NDArray[np.float32],
                              NDArray[np.float32]] | None = None) -> None:
        """``word_vecs`` (n_words, K, d): precomputed vocabulary vectors; or None and ``navec`` =
        (codes (n_words, q) uint8, codebook (q, 256, 300 / q), proj_w (K, proj, 300), proj_b (K, proj))
        to build them on first use."""
        self._index = {w: i for i, w in enumerate(vocab)}
        self._unk = unk  # (K, proj)
        self._sub = sub  # (K, 2^SUB_BITS, sub_dim)
        self.members = wih.shape[0]
        self.hidden = whh.shape[2]
        self.dim = unk.shape[1] + sub.shape[2]
        k, h3 = self.members, 3 * self.hidden
        self._navec = navec
        if word_vecs is None:
            if navec is None or navec[0].shape[0] != len(vocab):
                raise ModelError("toxicity_nn: vocabulary vectors need navec codes for every word")
            # zero pages cost no memory until a word is first seen (see the class docstring)
            self._word_vecs = np.zeros((len(vocab), k, self.dim), np.float32)
            self._filled = np.zeros(len(vocab), dtype=bool)
        else:
            self._word_vecs = word_vecs.astype(np.float32, copy=False)  # complete vectors
            self._filled = np.ones(len(vocab), dtype=bool)
        if (wih.shape != (k, 2, self.dim, h3) or whh.shape != (k, 2, self.hidden, h3)
                or self._word_vecs.shape != (len(vocab), k, self.dim) or sub.shape[0] != k
                or out_w.shape != (k, 4 * self.hidden) or out_b.shape != (k,)):
            raise ModelError(f"toxicity_nn GRU shapes: wih {wih.shape}, whh {whh.shape}, "
                             f"word vectors {self._word_vecs.shape}, out_w {out_w.shape}")
        m = 2 * k  # directions, member-major: [m0 fwd, m0 bwd, m1 fwd, ...]
        wih2, whh2 = wih.reshape(m, self.dim, h3), whh.reshape(m, self.hidden, h3)
        bih2, bhh2 = bih.reshape(m, h3), bhh.reshape(m, h3)
        self._wih, self._whh = wih2, whh2
        self._bih, self._bhh = bih2[:, None, :], bhh2[:, None, :]
        # Inference-side rearrangement (fewer numpy calls per step, same arithmetic):
        # the recurrent r/z biases add to the input ones; the n gate's recurrent bias becomes an
        # extra row of whh, fed by a constant-1 column of the state; r/z pre-activations are
        # kept negated, so sigmoid is exp, +1, reciprocal.
        h2 = h3 - self.hidden
        neg = np.ones(h3, np.float32)
        neg[:h2] = -1.0
        self._wih_neg = (wih2 * neg).astype(np.float32)
        self._bias_in = ((np.concatenate([bih2[:, :h2] + bhh2[:, :h2], bih2[:, h2:]], axis=1) * neg)
                         .astype(np.float32)[:, None, None, :])
        last = np.concatenate([np.zeros((m, 1, h2), np.float32), bhh2[:, None, h2:]], axis=2)
        self._whh_aug = np.concatenate([whh2 * neg, last], axis=1).astype(np.float32)  # (2K, H+1, 3H)
        # (K, 4, H): [max fwd | max bwd | mean fwd | mean bwd] per member
        self._out_w = out_w.reshape(k, 4, self.hidden).astype(np.float32)
        self._out_b = out_b.astype(np.float64)
        self._cache: dict[str, NDArray[np.float32]] = {}

    def word_vector(self, word: str) -> NDArray[np.float32]:
        """The members' input vectors for one word, shape (K, d)."""
        i = self._index.get(word)
        if i is not None:
            row: NDArray[np.float32] = self._word_vecs[i]
            if not self._filled[i] and self._navec is not None:
                codes, book, pw, pb = self._navec
                nav = book[np.arange(book.shape[0]), codes[i]].reshape(-1)  # navec's own decoding
                row[:, :pw.shape[1]] = np.tanh(pw @ nav + pb)
                row[:, pw.shape[1]:] = self._sub[:, subword_ids(word)].mean(axis=1)
                self._filled[i] = True  # racing threads would write the same values
            return row
        v = self._cache.get(word)
        if v is None:
            sub = self._sub[:, subword_ids(word)].mean(axis=1)
            v = np.concatenate([self._unk, sub], axis=1).astype(np.float32)
            if len(self._cache) >= self._CACHE_MAX:
                self._cache.clear()
            self._cache[word] = v
        return v

    def clear_cache(self) -> None:
        """Forget cached unknown-word vectors (benchmarks: repeated passes must not be flattered)."""
        self._cache.clear()

    def logit(self, text: str) -> float:
        """The mean of the members' raw logits for one text (training's ``net(...)`` outputs)."""
        return float(self.logits([text])[0])

    def _sequence(self, text: str) -> NDArray[np.float32]:
        index, table, filled = self._index, self._word_vecs, self._filled
        rows = [table[i] if (i := index.get(w)) is not None and filled[i] else self.word_vector(w)
                for w in tokens(text)]
        return np.stack(rows)  # (T, K, d)

    def pooled(self, seqs: Sequence[NDArray[np.float32]]) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        """Max and mean pooled BiGRU states of a few (T, K, d) sequences, each (K, 2, n, H)."""
        n = len(seqs)
        hid, m = self.hidden, 2 * self.members
        lens = np.array([len(x) for x in seqs])
        steps = int(lens.max())
        x = np.zeros((m, n, steps, self.dim), np.float32)
        for i, s in enumerate(seqs):
            st = s.transpose(1, 0, 2)  # (K, T, d)
            x[0::2, i, :len(s)] = st
            x[1::2, i, :len(s)] = st[:, ::-1]
        gi = np.matmul(x.reshape(m, n * steps, self.dim), self._wih_neg).reshape(m, n, steps, 3 * hid)
        gi += self._bias_in
        gi = np.ascontiguousarray(gi.transpose(2, 0, 1, 3))  # (T, 2K, n, 3H): gi[t] is contiguous
        state = np.zeros((m, n, hid + 1), np.float32)
        state[..., hid] = 1.0  # the constant column that carries the n gate's recurrent bias
        h = state[..., :hid]  # a view: updated in place
        hs = np.empty((steps, m, n, hid), np.float32)
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
        mx = np.where(valid, hs, np.float32(-1e4)).max(axis=0)  # (2K, n, H)
        mean = (hs * valid).sum(axis=0) / lens[None, :, None].astype(np.float32)
        shape = (self.members, 2, n, hid)
        return mx.reshape(shape), mean.reshape(shape)

    def member_logits(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Raw logits of many texts, one column per member: shape (len(texts), K).

        Texts are sorted by length; a chunk closes at :data:`_CHUNK` texts or when the next
        text is more than twice (+4 words) as long as the chunk's first, so short texts do not
        pay for a long one's steps (measured: -35% GRU time on 27-text pikabu batches).
        """
        out = np.empty((len(texts), self.members))
        if len(texts) == 0:
            return out
        seqs = [self._sequence(t) for t in texts]
        order = np.argsort([len(s) for s in seqs], kind="stable").tolist()
        w = self._out_w
        chunk: list[int] = []
        for pos, i in enumerate(order):
            chunk.append(i)
            nxt = order[pos + 1] if pos + 1 < len(order) else None
            if nxt is None or len(chunk) >= _CHUNK or len(seqs[nxt]) > 2 * len(seqs[chunk[0]]) + 4:
                mx, mean = self.pooled([seqs[j] for j in chunk])
                z = np.einsum("kdnh,kdh->nk", mx, w[:, :2]) + np.einsum("kdnh,kdh->nk", mean, w[:, 2:])
                out[chunk] = z + self._out_b
                chunk = []
        return out

    def logits(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """The members' mean raw logit per text, shape (len(texts),)."""
        out: NDArray[np.float64] = self.member_logits(texts).mean(axis=1)
        return out

    @classmethod
    def from_npz(cls, z: Any) -> NeuralToxicity:
        """Build from a v2 (one GRU, precomputed int8 word table) or v3 (K GRUs, navec codes) artifact."""
        vocab = bytes(z["vocab_utf8"]).decode("utf-8").split("\n")
        f32 = np.float32
        if "nav_codes" not in z:  # v2: one member, both word-vector halves precomputed at export
            nav = z["word_nav_q"].astype(f32) * f32(z["word_nav_scale"])
            wsub = z["word_sub_q"].astype(f32) * z["word_sub_scale"].astype(f32)[:, None]
            sub = z["sub_q"].astype(f32) * z["sub_scale"].astype(f32)[:, None]
            if not len(vocab) == nav.shape[0] == wsub.shape[0]:
                raise ModelError(f"toxicity_nn artifact: expected {nav.shape[0]} words, got {len(vocab)}")
            return cls(vocab=vocab, word_vecs=np.concatenate([nav, wsub], axis=1)[:, None, :],
                       unk=z["unk"].astype(f32)[None], sub=sub[None], wih=z["gru_wih"].astype(f32)[None],
                       whh=z["gru_whh"].astype(f32)[None], bih=z["gru_bih"].astype(f32)[None],
                       bhh=z["gru_bhh"].astype(f32)[None], out_w=z["out_w"].astype(f32)[None],
                       out_b=np.array([float(z["out_b"])], f32))
        codes = z["nav_codes"]  # (V, q) uint8: navec's product-quantisation indexes
        if len(vocab) != codes.shape[0]:
            raise ModelError(f"toxicity_nn artifact: expected {codes.shape[0]} words, got {len(vocab)}")
        book = z["nav_codebook"].astype(f32)  # (q, 256, dim / q)
        pw, pb = z["proj_w"].astype(f32), z["proj_b"].astype(f32)  # (K, proj, 300), (K, proj)
        sub = z["sub_q"].astype(f32) * z["sub_scale"].astype(f32)[..., None]  # (K, 2^SUB_BITS, sub_dim)
        unk = np.tanh(pw @ z["nav_unk"].astype(f32) + pb).astype(f32)
        return cls(vocab=vocab, word_vecs=None, unk=unk, sub=sub, wih=z["gru_wih"].astype(f32),
                   whh=z["gru_whh"].astype(f32), bih=z["gru_bih"].astype(f32), bhh=z["gru_bhh"].astype(f32),
                   out_w=z["out_w"].astype(f32), out_b=z["out_b"].astype(f32),
                   navec=(np.asarray(codes, np.uint8), book, pw, pb))


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
            raise ModelError("toxicity_nn artifact: NB-SVM feature ids out of range")
        return cls(idx.astype(np.int32), z["lin_w"].astype(np.float32), float(z["lin_b"]))


class AccurateToxicityModel(tx.ToxicityModel):
    """The LR model with ``toxic``/``insult`` replaced by the stacked LR+GRU+NB-SVM probability.

    Only messages that contain Cyrillic and whose LR ``toxic`` probability is in
    ``[band_lo, band_hi)`` are re-scored;
    the band contains the decision threshold, so outside it both models decide alike.
    ``obscenity`` and ``threat`` stay the LR's heads.
    """

    _acc_cache: ClassVar[dict[tuple[Path, str], AccurateToxicityModel]] = {}
    _acc_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, lr: tx.ToxicityModel, nn: NeuralToxicity, lin: LinearMember,
                 nn_meta: dict[str, Any]) -> None:
        super().__init__(heads=lr.heads, coef=lr._coef, intercept=lr._intercept, platt=lr._platt,
                         idf=lr.idf, meta=lr.meta)
        self.nn = nn
        self.lin = lin
        self.nn_meta = nn_meta
        stack = nn_meta["stack"]
        self._a, self._d, self._c = float(stack["a_lr_logit"]), float(stack["d_lin"]), float(stack["c"])
        # one weight per GRU member, or one weight on the members' mean logit
        per_member = stack.get("b_nn_member_logits")
        self._b = (np.asarray(per_member, dtype=np.float64) if per_member is not None
                   else np.full(nn.members, float(stack["b_nn_logit"]) / nn.members))
        if self._b.shape != (nn.members,):
            raise ModelError(f"toxicity_nn stacker: {self._b.shape[0]} GRU weights for {nn.members} members")
        self.band = (float(nn_meta["cascade_band"][0]), float(nn_meta["cascade_band"][1]))
        self.threshold = float(nn_meta["thresholds"]["f1_opt_on_in_domain_validation_rows"])
        self.version = f"{lr.version}+{nn_meta['version']}"
        self.last_rescored = 0  # how many texts of the last predict() ran the GRU (for benchmarks)

    def stacked(self, p_lr: NDArray[np.float64], nn_logits: NDArray[np.float64],
                lin_score: NDArray[np.float64]) -> NDArray[np.float64]:
        """sigmoid(a * logit(p_lr) + sum_k b_k * nn_logit_k + d * lin_score + c): the fitted stacker.

        ``nn_logits`` is (n, K) member logits, or (n,) one logit used for every member.
        """
        p = np.clip(p_lr, 1e-7, 1 - 1e-7)
        g = nn_logits @ self._b if nn_logits.ndim == 2 else nn_logits * self._b.sum()
        z = self._a * np.log(p / (1 - p)) + g + self._d * lin_score + self._c
        out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
        return out

    def _head_probs(self, texts: Sequence[str]) -> dict[str, NDArray[np.float64]]:
        """The LR heads plus ``_lin`` (the NB-SVM's raw score) from ONE featurisation."""
        indptr, indices, vals = tx.featurize(texts, self.idf)
        rows = tx.row_ids(indptr)
        out: dict[str, NDArray[np.float64]] = {}
        for i, name in enumerate(self.heads):  # same arithmetic as ToxicityModel._head_probs
            s = np.bincount(rows, weights=self._coef[i, indices] * vals, minlength=len(texts))
            z = self._platt[i, 0] * (s + self._intercept[i]) + self._platt[i, 1]
            out[name] = 1.0 / (1.0 + np.exp(-z))
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
        tox = p["toxic"]  # the dicts are built exactly as ToxicityModel.predict builds them
        obs = p.get("obscenity", tox)
        ins = p.get("insult", tox)
        thr = p.get("threat", np.zeros_like(tox))
        base = [{"toxic": float(a), "insult": float(b), "obscenity": float(c), "threat": float(d)}
                for a, b, c, d in zip(tox, ins, obs, thr, strict=True)]
        lo, hi = self.band
        idx = [i for i, a in enumerate(tox) if lo <= a < hi and _CYRILLIC.search(texts[i])]
        self.last_rescored = len(idx)
        if idx:
            sel = np.array(idx)
            stacked = self.stacked(tox[sel], self.nn.member_logits([texts[i] for i in idx]), p["_lin"][sel])
            for i, v in zip(idx, stacked.tolist(), strict=True):
                base[i]["toxic"] = v
                base[i]["insult"] = v
        return base

    @classmethod
    def load_accurate(cls, path: str | Path | None = None, *,
                      version: str | None = None) -> AccurateToxicityModel:
        """Load (once per models dir and version; default :data:`NN_VERSION`) the LR and the GRUs +
        NB-SVM; :class:`ModelError` on any mismatch."""
        d = Path(path) if path is not None else tx.DEFAULT_DIR
        d = d.parent if d.suffix == ".json" else d
        version = version or NN_VERSION
        if version not in NN_VERSIONS:
            raise ModelError(f"toxicity_nn version: expected one of {NN_VERSIONS}, got {version!r}")
        key = (d.resolve(), version)
        with cls._acc_lock:
            if key not in cls._acc_cache:
                lr = tx.ToxicityModel.load(d, accurate=False)  # shares the cached LR
                nn, lin, meta = _read_nn(d / f"{version}.json", version)
                cls._acc_cache[key] = cls(lr, nn, lin, meta)
            return cls._acc_cache[key]

    @classmethod
    def clear_accurate_cache(cls) -> None:
        """Forget loaded accurate models (tests, retraining)."""
        with cls._acc_lock:
            cls._acc_cache.clear()


def _read_nn(meta_path: Path, version: str) -> tuple[NeuralToxicity, LinearMember, dict[str, Any]]:
    """Read and verify ``toxicity_nn.vN.json`` + npz (version, parameters, sha256)."""
    if not meta_path.is_file():
        raise ModelError(f"toxicity_nn metadata not found: expected {meta_path}; "
                         "rebuild with python -m clientguard.nlp.train_toxicity_nn")
    try:
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {meta_path}: {exc}") from exc
    if meta.get("version") != version:
        raise ModelError(f"toxicity_nn version: expected {version}, got {meta.get('version')!r}")
    if meta.get("params") != nn_params():
        raise ModelError(f"toxicity_nn parameters: expected {nn_params()}, got {meta.get('params')}")
    npz_path = meta_path.parent / str(meta.get("artifact", f"{version}.npz"))
    if not npz_path.is_file():
        raise ModelError(f"toxicity_nn artifact not found: expected {npz_path}")
    digest = tx.sha256_file(npz_path)
    if digest != meta.get("sha256"):
        raise ModelError(f"toxicity_nn checksum mismatch for {npz_path.name}: "
                         f"expected {meta.get('sha256')}, got {digest}")
    with np.load(npz_path, allow_pickle=False) as z:
        try:
            nn = NeuralToxicity.from_npz(z)
            lin = LinearMember.from_npz(z)
        except KeyError as exc:
            raise ModelError(f"toxicity_nn artifact {npz_path.name}: missing array {exc}") from exc
    return nn, lin, meta


def load_accurate(path: str | Path | None = None, *, version: str | None = None) -> AccurateToxicityModel:
    """The accurate (cascaded LR + GRUs + NB-SVM) model from a models dir; cached per dir and version."""
    return AccurateToxicityModel.load_accurate(path, version=version)
