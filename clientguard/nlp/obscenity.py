"""Obscenity detector: mat roots with disguise handling, English f-words.

Word-level, because that is where disguise happens: asterisks inside a word
("х*йня", "п****ц"), "@" for "а" ("заеб@ли"), Latin look-alikes ("xуйня", mapped by
the normaliser), spaced letters ("е б а т ь", joined here) and translit ("blyat").
A masked word is first "unmasked" by trying letters for the hidden ones against the
roots; a word with letters hidden INSIDE it that no fill explains still counts, with a
lower weight, because clients mask only words they consider obscene.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import regex
import yaml

from clientguard.nlp.normalize import to_cyrillic
from clientguard.nlp.rules import Hit
from clientguard.nlp.tokens import Token

MAT_FILE = Path(__file__).with_name("rules") / "mat.yaml"
_MASK = frozenset("*#%@")
_RU_FILL = "уеаиояыбхзлдпкнтсь"
_EN_FILL = "uaioeckh"


@dataclass(frozen=True)
class MatLexicon:
    """Compiled roots: one regex per root id, plus innocent exceptions."""

    ru: tuple[tuple[str, regex.Pattern[str]], ...]
    latin: tuple[tuple[str, regex.Pattern[str]], ...]
    exceptions: frozenset[str]
    latin_exceptions: frozenset[str]
    dot_truncated: frozenset[str] = frozenset()


@cache
def lexicon() -> MatLexicon:
    """Load ``rules/mat.yaml`` once."""
    # libyaml when available (same data, ~5x faster: this is part of the first call's cost).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(MAT_FILE.read_text(encoding="utf-8"), Loader=loader)
    pre = data["prefixes"]
    ru = tuple((k, regex.compile("^" + pre + "(?:" + v + ")")) for k, v in data["roots"].items())
    lat = tuple((k, regex.compile(v)) for k, v in data["latin"].items())
    return MatLexicon(ru, lat, frozenset(data["exceptions"]), frozenset(data["latin_exceptions"]),
                      frozenset(w.replace("ё", "е") for w in data.get("dot_truncated") or ()))


@lru_cache(maxsize=100_000)
def match_word(word: str) -> str | None:
    """Root id that ``word`` (normalised, unmasked) is built on, or None."""
    lex = lexicon()
    if len(word) < 2:
        return None
    if word[0] >= "а" and word[0] <= "я":
        if word in lex.exceptions:
            return None
        for rid, rx in lex.ru:
            if rx.search(word):
                return rid
        return None
    if word in lex.latin_exceptions:
        return None
    for rid, rx in lex.latin:
        if rx.search(word):
            return rid
    return None


def _mask_positions(word: str) -> list[int]:
    return [i for i, c in enumerate(word) if c in _MASK]


@lru_cache(maxsize=20_000)
def match_masked(word: str) -> tuple[str, float] | None:
    """Root id and weight for a word with hidden letters, or None if not a disguise."""
    cyr = any("а" <= c <= "я" for c in word)
    masks = _MASK if cyr else frozenset("*#")
    core = word.lstrip("".join(masks))
    if len(core) < 2 or not any(c.isalpha() for c in core):
        return None
    if not any(c in masks for c in core):
        rid = match_word(core)
        return (rid, 0.95) if rid else None
    if not cyr and any(c in core for c in "@%"):
        return None  # e-mail addresses, percentages
    fill = _RU_FILL if cyr else _EN_FILL
    # Each run of masks is one slot; try 0-2 letters per slot (0-1 with two slots).
    skeleton: list[str | None] = []
    for is_mask, grp in itertools.groupby(core, key=lambda c: c in masks):
        skeleton.append(None if is_mask else "".join(grp))
    slots = skeleton.count(None)
    if slots <= 2:
        options = ["", *fill, *(a + b for a in fill for b in fill)] if slots == 1 else ["", *fill]
        for combo in itertools.product(options, repeat=slots):
            it = iter(combo)
            cand = "".join(s if s is not None else next(it) for s in skeleton)
            rid = match_word(cand)
            if rid:
                return rid, 0.95
    # Letters hidden inside a word (not *bold* markup): still a disguise.
    inner = core.rstrip("".join(masks))
    if any(c in masks for c in inner) and len(core) >= 3:
        return "masked", 0.75
    return None


def find_obscenity(tokens: list[Token], raw: str, lang: str) -> list[Hit]:
    """Obscenity hits over one message's tokens."""
    return obscenity_hits([t.text for t in tokens], [t.ostart for t in tokens], [t.oend for t in tokens],
                          raw, lang)


