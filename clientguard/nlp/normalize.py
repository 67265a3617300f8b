"""Text normalisation that keeps a character map back to the ORIGINAL text.

Every later stage (tokens, lemmas, rules) works on the normalised string, but evidence
must point at the text the user wrote; so each normalised character remembers the
original span it came from (``starts``/``ends``).  Steps, in one pass: NFKC per
character, zero-width and combining marks dropped, case folding, ё→е, letters
stretched three or more times collapsed ("срочноооо"), and inside words that mix
scripts the Latin/digit/symbol look-alikes become Cyrillic ("xуй", "бл@").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

# Latin and symbol look-alikes of Cyrillic letters; applied only inside mixed words,
# so English text and numbers are never touched.
_LOOKALIKE: dict[str, str] = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "k": "к",
    "m": "м", "t": "т", "h": "н", "b": "в", "u": "и", "n": "п", "r": "г",
    "0": "о", "3": "з", "6": "б", "@": "а", "$": "с",
    "z": "з",  # not a look-alike but the usual Latin stand-in ("пиzдец")
    "€": "я",  # the euro sign's shape, a common disguise of "я" ("бл€", "бл€ть")
}
_MASKS = frozenset("*#%")
_CYR = regex.compile(r"[а-я]")
_LAT = regex.compile(r"[a-z0-9@$€]")
# A "word" for the mixed-script check: letters, digits and the mask/look-alike symbols.
_WORD = regex.compile(r"[\p{L}\d@$*#%€]+")
# A number glued to its unit or case ending ("30к", "60тыс", "100к", "15го", "3шт") is not a
# disguise: mapping its 0/3/6 to letters turned "за 30к" into "за зок" and hid every sum
# from the money rules. Only these suffixes after a plain number are kept as written.
_NUMBER_WORD = regex.compile(
    r"\d+(?:[.,]\d+)?(?:к|кк|т|тр|тыс|тысяч|тыщ|тыщи|р|руб|рублей|рубля|млн|лям|ляма|мин|ч|час|часа|"
    r"часов|д|дн|дня|дней|нед|шт|мес|г|го|й|я|е|ю|х|ый|ой|ий|ая|ое|ого|ому|ым|ом|м|см|мм|кг|гб|мб|"
    r"сек|с|ти|ми|му|ки|ка|ку|ке|ок|ком|кой|%)"
)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """NFKC + lower + ё→е for one character; '' for invisible format/combining marks."""
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Mn", "Me"):  # zero-width joiners, soft hyphens, stress marks
        return ""
    out = unicodedata.normalize("NFKC", ch).lower() if ord(ch) > 127 else ch.lower()
    return out.replace("ё", "е")


@dataclass(frozen=True)
class Normalized:
    """A normalised string plus, per character, the original [start, end) it maps to."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of ``text`` back to the original text."""
        if not self.text:
            return (0, 0)
        start = min(max(start, 0), len(self.text) - 1)
        end = min(max(end, start + 1), len(self.text))
        return (self.starts[start], self.ends[end - 1])


# Anything outside plain ASCII/Cyrillic/common typography, or a letter tripled, needs the slow path.
_SLOW = regex.compile(
    r"[^\u0000-\u007f\u0400-\u045f\u00a0\u00ab\u00bb\u2013\u2014\u2019\u201c\u201d\u2026]|(\w)\1\1"
)


# The same test as ``_SLOW``, split so that the common case is cheap: the char class alone
# (stdlib ``re``: the same explicit code points, ~20x faster here than ``regex``), then a
# tripled char of ANY kind (also cheap); only texts with one ("!!!", "...") pay for the
# exact ``(\w)\1\1`` test of ``_SLOW``.
_SLOW_CHAR = re.compile(
    r"[^\u0000-\u007f\u0400-\u045f\u00a0\u00ab\u00bb\u2013\u2014\u2019\u201c\u201d\u2026]"
)
_ANY_TRIPLE = re.compile(r"(.)\1\1", re.DOTALL)


