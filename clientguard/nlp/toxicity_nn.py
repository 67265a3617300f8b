"""Accurate toxicity mode: a small word CNN over navec embeddings, stacked with the LR score.

Why it exists: the hashed-TF-IDF logistic regression (:mod:`clientguard.nlp.toxicity`) is fast
but tops out near F1 0.85 on 2ch/pikabu. A CNN over pretrained Russian word vectors (navec,
news 1B, 300d) plus hashed char n-gram subword vectors sees synonyms and context the n-grams
miss; stacking its logit with the LR logit gains about +0.03 F1 there (see
``models/toxicity_README.md`` for the measured numbers and their limits).

Why it is opt-in and a cascade: the CNN costs far more per message than the LR, and the
18-signal path must stay above 5,000 msg/s. So it runs only

* when asked for (``CLIENTGUARD_TOXICITY_MODE=accurate``, read by :meth:`ToxicityModel.load`,
  or :func:`load_accurate` directly; the toxicity benchmark has ``--accurate``), and then
* only on messages whose LR probability lies in the uncertain band recorded in the JSON;
  outside it the LR is already confident and its score is returned unchanged.

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

from clientguard.errors import ModelError
from clientguard.nlp import toxicity as tx

NN_VERSION = "toxicity_nn.v1"
NN_ARTIFACT = f"{NN_VERSION}.npz"
NN_META = f"{NN_VERSION}.json"
MODE_ENV = "CLIENTGUARD_TOXICITY_MODE"

# Architecture constants shared by training and inference (copied into the JSON and checked).
MAX_WORDS = 80
SUB_BITS = 14
KERNELS = (1, 2, 3)
_WORD_RE = re.compile(r"\w+")
# navec is Russian and the CNN saw Russian rows only: on English it is noise (AUC 0.55 on
# Davidson, measured), so texts without a Cyrillic letter keep the LR score.
_CYRILLIC = re.compile("[а-яёА-ЯЁ]")


def tokens(text: str) -> list[str]:
    """Words the CNN sees: ``\\w+`` runs of the normalised text, at most :data:`MAX_WORDS`.

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
    return {"max_words": MAX_WORDS, "sub_bits": SUB_BITS, "kernels": list(KERNELS),
            "token_re": _WORD_RE.pattern}