def obscenity_hits(
    words: Sequence[str], ostarts: Sequence[int], oends: Sequence[int], raw: str, lang: str
) -> list[Hit]:
    """Obscenity hits over one message's token texts and original spans (no Token objects).

    Messages without any mask symbol (almost all) take a short loop: one cached
    :func:`match_word` per word, as the general loop does for them.
    """
    hits: list[Hit] = []
    has_at = "@" in raw
    has_mask = has_at or any(c in raw for c in "*#%")
    if not has_mask:
        for w, s, e in zip(words, ostarts, oends, strict=True):
            if not w[0].isalnum() and w[0] not in "*#%@$":
                continue
            rid = match_word(w)
            if rid:
                hits.append(Hit(f"{lang}.obscenity.{rid}", "obscenity", s, e, 0.95))
    else:
        for w, s, e in zip(words, ostarts, oends, strict=True):
            if not w[0].isalnum() and w[0] not in "*#%@$":
                continue
            orig = raw[s:e].lower() if has_at else ""
            if has_at and "@" in orig and any("а" <= c <= "я" for c in w) and not orig.startswith("@"):
                # "@" inside a Cyrillic word is both a look-alike and a mask: try as mask.
                w = "".join("*" if o == "@" else c for o, c in zip(orig, w, strict=False)) if len(
                    orig
                ) == len(w) else w
            res: tuple[str, float] | None
            if any(c in _MASK for c in w):
                res = match_masked(w)
            else:
                rid = match_word(w)
                res = (rid, 0.95) if rid else None
            if res:
                hits.append(Hit(f"{lang}.obscenity.{res[0]}", "obscenity", s, e, res[1]))
    # Spaced letters: "е б а т ь", "х у й", "п.и.з.д.е.ц" (runs of 3+ one-letter tokens,
    # which one separator token may join), and "б-л-я", "п_и_з_д_е_ц" (one token).
    run: list[int] = []
    for k, w in enumerate(words):
        if len(w) == 1:
            if w.isalpha():
                run.append(k)
                continue
            if w in _SEPARATORS and run and run[-1] == k - 1:
                continue  # may join the letter before to the next one
        elif ("-" in w or "_" in w) and _joined_letters(w):
            letters = to_cyrillic_if_mixed(w.replace("-", "").replace("_", ""))
            _spell(letters, ostarts[k], oends[k], lang, hits)
        if run:
            if len(run) >= 3:
                _spaced(run, words, ostarts, oends, lang, hits)
            run = []
    if len(run) >= 3:
        _spaced(run, words, ostarts, oends, lang, hits)
    if "!" in raw or "?" in raw or ".." in raw or "…" in raw:
        _punct_masked(raw, lang, hits)
    return hits


# "п!здец", "х?йня", "пи...ц", "х..ня": punctuation used as a mask splits the word into
# tokens. Only a fill that spells a mat root counts (never the generic "masked" fallback),
# because "ок!спасибо" is a missing space and "да...нет" a pause, not a disguise. Dots
# mask only between letters (two or more, or "…"); a word cut off by dots ("бл...") counts
# only when its start is in mat.yaml's ``dot_truncated`` list.
_PUNCT_MASKED = regex.compile(
    r"(?<![\p{L}\d])[а-яё]+(?:(?:[!?]+|\.{2,}|…+)[а-яё]+)+(?![\p{L}\d])", regex.I
)
_PUNCT_FILL = regex.compile(r"[!?]+|\.{2,}|…+")
_DOT_CUT = regex.compile(r"(?<![\p{L}\d.])([а-яё]{2,5})(?:\.{2,}|…)(?![\p{L}\d])", regex.I)


def _punct_masked(raw: str, lang: str, hits: list[Hit]) -> None:
    for m in _PUNCT_MASKED.finditer(raw):
        word = _PUNCT_FILL.sub("*", m.group().lower().replace("ё", "е"))
        res = match_masked(word)
        if res and res[0] != "masked":
            hits.append(Hit(f"{lang}.obscenity.{res[0]}", "obscenity", m.start(), m.end(), res[1]))
    if ".." in raw or "…" in raw:
        cut = lexicon().dot_truncated
        for m in _DOT_CUT.finditer(raw):
            if m.group(1).lower().replace("ё", "е") in cut:
                hits.append(Hit(f"{lang}.obscenity.masked", "obscenity", m.start(), m.end(), 0.9))


def _spaced(
    run: list[int], words: Sequence[str], ostarts: Sequence[int], oends: Sequence[int], lang: str,
    hits: list[Hit],
) -> None:
    """One hit for a run of one-letter tokens that spells a mat root (from any letter on)."""
    _spell(to_cyrillic_if_mixed("".join(words[i] for i in run)), ostarts[run[0]], oends[run[-1]], lang, hits)


# Tokens that may stand between the letters of a spelled-out word ("п.и.з.д.е.ц"); a
# letter run that such a token does not continue ends at the letter before it.
_SEPARATORS = frozenset(".-_·/")


def _joined_letters(word: str) -> bool:
    """True for one token of 3+ single letters joined by "-" or "_" ("б-л-я", "f_u_c_k")."""
    parts = word.replace("_", "-").split("-")
    return len(parts) >= 3 and all(len(p) == 1 and p.isalpha() for p in parts)


def to_cyrillic_if_mixed(word: str) -> str:
    """Single letters are not mixed-script words, so the normaliser leaves a Latin "x" in
    "x у й" alone; a run with Cyrillic letters gets its look-alikes mapped here."""
    return to_cyrillic(word) if any("а" <= c <= "я" for c in word) else word


# How many letters of a spelled-out run one root test looks at. Roots are a few letters
# long, so a window this wide answers like the whole rest of the run (it differs only
# if a match ran on past 64 letters); without it a long run of one-letter tokens
# ("а а а …", 50k chars) was tested suffix by suffix in quadratic time (4 s).
_SPELL_WINDOW = 64


def _spell(word: str, start: int, end: int, lang: str, hits: list[Hit]) -> None:
    """One hit when ``word`` (letters of a spelled-out run), from any letter on, is a mat root."""
    for i in range(len(word) - 2):
        if match_word(word[i : i + _SPELL_WINDOW]):
            hits.append(Hit(f"{lang}.obscenity.spaced", "obscenity", start, end, 0.9))
            return
