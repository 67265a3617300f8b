"""Toxicity model: insult / obscenity / threat scores for client messages (ru first, en second).

Why a linear model: it loads in well under a second, scores thousands of messages per second
on one core, ships as a few MB of numpy arrays (no pickle, no torch) and is explainable by its
n-gram weights. Char n-grams (``char_wb`` 2-5) carry Russian morphology and survive spelling
tricks; word uni/bi-grams carry context. Both are hashed, so no vocabulary has to be shipped.

The artifact is two files next to each other in ``models/``:

* ``toxicity.v1.npz`` - idf vectors, one weight row per trained head, intercepts, Platt (a, b);
* ``toxicity.v1.json`` - version, feature parameters, sha256 of the npz, training notes.

``load`` checks the version and the checksum and raises :class:`ModelError` on any mismatch,
so a half-copied or stale artifact never scores silently. Heads that could not be trained from
permissively licensed labels are derived; the JSON says how (see ``derived``), and
``models/toxicity_README.md`` documents data, numbers and limits.

An opt-in accurate mode (``CLIENTGUARD_TOXICITY_MODE=accurate``) cascades a navec BiGRU and an
NB-SVM on top of this model for uncertain Russian texts; see :mod:`clientguard.nlp.toxicity_nn`.

The normaliser below is deliberately self-contained (the rule engine has its own): it undoes
the usual disguises of мат - Latin look-alikes, digits for letters, masks (``х*й``), spacing
(``б л я``) and stretched letters (``сууука``) - before features are computed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import unicodedata
import zlib
from array import array
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from clientguard.errors import ModelError

MODEL_VERSION = "toxicity.v1"
LABELS: tuple[str, ...] = ("toxic", "insult", "obscenity", "threat")
DEFAULT_DIR = Path(__file__).resolve().parent / "models"
ARTIFACT_NAME = f"{MODEL_VERSION}.npz"
META_NAME = f"{MODEL_VERSION}.json"

# Feature parameters are part of the model: train and predict must agree, so they live here
# and are copied into the JSON, which ``load`` compares against these values.
CHAR_NGRAMS = (2, 5)
WORD_NGRAMS = (1, 2)
CHAR_BITS = 20
WORD_BITS = 19

# --------------------------------------------------------------------------- #
# Normaliser
# --------------------------------------------------------------------------- #
_CYR = "а-яё"
# Latin and digit look-alikes, applied only inside tokens that already hold a Cyrillic letter,
# so English text stays English ("cocktail" is never turned into Cyrillic).
_LOOKALIKE = str.maketrans({
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о", "p": "р",
    "t": "т", "x": "х", "y": "у", "u": "и", "r": "г", "n": "п", "0": "о", "3": "з", "4": "ч",
    "6": "б", "@": "а", "$": "с", "ё": "е",
})
# All-Latin transliterated мат ("blyat", "nahui"); a closed list, so English is unaffected.
_TRANSLIT = {
    "blyat": "блять", "blyad": "блядь", "blya": "бля", "bliat": "блять", "suka": "сука",
    "pizdec": "пиздец", "pizda": "пизда", "pizdets": "пиздец", "hui": "хуй", "huy": "хуй",
    "xyu": "хуй", "xuy": "хуй", "nahui": "нахуй", "nahuy": "нахуй", "pohui": "похуй",
    "ebat": "ебать", "dolboeb": "долбоеб", "eblan": "еблан", "pidor": "пидор", "pidar": "пидар",
    "mudak": "мудак",
    "huinya": "хуйня", "hujnja": "хуйня", "zaebal": "заебал", "ebal": "ебал",
}


def _words(s: str) -> tuple[str, ...]:
    """Split a word-list literal (keeps long lists readable and diff-friendly)."""
    return tuple(s.split())


# Frequent obscene forms used to fill masks: "х*й" -> "хуй", "п***ц" -> "пиздец".
_MASK_FORMS = _words(
    "хуй хуя хую хуе хуем хуи хуйня хуйню хуево хуесос нахуй похуй охуел охуели охуеть "
    "пизда пизды пизде пизду пиздец пиздеж пиздит пиздеть пиздабол спиздил "
    "блядь блять бля бляди блядина ебать ебал ебала ебали ебаный ебаная ебанный ебучий "
    "ебанутый уебок уебище уебан заебал заебали заебало заебись выебать съебись отъебись "
    "ебло еблан долбоеб долбоебы мудак мудаки мудило сука суки сучка пидор пидоры пидорас "
    "пидар пидарас гандон гондон залупа шлюха манда"
)
_MASK_FORMS_EN = _words("fuck fucking fucked fucker shit bitch cunt dick asshole")
_MASK_CHARS = "*#%_"
_SPACED_RE = re.compile(r"(?<!\w)(?:\w([ .\-_])){2,}\w(?!\w)")
_STRETCH_RE = re.compile(r"(\w)\1{2,}")
_TOKEN_RE = re.compile(r"[\w*#%@$]+")
_INVISIBLE_RE = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")
_ONE_LETTER_WORDS = set("авиксоуяжбi")


def _join_spaced(match: re.Match[str]) -> str:
    """Join "б л я" -> "бля", but leave runs of real one-letter words ("я и в") alone."""
    letters = re.sub(r"[ .\-_]", "", match.group(0))
    return match.group(0) if set(letters) <= _ONE_LETTER_WORDS else letters


def _fill_mask(token: str, forms: Sequence[str]) -> str:
    """Replace a masked word by the first frequent obscene form that fits it, else keep it."""
    core = token.strip(_MASK_CHARS)
    if len(core) < 1 or not any(c in _MASK_CHARS for c in core):
        return token
    exact = re.compile("".join("." if c in _MASK_CHARS else re.escape(c) for c in core) + "$")
    loose = re.compile(
        re.sub(r"(?:\\?[*#%_])+", ".{1,4}", "".join(
            c if c in _MASK_CHARS else re.escape(c) for c in core)) + "$"
    )
    for pattern in (exact, loose):
        for form in forms:
            if pattern.match(form):
                return form
    return token


def _fix_token(match: re.Match[str]) -> str:
    return _fix_word(match.group(0))


@lru_cache(maxsize=50_000)
def _fix_word(tok: str) -> str:
    """Undo look-alikes, translit and masks inside one token.

    A pure function of the token, run on every token of every text: cached, because most
    tokens are common words seen before.
    """
    has_cyr = re.search(f"[{_CYR}]", tok) is not None
    if has_cyr:
        tok = tok.translate(_LOOKALIKE)
    elif tok in _TRANSLIT:
        return _TRANSLIT[tok]
    if any(c in _MASK_CHARS for c in tok):
        tok = _fill_mask(tok, _MASK_FORMS if has_cyr else _MASK_FORMS_EN)
    return tok


def normalize(text: str) -> str:
    """Lower-case and undo the common disguises of obscene words; keep everything else.

    The output is what the features see; it is not meant for display.
    """
    t = unicodedata.normalize("NFKC", text)
    t = _INVISIBLE_RE.sub("", t).lower().replace("ё", "е")
    t = _SPACED_RE.sub(_join_spaced, t)
    t = _STRETCH_RE.sub(r"\1", t)
    return _TOKEN_RE.sub(_fix_token, t)


def dedup_key(text: str) -> str:
    """The key two texts are duplicates on: lower-case, letters and digits only.

    The same key as ``run_peers.py --dedup``, so our splits and the peers' agree.
    """
    return "".join(ch for ch in text.lower() if ch.isalnum())


# --------------------------------------------------------------------------- #
# Features
# --------------------------------------------------------------------------- #
# Hashing is done here with zlib.crc32 instead of sklearn's HashingVectorizer: importing
# scikit-learn alone costs 1-2 s, which would break the load budget; numpy is all we need.
_N_CHAR = 2**CHAR_BITS
_N_FEATURES = _N_CHAR + 2**WORD_BITS
_WORD_RE = re.compile(r"\w+")


# A word's char n-gram ids depend on the word alone, and words repeat (Zipf): caching them
# per word makes the char part, the bulk of the cost on long texts, a dict lookup for most
# tokens. Bounded and stored as int32 arrays (not tuples of int objects): cleared when
# full, so it stays under ~10 MB.
_WORD_IDS: dict[str, array[int]] = {}
_WORD_IDS_MAX = 50_000


def _char_ids(word: str) -> array[int]:
    """crc32 ids of every char n-gram of `` word `` (sklearn's char_wb padding)."""
    crc = zlib.crc32
    w = f" {word} "
    lo, hi = CHAR_NGRAMS
    out: list[int] = []
    for n in range(lo, hi + 1):
        if n > len(w):
            break
        for i in range(len(w) - n + 1):
            out.append(crc(w[i:i + n].encode("utf-8", "surrogatepass")) % _N_CHAR)
    return array("i", out)


def clear_feature_cache() -> None:
    """Forget cached word features (benchmarks call this so repeated passes are not flattered)."""
    _WORD_IDS.clear()
    _fix_word.cache_clear()


def _hashes(doc: str) -> list[int]:
    """Feature ids of one normalised text: char_wb n-grams, then word uni/bi-grams."""
    crc = zlib.crc32
    out: list[int] = []
    cache = _WORD_IDS
    for w in doc.split():  # str.split() splits on every whitespace run, as \s+ does
        ids = cache.get(w)
        if ids is None:
            ids = _char_ids(w)
            if len(cache) >= _WORD_IDS_MAX:
                cache.clear()
            cache[w] = ids
        out.extend(ids)
    words = _WORD_RE.findall(doc)
    lo, hi = WORD_NGRAMS
    mod = 2**WORD_BITS
    for n in range(lo, hi + 1):
        for i in range(len(words) - n + 1):
            key = "\x00" + " ".join(words[i:i + n])
            out.append(_N_CHAR + crc(key.encode("utf-8", "surrogatepass")) % mod)
    return out


def hashed_counts(texts: Sequence[str]) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.float32]]:
    """CSR parts (indptr, indices, raw counts) of the hashed features of ``texts``."""
    indptr = [0]
    idx_parts: list[NDArray[np.int32]] = []
    cnt_parts: list[NDArray[np.float32]] = []
    for t in texts:
        ids, counts = np.unique(np.array(_hashes(normalize(t)), dtype=np.int32), return_counts=True)
        idx_parts.append(ids)
        cnt_parts.append(counts.astype(np.float32))
        indptr.append(indptr[-1] + len(ids))
    empty_i: NDArray[np.int32] = np.zeros(0, np.int32)
    empty_f: NDArray[np.float32] = np.zeros(0, np.float32)
    return (np.array(indptr, dtype=np.int64), np.concatenate(idx_parts) if idx_parts else empty_i,
            np.concatenate(cnt_parts) if cnt_parts else empty_f)


