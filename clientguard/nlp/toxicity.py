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

Two implementations of the same features and scores: the general one (``normalize``,
``_hashes``, ``hashed_counts``, ``featurize``, ``_head_probs``), which training uses and which is
the reference, and the fast one behind ``predict`` (per-chunk caches, vectorised crc32, one
gather), 3-4x cheaper per message; tests/nlp/test_toxicity_fastpath.py checks they agree bit
for bit. Change both or neither.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
import re
import threading
import unicodedata
import zlib
from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, TypeAlias

import numpy as np
from numpy.typing import NDArray

from clientguard.errors import ModelError, msg
from clientguard.reasons import reason

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
_MASK_SET = frozenset(_MASK_CHARS)
_SPACED_RE = re.compile(r"(?<!\w)(?:\w([ .\-_])){2,}\w(?!\w)")
# Every match of _SPACED_RE contains a separator, one word character and a separator (its
# middle letters), so a text without this never needs the (slower, lookbehind) substitution.
_SPACED_HINT_RE = re.compile(r"[ .\-_]\w[ .\-_]")
_STRETCH_RE = re.compile(r"(\w)\1{2,}")
_TOKEN_RE = re.compile(r"[\w*#%@$]+")
_INVISIBLE_RE = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")
_ONE_LETTER_WORDS = set("авиксоуяжбi")


def _join_spaced(match: re.Match[str]) -> str:
    """Join "б л я" -> "бля", but leave runs of real one-letter words ("я и в") alone."""
    letters = re.sub(r"[ .\-_]", "", match.group(0))
    return match.group(0) if set(letters) <= _ONE_LETTER_WORDS else letters


def _fill_mask(token: str, forms: Sequence[str],
               affixes: tuple[frozenset[str], frozenset[str]] | None = None) -> str:
    """Replace a masked word by the first frequent obscene form that fits it, else keep it.

    ``affixes``: every prefix and every suffix of ``forms`` (see :func:`_affixes`), to skip
    tokens no form can fit before compiling their patterns.
    """
    core = token.strip(_MASK_CHARS)
    if len(core) < 1 or not any(c in _MASK_CHARS for c in core):
        return token
    # Both patterns below start with core's literal head and end with its literal tail, so a
    # form must too. Checking that first (two set lookups) spares compiling two one-off
    # regexes for tokens no form can fit, such as "@some_user" (most tokens that get here).
    if affixes is not None:
        head = core[:min(core.find(c) % (len(core) + 1) for c in _MASK_CHARS)]
        tail = core[max(core.rfind(c) for c in _MASK_CHARS) + 1:]
        if head not in affixes[0] or tail not in affixes[1]:
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