class NeuralToxicity:
    """The exported CNN: word vectors -> conv (kernels 1,2,3) -> max+mean pool -> logit.

    A word vector is ``[tanh(proj(navec)) | mean of its subword rows]``. For the words of the
    training pool both halves are precomputed at export (computing the subword half costs a
    crc32 per char n-gram, the bulk of the cost on unseen text); other words get navec's
    ``<unk>`` row and a subword half computed here and cached.
    """

    _CACHE_MAX: ClassVar[int] = 50_000

    def __init__(self, *, vocab: Sequence[str], word_vecs: NDArray[np.float32], unk: NDArray[np.float32],
                 sub: NDArray[np.float32], convs: list[tuple[NDArray[np.float32], NDArray[np.float32]]],
                 out_w: NDArray[np.float32], out_b: float) -> None:
        self._index = {w: i for i, w in enumerate(vocab)}
        self._word_vecs = word_vecs  # (n_words, proj + sub_dim), complete vectors
        self._unk = unk  # (proj,)
        self._sub = sub  # (2^SUB_BITS, sub_dim)
        self._convs = convs  # per kernel k: weight (k*d, filters), inputs [x[t-k//2], .., x[t-k//2+k-1]]
        self._out_w = out_w
        self._out_b = out_b
        self._cache: dict[str, NDArray[np.float32]] = {}
        self.dim = word_vecs.shape[1]

    def word_vector(self, word: str) -> NDArray[np.float32]:
        """The CNN's input vector for one word."""
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
        """The CNN's raw logit for one text (training's ``net(...)`` output)."""
        return float(self.logits([text])[0])

    def logits(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Raw logits of many texts in one pass.

        All texts are laid out as one matrix with a zero row before, between and after them;
        a zero row is exactly torch's zero padding for kernels up to 3, so every conv is one
        matrix product over the whole batch, and pooling is a ``reduceat`` per text.
        """
        if len(texts) == 0:
            return np.zeros(0)
        index, table = self._index, self._word_vecs
        rows: list[NDArray[np.float32]] = []
        starts: list[int] = []
        lens: list[int] = []
        zero = np.zeros(self.dim, np.float32)
        pos = 1
        rows.append(zero)
        for t in texts:
            toks = tokens(t)
            starts.append(pos)
            lens.append(len(toks))
            for w in toks:
                i = index.get(w)
                rows.append(table[i] if i is not None else self.word_vector(w))
            rows.append(zero)
            pos += len(toks) + 1
        x = np.stack(rows)
        m = x.shape[0] - 2  # output rows 1..m (row r of the output = input row r + 1)
        keep = np.concatenate([np.arange(s - 1, s - 1 + n) for s, n in zip(starts, lens, strict=True)])
        seg = np.cumsum([0, *lens[:-1]])
        n_words = np.array(lens, dtype=np.float32)[:, None]
        feats: list[NDArray[Any]] = []
        for k, (wk, bk) in zip(KERNELS, self._convs, strict=True):
            start = 1 - k // 2  # torch Conv1d(padding=k//2), output cut to the text length
            cols = np.concatenate([x[start + j:start + j + m] for j in range(k)], axis=1)
            h = np.maximum(cols[keep] @ wk + bk, np.float32(0.0))
            feats.append(np.maximum.reduceat(h, seg, axis=0))
            feats.append(np.add.reduceat(h, seg, axis=0) / n_words)
        pooled = np.concatenate(feats, axis=1)
        out: NDArray[np.float64] = (pooled @ self._out_w + self._out_b).astype(np.float64)
        return out

    @classmethod
    def from_npz(cls, z: Any) -> NeuralToxicity:
        """Build from the arrays of ``toxicity_nn.v1.npz`` (int8 tables are dequantised here)."""
        vocab = bytes(z["vocab_utf8"]).decode("utf-8").split("\n")
        nav = z["word_nav_q"].astype(np.float32) * np.float32(z["word_nav_scale"])
        wsub = z["word_sub_q"].astype(np.float32) * z["word_sub_scale"].astype(np.float32)[:, None]
        sub = z["sub_q"].astype(np.float32) * z["sub_scale"].astype(np.float32)[:, None]
        convs = [(z[f"conv{k}_w"].astype(np.float32), z[f"conv{k}_b"].astype(np.float32)) for k in KERNELS]
        if not len(vocab) == nav.shape[0] == wsub.shape[0]:
            raise ModelError(f"toxicity_nn artifact: expected {nav.shape[0]} words, got {len(vocab)}")
        return cls(vocab=vocab, word_vecs=np.concatenate([nav, wsub], axis=1),
                   unk=z["unk"].astype(np.float32), sub=sub, convs=convs,
                   out_w=z["out_w"].astype(np.float32), out_b=float(z["out_b"]))


class AccurateToxicityModel(tx.ToxicityModel):
    """The LR model with ``toxic``/``insult`` replaced by the stacked LR+CNN probability.

    Only messages that contain Cyrillic and whose LR ``toxic`` probability is in
    ``[band_lo, band_hi)`` are re-scored;
    the band contains the decision threshold, so outside it both models decide alike.
    ``obscenity`` and ``threat`` stay the LR's heads.
    """

    _acc_cache: ClassVar[dict[Path, AccurateToxicityModel]] = {}
    _acc_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, lr: tx.ToxicityModel, nn: NeuralToxicity, nn_meta: dict[str, Any]) -> None:
        super().__init__(heads=lr.heads, coef=lr._coef, intercept=lr._intercept, platt=lr._platt,
                         idf=lr.idf, meta=lr.meta)
        self.nn = nn
        self.nn_meta = nn_meta
        stack = nn_meta["stack"]
        self._a, self._b, self._c = float(stack["a_lr_logit"]), float(stack["b_nn_logit"]), float(stack["c"])
        self.band = (float(nn_meta["cascade_band"][0]), float(nn_meta["cascade_band"][1]))
        self.threshold = float(nn_meta["thresholds"]["f1_opt_on_in_domain_validation_rows"])
        self.version = f"{lr.version}+{nn_meta['version']}"
        self.last_rescored = 0  # how many texts of the last predict() ran the CNN (for benchmarks)

    def stacked(self, p_lr: NDArray[np.float64], nn_logit: NDArray[np.float64]) -> NDArray[np.float64]:
        """sigmoid(a * logit(p_lr) + b * nn_logit + c): the stacker fitted on validation rows."""
        p = np.clip(p_lr, 1e-7, 1 - 1e-7)
        z = self._a * np.log(p / (1 - p)) + self._b * nn_logit + self._c
        out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
        return out

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Like :meth:`ToxicityModel.predict`; ``toxic`` and ``insult`` are cascaded."""
        base = super().predict(texts)
        lo, hi = self.band
        idx = [i for i, p in enumerate(base) if lo <= p["toxic"] < hi and _CYRILLIC.search(texts[i])]
        self.last_rescored = len(idx)
        if idx:
            p_lr = np.array([base[i]["toxic"] for i in idx])
            p = self.stacked(p_lr, self.nn.logits([texts[i] for i in idx]))
            for i, v in zip(idx, p.tolist(), strict=True):
                base[i]["toxic"] = v
                base[i]["insult"] = v
        return base

    @classmethod
    def load_accurate(cls, path: str | Path | None = None) -> AccurateToxicityModel:
        """Load (once per models dir) the LR and the CNN; :class:`ModelError` on any mismatch."""
        d = Path(path) if path is not None else tx.DEFAULT_DIR
        d = d.parent if d.suffix == ".json" else d
        key = d.resolve()
        with cls._acc_lock:
            if key not in cls._acc_cache:
                lr = tx.ToxicityModel.load(d, accurate=False)  # shares the cached LR
                nn, meta = _read_nn(d / NN_META)
                cls._acc_cache[key] = cls(lr, nn, meta)
            return cls._acc_cache[key]

    @classmethod
    def clear_accurate_cache(cls) -> None:
        """Forget loaded accurate models (tests, retraining)."""
        with cls._acc_lock:
            cls._acc_cache.clear()


def _read_nn(meta_path: Path) -> tuple[NeuralToxicity, dict[str, Any]]:
    """Read and verify ``toxicity_nn.v1.json`` + npz (version, parameters, sha256)."""
    if not meta_path.is_file():
        raise ModelError(f"toxicity_nn metadata not found: expected {meta_path}; "
                         "rebuild with python -m clientguard.nlp.train_toxicity_nn")
    try:
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {meta_path}: {exc}") from exc
    if meta.get("version") != NN_VERSION:
        raise ModelError(f"toxicity_nn version: expected {NN_VERSION}, got {meta.get('version')!r}")
    if meta.get("params") != nn_params():
        raise ModelError(f"toxicity_nn parameters: expected {nn_params()}, got {meta.get('params')}")
    npz_path = meta_path.parent / str(meta.get("artifact", NN_ARTIFACT))
    if not npz_path.is_file():
        raise ModelError(f"toxicity_nn artifact not found: expected {npz_path}")
    digest = tx.sha256_file(npz_path)
    if digest != meta.get("sha256"):
        raise ModelError(f"toxicity_nn checksum mismatch for {npz_path.name}: "
                         f"expected {meta.get('sha256')}, got {digest}")
    with np.load(npz_path, allow_pickle=False) as z:
        try:
            nn = NeuralToxicity.from_npz(z)
        except KeyError as exc:
            raise ModelError(f"toxicity_nn artifact {npz_path.name}: missing array {exc}") from exc
    return nn, meta


def load_accurate(path: str | Path | None = None) -> AccurateToxicityModel:
    """The accurate (cascaded LR+CNN) model from a models dir; cached per dir."""
    return AccurateToxicityModel.load_accurate(path)