def featurize(texts: Sequence[str], idf: NDArray[np.float32]) -> tuple[
        NDArray[np.int64], NDArray[np.int32], NDArray[np.float32]]:
    """CSR parts of the L2-normalised sublinear-tf * idf rows, one per text."""
    indptr, indices, data = hashed_counts(texts)
    vals = (np.log1p(data) * idf[indices]).astype(np.float32)
    rows = row_ids(indptr)
    norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=len(indptr) - 1))
    norms[norms == 0] = 1.0
    vals /= norms[rows].astype(np.float32)
    return indptr, indices, vals


def row_ids(indptr: NDArray[np.int64]) -> NDArray[np.int64]:
    """Row number of every stored value of a CSR matrix."""
    return np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))


# --------------------------------------------------------------------------- #
# Model
# --------------------------------------------------------------------------- #
def sha256_file(path: Path) -> str:
    """Hex sha256 of a file (the artifact is a few MB, so this costs milliseconds)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class ToxicityModel:
    """Scores texts for ``toxic``, ``insult``, ``obscenity`` and ``threat``.

    Use :meth:`load`; it is cached per artifact path, so every caller shares one instance.
    """

    _cache: ClassVar[dict[Path, ToxicityModel]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, *, heads: Sequence[str], coef: NDArray[np.float32], intercept: NDArray[np.float64],
                 platt: NDArray[np.float64], idf: NDArray[np.float32], meta: dict[str, Any]) -> None:
        self.heads = tuple(heads)
        self._coef = coef  # (n_heads, n_features), dense: scoring is a gather + bincount
        self._intercept = intercept
        self._platt = platt  # (n_heads, 2): p = sigmoid(a * score + b)
        self.idf = idf
        self.meta = meta
        self.version: str = str(meta["version"])
        self.derived: dict[str, str] = dict(meta.get("derived", {}))

    # ---- loading ----
    @classmethod
    def load(cls, path: str | Path | None = None, *, accurate: bool | None = None) -> ToxicityModel:
        """Load (once per path) from a models dir or the ``toxicity.v1.json`` file.

        ``accurate`` (default: ``CLIENTGUARD_TOXICITY_MODE=accurate``) returns the opt-in
        cascaded LR+BiGRU+NB-SVM model of :mod:`clientguard.nlp.toxicity_nn` instead.

        Raises :class:`ModelError` if a file is missing, the version differs from
        ``MODEL_VERSION`` or the npz does not match the sha256 recorded in the JSON.
        """
        p = Path(path) if path is not None else DEFAULT_DIR
        if accurate if accurate is not None else _accurate_mode():  # opt-in, see toxicity_nn.py
            from clientguard.nlp.toxicity_nn import load_accurate

            return load_accurate(p)
        meta_path = p if p.suffix == ".json" else p / META_NAME
        key = meta_path.resolve()
        with cls._lock:
            if key not in cls._cache:
                cls._cache[key] = cls._read(meta_path)
            return cls._cache[key]

    @classmethod
    def clear_cache(cls) -> None:
        """Forget loaded models (tests, or after retraining in the same process)."""
        with cls._lock:
            cls._cache.clear()

    @classmethod
    def _read(cls, meta_path: Path) -> ToxicityModel:
        if not meta_path.is_file():
            raise ModelError(f"toxicity model metadata not found: expected {meta_path}; "
                             "rebuild with `make train`")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read {meta_path}: {exc}") from exc
        if meta.get("version") != MODEL_VERSION:
            raise ModelError(f"toxicity model version: expected {MODEL_VERSION}, got {meta.get('version')!r}")
        want = feature_params()
        got = {k: meta.get("features", {}).get(k) for k in want}
        if got != want:
            raise ModelError(f"toxicity feature parameters: expected {want}, got {got}")
        npz_path = meta_path.parent / str(meta.get("artifact", ARTIFACT_NAME))
        if not npz_path.is_file():
            raise ModelError(f"toxicity model artifact not found: expected {npz_path}")
        digest = sha256_file(npz_path)
        if digest != meta.get("sha256"):
            raise ModelError(f"toxicity model checksum mismatch for {npz_path.name}: "
                             f"expected {meta.get('sha256')}, got {digest}")
        with np.load(npz_path, allow_pickle=False) as z:
            idf = z["idf"].astype(np.float32)
            names = [str(n) for n in z["heads"]]
            coef = np.zeros((len(names), _N_FEATURES), dtype=np.float32)
            ptr, ind, dat = z["coef_indptr"], z["coef_indices"], z["coef_data"]  # each access inflates
            for i in range(len(names)):
                coef[i, ind[ptr[i]:ptr[i + 1]]] = dat[ptr[i]:ptr[i + 1]]
            intercept = z["intercept"].astype(np.float64)
            platt = z["platt"].astype(np.float64)
        if "toxic" not in names or idf.shape != (_N_FEATURES,):
            raise ModelError(f"toxicity artifact: expected a 'toxic' head and {_N_FEATURES} features, "
                             f"got heads {names} and {idf.shape[0]} features")
        return cls(heads=names, coef=coef, intercept=intercept, platt=platt, idf=idf, meta=meta)

    # ---- scoring ----
    def _head_probs(self, texts: Sequence[str]) -> dict[str, NDArray[np.float64]]:
        indptr, indices, vals = featurize(texts, self.idf)
        rows = row_ids(indptr)
        out: dict[str, NDArray[np.float64]] = {}
        for i, name in enumerate(self.heads):
            s = np.bincount(rows, weights=self._coef[i, indices] * vals, minlength=len(texts))
            z = self._platt[i, 0] * (s + self._intercept[i]) + self._platt[i, 1]
            out[name] = 1.0 / (1.0 + np.exp(-z))
        return out

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Calibrated probabilities per text for every label in :data:`LABELS`.

        ``insult`` is derived from ``toxic``; ``obscenity``/``threat`` come from weak-label
        heads (or are derived when the artifact lacks them); ``self.derived`` says how.
        """
        if isinstance(texts, str):
            raise TypeError("predict expects a sequence of texts, got a single str")
        if len(texts) == 0:
            return []
        p = self._head_probs(texts)
        tox = p["toxic"]
        obs = p.get("obscenity", tox)
        # insult: no permissively licensed insult labels exist here; toxic comments in the
        # training sets are overwhelmingly personal insults, so insult = toxic (see README).
        ins = p.get("insult", tox)
        thr = p.get("threat", np.zeros_like(tox))
        return [
            {"toxic": float(a), "insult": float(b), "obscenity": float(c), "threat": float(d)}
            for a, b, c, d in zip(tox, ins, obs, thr, strict=True)
        ]


def _accurate_mode() -> bool:
    """``CLIENTGUARD_TOXICITY_MODE=accurate``: load the cascaded LR+BiGRU+NB-SVM model instead.

    Read here (not only in toxicity_nn) so every existing caller of :meth:`ToxicityModel.load`,
    ``clientguard check`` included, can opt in without code changes; unset, nothing changes.
    """
    return os.environ.get("CLIENTGUARD_TOXICITY_MODE", "").strip().lower() == "accurate"


def feature_params() -> dict[str, Any]:
    """The feature settings an artifact must have been trained with."""
    return {"char_ngrams": list(CHAR_NGRAMS), "word_ngrams": list(WORD_NGRAMS),
            "char_bits": CHAR_BITS, "word_bits": WORD_BITS, "hash": "crc32"}