def _affixes(forms: Sequence[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Every prefix and every suffix of ``forms``, for :func:`_fill_mask`'s early exit."""
    return (frozenset(f[:i] for f in forms for i in range(len(f) + 1)),
            frozenset(f[i:] for f in forms for i in range(len(f) + 1)))


_MASK_AFFIXES = _affixes(_MASK_FORMS)
_MASK_AFFIXES_EN = _affixes(_MASK_FORMS_EN)
_CYR_RE = re.compile(f"[{_CYR}]")


def _fix_token(match: re.Match[str]) -> str:
    return _fix_word(match.group(0))


@lru_cache(maxsize=50_000)
def _fix_word(tok: str) -> str:
    """Undo look-alikes, translit and masks inside one token.

    A pure function of the token, run on every token of every text: cached, because most
    tokens are common words seen before.
    """
    has_cyr = _CYR_RE.search(tok) is not None
    if has_cyr:
        tok = tok.translate(_LOOKALIKE)
    elif tok in _TRANSLIT:
        return _TRANSLIT[tok]
    if not _MASK_SET.isdisjoint(tok):
        tok = (_fill_mask(tok, _MASK_FORMS, _MASK_AFFIXES) if has_cyr
               else _fill_mask(tok, _MASK_FORMS_EN, _MASK_AFFIXES_EN))
    return tok


def normalize(text: str) -> str:
    """Lower-case and undo the common disguises of obscene words; keep everything else.

    The output is what the features see; it is not meant for display.
    """
    return _fix_chunk(_prenormalize(text))


def _prenormalize(text: str) -> str:
    """The whole-text steps of :func:`normalize`: NFKC, invisibles, case, spaced letters.

    Split off because the remaining steps (stretching, look-alikes, masks) never match across
    whitespace, so :func:`_doc_ids` applies them per whitespace chunk, where they are cached.
    """
    t = unicodedata.normalize("NFKC", text)
    t = _INVISIBLE_RE.sub("", t).lower().replace("ё", "е")
    # The spaced pattern needs a one-character token between two separators; most texts have
    # none, and this search skips to candidate separators in C instead of trying every position.
    if _SPACED_HINT_RE.search(t) is not None:
        t = _SPACED_RE.sub(_join_spaced, t)
    return t


def _fix_chunk(t: str) -> str:
    """The per-token steps of :func:`normalize` (stretched letters, then look-alikes and masks).

    Neither regex matches whitespace, so applying this to each whitespace chunk of a text and
    to the whole text give the same result; that is what lets :func:`_doc_ids` cache chunks.
    """
    return _TOKEN_RE.sub(_fix_token, _STRETCH_RE.sub(r"\1", t))


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
    _CHUNKS.clear()
    _CHAR_BYTES.clear()
    _CHAR_CRC.clear()
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


# --------------------------------------------------------------------------- #
# Fast path: the same ids as normalize() + _hashes(), from per-chunk caches
# --------------------------------------------------------------------------- #
# Why: in scoring most of the time went to per-token Python work (the token-fix callback,
# one slice + encode + crc32 per char n-gram, the word n-gram strings) rather than to the model.
# Everything after the whole-text normaliser steps depends on one whitespace chunk alone
# (its fixed form, char n-grams, words, the bigrams inside it), so one dict lookup per chunk
# replaces all of it for chunks seen before; only bigrams across chunk boundaries are left,
# one crc32 call each (crc32 of "\x00w1 w2" continues crc32 of "\x00w1"). ``_hashes`` stays
# the reference (training uses it); tests/nlp/test_toxicity_fastpath.py checks they agree.
_WORD_MASK = 2**WORD_BITS - 1
_CHAR_MASK = _N_CHAR - 1
_CHAR_CACHE_MAX = 20_000


class _CharBytes(dict[str, bytes]):
    """UTF-8 (surrogatepass) bytes of one character, computed on first use."""

    def __missing__(self, ch: str) -> bytes:
        if len(self) >= _CHAR_CACHE_MAX:  # adversarial input: keep the cache bounded
            self.clear()
        b = self[ch] = ch.encode("utf-8", "surrogatepass")
        return b


class _CharCrc(dict[str, int]):
    """crc32 of one character, the start of every n-gram chain in :func:`_char_ids_chained`."""

    def __missing__(self, ch: str) -> int:
        if len(self) >= _CHAR_CACHE_MAX:
            self.clear()
        c = self[ch] = zlib.crc32(ch.encode("utf-8", "surrogatepass"))
        return c


_CHAR_BYTES = _CharBytes()
_CHAR_CRC = _CharCrc()


def _char_ids_chained(word: str) -> array[int]:
    """Same ids, same order as :func:`_char_ids`, without a slice + encode per n-gram.

    UTF-8 encodes each character on its own, so an n-gram's bytes are its characters' bytes
    one after another and crc32(n-gram) = crc32(last char, crc32(first n-1 chars)): each
    length's crcs come from the previous length's in one C-level ``map`` over the word.
    """
    crc = zlib.crc32
    w = f" {word} "
    chb = list(map(_CHAR_BYTES.__getitem__, w))
    c2 = list(map(crc, chb[1:], map(_CHAR_CRC.__getitem__, w)))
    c3 = list(map(crc, chb[2:], c2))
    c4 = list(map(crc, chb[3:], c3))
    c5 = map(crc, chb[4:], c4)
    m = _CHAR_MASK
    return array("i", [c & m for c in (*c2, *c3, *c4, *c5)])


# chunk -> (int32 bytes of the ids of its char n-grams, words and in-chunk word bigrams;
# b" " + its first word's bytes, or b"" if it has no word; crc32 of "\x00" + its last word,
# or -1). Bytes, so a text's ids are one b"".join of its chunks' entries.
_ChunkEntry: TypeAlias = tuple[bytes, bytes, int]
_CHUNKS: dict[str, _ChunkEntry] = {}
_CHUNKS_MAX = 50_000  # cleared when full, like _WORD_IDS: a few hundred bytes per entry

assert CHAR_NGRAMS == (2, 5) and WORD_NGRAMS == (1, 2), "the fast path hard-codes these"


# A chunk without these characters has no token _fix_word can change: with no Latin letter,
# digit, @ or $ there is nothing to translate and no _TRANSLIT key; no mask character either.
_FIX_HINT_RE = re.compile(r"[a-z0-9@$*#%_ё]")
# Without Cyrillic or mask characters, _fix_word can only change a token found in _TRANSLIT.
_FIX_HINT_LATIN_RE = re.compile(r"[а-яё*#%_]")


def _fix_chunk_fast(chunk: str) -> str:
    """:func:`_fix_chunk`, skipping its two substitutions when they cannot change ``chunk``.

    Most chunks are plain words, for which re.sub with a template and a Python callback per
    token cost several times the two C-level searches that prove nothing would change.
    """
    if _STRETCH_RE.search(chunk) is not None:
        return _fix_chunk(chunk)
    if (_FIX_HINT_RE.search(chunk) is None
            or (_FIX_HINT_LATIN_RE.search(chunk) is None
                and _TRANSLIT.keys().isdisjoint(_TOKEN_RE.findall(chunk)))):
        return chunk
    return _TOKEN_RE.sub(_fix_token, chunk)  # _fix_chunk without its (no-op) stretch step


def _chunk_entry(chunk: str, fixed: str | None = None, char_ids: bytes = b"") -> _ChunkEntry:
    """Feature ids that depend on one whitespace chunk of a pre-normalised text alone.

    ``fixed``, ``char_ids``: the chunk's fixed form and char n-gram ids if already computed
    (by :func:`_add_chunks`).
    """
    crc = zlib.crc32
    if fixed is None:
        fixed = _fix_chunk_fast(chunk)
    ids = array("i")
    if not char_ids:
        for piece in fixed.split():  # one piece: the fixes never insert whitespace
            ids.extend(_char_ids_chained(piece))
    first = b""
    prev = -1
    for w in _WORD_RE.findall(fixed):
        b = w.encode("utf-8", "surrogatepass")
        u = crc(b"\x00" + b)
        ids.append(_N_CHAR + (u & _WORD_MASK))
        sb = b" " + b
        if prev < 0:
            first = sb
        else:
            ids.append(_N_CHAR + (crc(sb, prev) & _WORD_MASK))
        prev = u
    if len(_CHUNKS) >= _CHUNKS_MAX:
        _CHUNKS.clear()
    entry = _CHUNKS[chunk] = (char_ids + ids.tobytes(), first, prev)
    return entry


def _doc_ids(text: str) -> array[int]:
    """The ids ``_hashes(normalize(text))`` returns, as a multiset (the order differs)."""
    a = array("i")
    a.frombytes(_chunks_ids(_prenormalize(text).split()))
    return a


def _chunks_ids(chunks: list[str]) -> bytes:
    """:func:`_doc_ids` (as int32 bytes) of a text given as its pre-normalised whitespace chunks."""
    get = _CHUNKS.get
    entries = [get(c) or _chunk_entry(c) for c in chunks]
    worded = [e for e in entries if e[1]]
    parts = [e[0] for e in entries]
    if len(worded) > 1:  # bigrams of each chunk's last word and the next worded chunk's first
        crc = zlib.crc32
        parts.append(array("i", [_N_CHAR + (crc(b[1], a[2]) & _WORD_MASK)
                                 for a, b in itertools.pairwise(worded)]).tobytes())
    return b"".join(parts)


# Batches: the char n-grams of all new chunks in numpy. Python's per-n-gram cost (one crc32
# call, ~100 ns here, ~30 n-grams a word) is most of the time of a new chunk, and a benchmark
# pass or a day's first messages are mostly new chunks. CRC-32 is affine over GF(2):
# crc32(data, v) = A^len(data)(v) ^ crc32(data), A being zlib's update by one zero byte, a
# linear map; so every n-gram's crc is the (n-1)-gram's, shifted by the byte length of the
# next character, xor that character's own crc32: four table lookups per n-gram, vectorised.
def _crc_tables() -> tuple[NDArray[np.uint32], NDArray[np.uint32]]:
    """(A^L(v << 8j) at [(L-1)*1024 + j*256 + v] for L = 1..4, crc32 of every char < U+0800)."""
    tab = np.arange(256, dtype=np.uint32)
    for _ in range(8):  # zlib's byte table (reflected polynomial 0xEDB88320)
        tab = np.where(tab & 1, (tab >> 1) ^ np.uint32(0xEDB88320), tab >> 1)
    x = np.arange(256, dtype=np.uint32)[None, :] << (8 * np.arange(4, dtype=np.uint32))[:, None]
    shifts = []
    for _ in range(4):
        x = tab[x & 255] ^ (x >> 8)
        shifts.append(x.ravel())
    one = np.array([zlib.crc32(chr(c).encode("utf-8", "surrogatepass")) for c in range(0x800)], np.uint32)
    return np.concatenate(shifts), one


_CRC_SHIFT, _CRC_ONE = _crc_tables()
_BATCH_MIN_CHUNKS = 24  # below this the ~130 numpy calls cost more than the Python path


def _char_ids_many(pieces: Sequence[str]) -> tuple[NDArray[np.int32], NDArray[np.int64]]:
    """:func:`_char_ids` of every piece, concatenated (same order), and each piece's end offset."""
    lens = np.fromiter(map(len, pieces), np.int64, len(pieces)) + 2  # with the char_wb padding
    cp = np.frombuffer("".join([f" {p} " for p in pieces]).encode("utf-32-le", "surrogatepass"), np.uint32)
    t = cp.size
    small = cp < 0x800
    one = _CRC_ONE.take(np.where(small, cp, 0))  # crc32 of each character's UTF-8 bytes
    if not small.all():
        big = np.flatnonzero(~small)
        one[big] = [_CHAR_CRC[chr(c)] for c in cp[big].tolist()]
    base = (cp > 0x7F).astype(np.int64)  # (UTF-8 length - 1) * 1024: the character's A^L table
    base += ~small
    base += cp > 0xFFFF
    base <<= 10
    piece_end = np.cumsum(lens)
    left = np.repeat(piece_end, lens) - np.arange(t)  # characters from here to the piece's end
    # Output, per piece: its 2-grams, 3-grams, 4-grams, 5-grams (as _char_ids orders them).
    counts = [np.maximum(lens - (n - 1), 0) for n in range(2, 6)]
    per_piece = counts[0] + counts[1] + counts[2] + counts[3]
    ends = np.cumsum(per_piece)
    level_start = ends - per_piece  # where this piece's n-grams of the current length go
    out = np.empty(int(ends[-1]) if ends.size else 0, np.int32)
    crc = one
    for n, cnt in zip(range(2, 6), counts, strict=True):
        m = max(t - n + 1, 0)  # n-grams starting anywhere (some cross pieces: dropped below)
        x = crc[:m]
        b = base[n - 1:n - 1 + m]
        crc = _CRC_SHIFT.take(b + (x & 255))
        crc ^= _CRC_SHIFT.take(b + (256 + ((x >> 8) & 255)))
        crc ^= _CRC_SHIFT.take(b + (512 + ((x >> 16) & 255)))
        crc ^= _CRC_SHIFT.take(b + (768 + (x >> 24)))
        crc ^= one[n - 1:n - 1 + m]
        vals = crc[left[:m] >= n]  # n-grams inside one piece, in piece order
        run_start = np.cumsum(cnt) - cnt
        dest = np.repeat(level_start - run_start, cnt) + np.arange(vals.size)
        out[dest] = vals & _CHAR_MASK
        level_start = level_start + cnt
    return out, ends


def _add_new_chunks(chunks: list[str]) -> None:
    """Cache the chunks not cached yet, in numpy if there are enough of them to pay for it."""
    cache = _CHUNKS
    new = [c for c in chunks if c not in cache]
    if len(new) >= _BATCH_MIN_CHUNKS:
        new = list(dict.fromkeys(new))
        if len(new) >= _BATCH_MIN_CHUNKS:
            _add_chunks(new)


def _add_chunks(chunks: list[str]) -> None:
    """Put the entries of many new chunks into the cache, char n-grams by :func:`_char_ids_many`."""
    fixed = [_fix_chunk_fast(c) for c in chunks]
    if any(len(f.split()) != 1 for f in fixed):  # cannot happen (see _chunk_entry); be safe
        for c in chunks:
            _chunk_entry(c)
        return
    ids, ends = _char_ids_many(fixed)
    buf = ids.tobytes()
    start = 0
    for c, f, end in zip(chunks, fixed, ends.tolist(), strict=True):
        _chunk_entry(c, f, buf[start * 4:end * 4])
        start = end


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
        # One row per feature: its idf, then its weight in every head. The fast path gathers
        # them with one ``take`` of 16-byte rows (~4x cheaper than one fancy-index gather per
        # array, and one cache line per id instead of four). ``_coef`` and ``idf`` are views
        # into it, so the general path (featurize + _head_probs) reads the same numbers and
        # the table does not double the memory.
        self._table = _score_table(idf, coef)
        self._coef = self._table[:, 1:].T  # (n_heads, n_features), dense: scoring is a gather + bincount
        self._intercept = intercept
        self._platt = platt  # (n_heads, 2): p = sigmoid(a * score + b)
        self._intercept_l: list[float] = intercept.tolist()  # as Python floats, for _probs_one
        self._platt_l: list[list[float]] = platt.tolist()
        self.idf = self._table[:, 0]
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
            raise ModelError(msg("models.no_meta", path=meta_path))
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(msg("models.cannot_read", path=meta_path, error=reason(exc))) from exc
        if meta.get("version") != MODEL_VERSION:
            raise ModelError(msg("models.version", model=msg("models.lr"), expected=MODEL_VERSION,
                                 got=meta.get("version")))
        want = feature_params()
        got = {k: meta.get("features", {}).get(k) for k in want}
        if got != want:
            raise ModelError(msg("models.features", expected=str(want), got=str(got)))
        npz_path = meta_path.parent / str(meta.get("artifact", ARTIFACT_NAME))
        if not npz_path.is_file():
            raise ModelError(msg("models.no_artifact", model=msg("models.lr"), path=npz_path))
        digest = sha256_file(npz_path)
        if digest != meta.get("sha256"):
            raise ModelError(msg("models.checksum", model=msg("models.lr"), name=npz_path.name,
                                 expected=str(meta.get("sha256")), got=digest))
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
            raise ModelError(msg("models.heads", features=_N_FEATURES, heads=str(names), got=idf.shape[0]))
        return cls(heads=names, coef=coef, intercept=intercept, platt=platt, idf=idf, meta=meta)

    # ---- scoring ----
    def _head_probs(self, texts: Sequence[str]) -> dict[str, NDArray[np.float64]]:
        return self._heads_of(*featurize(texts, self.idf))

    def _heads_of(self, indptr: NDArray[np.int64], indices: NDArray[np.int32],
                  vals: NDArray[np.float32]) -> dict[str, NDArray[np.float64]]:
        """Every head's probability from featurised texts (the general path's arithmetic)."""
        n = len(indptr) - 1
        rows = row_ids(indptr)
        out: dict[str, NDArray[np.float64]] = {}
        for i, name in enumerate(self.heads):
            s = np.bincount(rows, weights=self._coef[i, indices] * vals, minlength=n)
            z = self._platt[i, 0] * (s + self._intercept[i]) + self._platt[i, 1]
            out[name] = 1.0 / (1.0 + np.exp(-z))
        return out

    def _fast_probs(self, texts: Sequence[str]) -> list[list[float]]:
        """Per text, the probability of every head (in ``self.heads`` order); same numbers as
        :meth:`_head_probs`, bit for bit.

        Why a second path: the general one spends more on numpy call overhead (per-text
        np.unique, CSR bookkeeping, a fancy-index gather and a bincount per head) and on one
        big sort than on arithmetic. Here each text's ids are sorted on their own (small sorts
        are several times cheaper per element than one sort of a whole batch), tagged with
        their row, and one ``take`` gathers idf and every head weight at once. The float
        operations and their order are the general path's: float32 log1p * idf, float32
        squares summed in float64 in id order by bincount, float32 division by the float32
        norm, float32 products summed in float64 in id order by bincount, float64 Platt and
        np.exp (not math.exp, which differs in the last bit for ~5% of inputs).
        """
        n = len(texts)
        if n == 1:
            return [self._probs_one(texts[0])]
        n_heads = len(self.heads)
        split = [_prenormalize(t).split() for t in texts]
        _add_new_chunks([c for chunks in split for c in chunks])
        parts = [_sorted(_chunks_ids(chunks)) for chunks in split]
        # row << 21 | id: sorted, since each part is
        keys: NDArray[np.int64] = np.concatenate(parts).astype(np.int64) + np.repeat(
            np.arange(0, n << _ROW_SHIFT, 1 << _ROW_SHIFT, dtype=np.int64), [len(x) for x in parts])
        bounds = _run_bounds(keys)
        uniq = keys[bounds[:-1]]
        rows = uniq >> _ROW_SHIFT
        g: NDArray[np.float32] = self._table.take(uniq & ((1 << _ROW_SHIFT) - 1), axis=0)  # (k, 1 + n_heads)
        vals = np.log1p((bounds[1:] - bounds[:-1]).astype(np.float32)) * g[:, 0]
        norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=n))
        norms[norms == 0] = 1.0
        vals /= norms.astype(np.float32)[rows]
        prod = g[:, 1:] * vals[:, None]
        z = np.empty((n, n_heads))
        for h in range(n_heads):
            z[:, h] = np.bincount(rows, weights=prod[:, h], minlength=n)
        z += self._intercept
        z *= self._platt[:, 0]
        z += self._platt[:, 1]
        p: list[list[float]] = (1.0 / (1.0 + np.exp(-z))).tolist()
        return p

    def _probs_one(self, text: str) -> list[float]:
        """:meth:`_fast_probs` of one text, with the fewest numpy calls (each costs ~1 us)."""
        chunks = _prenormalize(text).split()
        if len(chunks) >= _BATCH_MIN_CHUNKS:  # a long text: maybe enough new chunks for numpy
            _add_new_chunks(chunks)
        keys = _sorted(_chunks_ids(chunks))
        bounds = _run_bounds(keys)
        g: NDArray[np.float32] = self._table.take(keys[bounds[:-1]], axis=0)
        k = g.shape[0]
        vals = np.log1p((bounds[1:] - bounds[:-1]).astype(np.float32)) * g[:, 0]
        # The same bincount as the general path (rows all 0), so the same summation order.
        norm = math.sqrt(np.bincount(_zeros(k), weights=vals * vals, minlength=1)[0]) or 1.0
        vals /= np.float32(norm)
        n_heads = g.shape[1] - 1
        s = np.bincount(_head_bins(k, n_heads), weights=(g[:, 1:] * vals[:, None]).ravel(),
                        minlength=n_heads).tolist()
        neg_z = [-(a * (v + c) + b) for v, c, (a, b) in zip(s, self._intercept_l, self._platt_l, strict=True)]
        return [1.0 / (1.0 + e) for e in np.exp(neg_z).tolist()]

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Calibrated probabilities per text for every label in :data:`LABELS`.

        ``insult`` is derived from ``toxic``; ``obscenity``/``threat`` come from weak-label
        heads (or are derived when the artifact lacks them); ``self.derived`` says how.
        """
        if not _checked(texts):
            return []
        return self._labelled(self._fast_probs(texts))

    def predict_general(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """:meth:`predict` through the general path (featurize + :meth:`_head_probs`).

        Kept as the reference the fast path is tested against (same numbers, bit for bit).
        """
        if not _checked(texts):
            return []
        p = self._head_probs(texts)
        return self._labelled(zip(*(p[h].tolist() for h in self.heads), strict=True))

    def _labelled(self, rows: Iterable[Sequence[float]]) -> list[dict[str, float]]:
        """Per-head probability rows (``self.heads`` order) as label dicts."""
        col = {name: i for i, name in enumerate(self.heads)}
        tox = col["toxic"]
        # insult: no permissively licensed insult labels exist here; toxic comments in the
        # training sets are overwhelmingly personal insults, so insult = toxic (see README).
        ins, obs, thr = col.get("insult", tox), col.get("obscenity", tox), col.get("threat")
        if thr is None:
            return [{"toxic": r[tox], "insult": r[ins], "obscenity": r[obs], "threat": 0.0} for r in rows]
        return [{"toxic": r[tox], "insult": r[ins], "obscenity": r[obs], "threat": r[thr]} for r in rows]


def _checked(texts: Sequence[str]) -> bool:
    """Whether there is anything to score; a bare str (a common slip) is an error."""
    if isinstance(texts, str):
        raise TypeError("predict expects a sequence of texts, got a single str")
    return len(texts) > 0


_ROW_SHIFT = 21  # batch sort key: row << 21 | feature id (ids are < 2**21)
assert _N_FEATURES <= 1 << _ROW_SHIFT


def _score_table(idf: NDArray[np.float32], coef: NDArray[np.float32]) -> NDArray[np.float32]:
    """(n_features, 1 + n_heads) float32: idf, then each head's weight; see ToxicityModel.

    If ``idf`` and ``coef`` already are the views ToxicityModel makes (the accurate model is
    built from a loaded one), their table is reused rather than copied.
    """
    base = idf.base
    if (isinstance(base, np.ndarray) and coef.base is base and base.dtype == np.float32
            and base.shape == (_N_FEATURES, 1 + coef.shape[0]) and base.flags.c_contiguous
            and idf.ctypes.data == base.ctypes.data and idf.strides == (base.strides[0],)
            and coef.ctypes.data == base.ctypes.data + base.itemsize
            and coef.strides == (base.itemsize, base.strides[0])):
        return base
    table = np.empty((_N_FEATURES, 1 + coef.shape[0]), dtype=np.float32)
    table[:, 0] = idf
    table[:, 1:] = coef.T
    return table


def _run_bounds(keys: NDArray[Any]) -> NDArray[np.intp]:
    """Start of each run of equal values in sorted ``keys``, plus ``len(keys)`` at the end:
    ``np.unique(return_counts=True)`` by hand (fewer numpy calls; counts are the diffs)."""
    m = keys.size
    flag = np.empty(m + 1, np.bool_)
    flag[0] = flag[m] = True
    np.not_equal(keys[1:], keys[:-1], out=flag[1:m])
    return np.flatnonzero(flag)


def _sorted(ids: bytes) -> NDArray[np.int32]:
    """int32 ids as a sorted numpy array (copy + in-place sort: np.sort's Python wrapper
    costs about as much as a small sort)."""
    a = np.frombuffer(ids, np.int32).copy()
    a.sort()
    return a


_ZEROS: NDArray[np.intp] = np.zeros(0, np.intp)
_HEAD_BINS: dict[int, NDArray[np.intp]] = {}


def _zeros(k: int) -> NDArray[np.intp]:
    """``k`` zeros (the row of every value of a one-text batch), sliced from a shared array."""
    global _ZEROS
    z = _ZEROS
    if z.size < k:
        z = _ZEROS = np.zeros(max(k, 2 * z.size, 4096), np.intp)
    return z[:k]


def _head_bins(k: int, n_heads: int) -> NDArray[np.intp]:
    """0, 1, .., n_heads - 1 repeated ``k`` times: the bincount bins of a one-text batch."""
    b = _HEAD_BINS.get(n_heads)
    if b is None or b.size < k * n_heads:
        reps = max(k, 2 * b.size // n_heads if b is not None else 0, 4096)
        b = _HEAD_BINS[n_heads] = np.tile(np.arange(n_heads, dtype=np.intp), reps)
    return b[:k * n_heads]


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