# A word that mixes scripts lies inside one run of non-space characters holding both a
# Cyrillic and a Latin/digit/look-alike character, so a text without such a run has no
# word for :func:`_fix_mixed` to change. Cheap exact shortcut for the common "оплачу 15
# числа": digits and Cyrillic in one message, never in one word.
#
# Linear, not the obvious ``[а-я]\S*?[a-z…]|[a-z…]\S*?[а-я]``: that one rescans a long
# run from every start letter, so 24k chars without a space took 2 s and 96k took 30 s.
# Here a try can only begin where a segment begins (a maximal run without spaces and
# without the other script's chars), the first part cannot backtrack into the next
# letter, and the possessive part scans each segment once: each alternative matches iff
# a char of one script is followed, in the same non-space run, by one of the other.
_MIXED_HINT = re.compile(
    r"(?<![^\sa-z0-9@$€])[^\sa-z0-9@$€а-я]*[а-я][^\sa-z0-9@$€]*+[a-z0-9@$€]"
    r"|(?<![^\sа-я])[^\sа-яa-z0-9@$€]*[a-z0-9@$€][^\sа-я]*+[а-я]"
)


@lru_cache(maxsize=4096)
def _identity_map(n: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``starts``/``ends`` of a text normalised char for char (immutable, so shared)."""
    return tuple(range(n)), tuple(range(1, n + 1))


def _needs_slow_path(text: str) -> bool:
    """``_SLOW.search(text) is not None``, answered without ``_SLOW`` for most texts."""
    if _SLOW_CHAR.search(text) is not None:
        return True
    if _ANY_TRIPLE.search(text) is None:
        return False  # no char occurs three times in a row, so no word char does either
    return _SLOW.search(text) is not None


def normalize(text: str) -> Normalized:
    """Normalise ``text``; see the module docstring for the steps and why."""
    if not _needs_slow_path(text):
        # Fast path (most messages): plain Cyrillic/Latin text, one char per char.
        low = text.lower().replace("ё", "е")
        if len(low) == len(text):
            n = len(text)
            if _MIXED_HINT.search(low):
                low = _fix_mixed(low)
            starts, ends = _identity_map(n)
            return Normalized(text, low, starts, ends)
    return _normalize_slow(text)


def _normalize_slow(text: str) -> Normalized:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        folded = ch.lower() if ch.isascii() else _fold_char(ch)
        for f in folded:
            # Collapse a letter stretched 3+ times: keep at most... one copy (the
            # run is almost always emphasis, "пиздеееец", "срочнооо").
            if (
                f.isalpha()
                and len(chars) >= 2
                and chars[-1] == f
                and chars[-2] == f
            ):
                ends[-1] = i + 1
                continue
            chars.append(f)
            starts.append(i)
            ends.append(i + 1)
    # Remove the doubled letter left by a collapsed run ("ааа" -> "аа" -> "а").
    out_c: list[str] = []
    out_s: list[int] = []
    out_e: list[int] = []
    j = 0
    n = len(chars)
    while j < n:
        c = chars[j]
        if c.isalpha() and j + 1 < n and chars[j + 1] == c and ends[j + 1] - starts[j + 1] > 1:
            out_c.append(c)
            out_s.append(starts[j])
            out_e.append(ends[j + 1])
            j += 2
            continue
        out_c.append(c)
        out_s.append(starts[j])
        out_e.append(ends[j])
        j += 1
    norm = "".join(out_c)
    if _MIXED_HINT.search(norm):
        norm = _fix_mixed(norm)
    return Normalized(text, norm, tuple(out_s), tuple(out_e))


def _fix_mixed(norm: str) -> str:
    """Turn look-alikes into Cyrillic inside words that already contain Cyrillic."""
    parts: list[str] = []
    last = 0
    for m in _WORD.finditer(norm):
        w = m.group()
        if _CYR.search(w) and _LAT.search(w) and not w.isdigit() and not _NUMBER_WORD.fullmatch(w):
            parts.append(norm[last : m.start()])
            parts.append("".join(_LOOKALIKE.get(c, c) for c in w))
            last = m.end()
    parts.append(norm[last:])
    out = "".join(parts)
    return out if len(out) == len(norm) else norm


def to_cyrillic(word: str) -> str:
    """Map every Latin/digit/symbol look-alike of ``word`` to its Cyrillic letter."""
    return "".join(_LOOKALIKE.get(c, c) for c in word)


def is_masked(word: str) -> bool:
    """True when a word hides letters behind mask symbols ("х*й", "е##ть")."""
    return any(c in _MASKS for c in word[1:]) and any(c.isalpha() for c in word)
