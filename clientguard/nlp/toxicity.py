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

The normaliser below is deliberately self-contained (the rule engine has its own): it undoes
the usual disguises of мат - Latin look-alikes, digits for letters, masks (``х*й``), spacing
(``б л я``) and stretched letters (``сууука``) - before features are computed.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
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
CHAR_BITS = 18
WORD_BITS = 17

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
    "ebat": "ебать", "eblan": "еблан", "pidor": "пидор", "pidar": "пидар", "mudak": "мудак",
    "huinya": "хуйня", "hujnja": "хуйня", "zaebal": "заебал", "ebal": "ебал",
}
# Frequent obscene forms used to fill masks: "х*й" -> "хуй", "п***ц" -> "пиздец".
_MASK_FORMS = (
    "хуй хуя хую хуе хуем хуи хуйня хуйню хуево хуесос нахуй похуй охуел охуели охуеть "
    "пизда пизды пизде пизду пиздец пиздеж пиздит пиздеть пиздабол спиздил "
    "блядь блять бля бляди блядина ебать ебал ебала ебали ебаный ебаная ебанный ебучий "
    "ебанутый уебок уебище уебан заебал заебали заебало заебись выебать съебись отъебись "
    "ебло еблан долбоеб долбоебы мудак мудаки мудило сука суки сучка пидор пидоры пидорас "
    "пидар пидарас гандон гондон залупа шлюха манда"
).split()
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


def _fill_mask(token: str) -> str:
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
        for form in _MASK_FORMS:
            if pattern.match(form):
                return form
    return token


def _fix_token(match: re.Match[str]) -> str:
    """Undo look-alikes, translit and masks inside one token."""
    tok = match.group(0)
    has_cyr = re.search(f"[{_CYR}]", tok) is not None
    if has_cyr:
        tok = tok.translate(_LOOKALIKE)
    elif tok in _TRANSLIT:
        return _TRANSLIT[tok]
    if has_cyr and any(c in _MASK_CHARS for c in tok):
        tok = _fill_mask(tok)
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
def make_vectorizers() -> tuple[Any, Any]:
    """The two stateless hashing vectorisers; raw counts, idf and norm are applied by us."""
    from sklearn.feature_extraction.text import HashingVectorizer

    char = HashingVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, n_features=2**CHAR_BITS,
                             alternate_sign=False, norm=None, lowercase=False, dtype=np.float32)
    word = HashingVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, n_features=2**WORD_BITS,
                             alternate_sign=False, norm=None, lowercase=False, dtype=np.float32,
                             token_pattern=r"(?u)\b\w+\b")
    return char, word


def featurize(texts: Sequence[str], vecs: tuple[Any, Any], idf: NDArray[np.float32]) -> Any:
    """Normalised texts -> one L2-normalised sparse row per text (sublinear tf * idf)."""
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize as l2

    norm = [normalize(t) for t in texts]
    x = sp.hstack([vecs[0].transform(norm), vecs[1].transform(norm)], format="csr")
    np.log1p(x.data, out=x.data)
    x = x @ sp.diags(idf.astype(np.float32))
    return l2(x, copy=False)


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


@dataclass(frozen=True)
class _Head:
    """One linear head: weights, intercept and Platt calibration (p = sigmoid(a*s + b))."""

    coef: Any  # scipy.sparse column vector (n_features x 1)
    intercept: float
    platt_a: float
    platt_b: float


class ToxicityModel:
    """Scores texts for ``toxic``, ``insult``, ``obscenity`` and ``threat``.

    Use :meth:`load`; it is cached per artifact path, so every caller shares one instance.
    """

    _cache: ClassVar[dict[Path, ToxicityModel]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, *, heads: dict[str, _Head], idf: NDArray[np.float32], meta: dict[str, Any]) -> None:
        self._heads = heads
        self._idf = idf
        self._vecs = make_vectorizers()
        self.meta = meta
        self.version: str = str(meta["version"])
        self.derived: dict[str, str] = dict(meta.get("derived", {}))

    # ---- loading ----
    @classmethod
    def load(cls, path: str | Path | None = None) -> ToxicityModel:
        """Load (once per path) from a models dir or the ``toxicity.v1.json`` file.

        Raises :class:`ModelError` if a file is missing, the version differs from
        ``MODEL_VERSION`` or the npz does not match the sha256 recorded in the JSON.
        """
        p = Path(path) if path is not None else DEFAULT_DIR
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
        import scipy.sparse as sp

        if not meta_path.is_file():
            raise ModelError(f"toxicity model metadata not found: expected {meta_path}; "
                             "rebuild with `make train`")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read {meta_path}: {exc}") from exc
        if meta.get("version") != MODEL_VERSION:
            raise ModelError(f"toxicity model version: expected {MODEL_VERSION}, got {meta.get('version')!r}")
        want = {"char_ngrams": list(CHAR_NGRAMS), "word_ngrams": list(WORD_NGRAMS),
                "char_bits": CHAR_BITS, "word_bits": WORD_BITS}
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
            coef = sp.csr_matrix((z["coef_data"].astype(np.float32), z["coef_indices"], z["coef_indptr"]),
                                 shape=(len(names), idf.shape[0]))
            heads = {
                name: _Head(coef=coef[i].T.tocsc(), intercept=float(z["intercept"][i]),
                            platt_a=float(z["platt"][i, 0]), platt_b=float(z["platt"][i, 1]))
                for i, name in enumerate(names)
            }
        if "toxic" not in heads:
            raise ModelError(f"toxicity artifact has no 'toxic' head: got {names}")
        return cls(heads=heads, idf=idf, meta=meta)

    # ---- scoring ----
    def _head_probs(self, x: Any) -> dict[str, NDArray[np.float64]]:
        out: dict[str, NDArray[np.float64]] = {}
        for name, h in self._heads.items():
            s = np.asarray((x @ h.coef).todense()).ravel() + h.intercept
            out[name] = 1.0 / (1.0 + np.exp(-(h.platt_a * s + h.platt_b)))
        return out

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Calibrated probabilities per text for every label in :data:`LABELS`.

        ``insult`` is derived from ``toxic`` and ``threat``/``obscenity`` may be derived when the
        artifact has no such head; ``self.derived`` says which and how.
        """
        if isinstance(texts, str):
            raise TypeError("predict expects a sequence of texts, got a single str")
        if len(texts) == 0:
            return []
        x = featurize(texts, self._vecs, self._idf)
        p = self._head_probs(x)
        tox = p["toxic"]
        obs = p.get("obscenity", tox)
        # insult: no permissively licensed insult labels exist here; toxic comments in the
        # training sets are overwhelmingly personal insults, so insult = toxic (see README).
        ins = p.get("insult", tox)
        # threat head is trained on weak (pattern) labels, see README; without it, report 0.
        thr = p.get("threat", np.zeros_like(tox))
        return [
            {"toxic": float(a), "insult": float(b), "obscenity": float(c), "threat": float(d)}
            for a, b, c, d in zip(tox, ins, obs, thr, strict=True)
        ]
