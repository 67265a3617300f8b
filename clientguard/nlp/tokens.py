"""Tokens of a normalised message, each with offsets into norm AND original text.

A single precompiled regex stands in for razdel here: razdel costs ~58 µs per dev
message on its own (a third of the 5k msg/s budget) and client chat rarely has the
abbreviations and decimals razdel is good at. Words keep internal hyphens,
apostrophes and mask symbols ("х*й", "don't", "кто-то").

razdel stays the reference: on the 5,952 Russian fixture messages 93.9% are tokenised
exactly as razdel does, and ``tests/nlp/test_tokens_razdel.py`` fails on any difference
outside the deliberate ones (masked words, "15%", "@name", "b2b" kept whole; punctuation
and emoji one character per token).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from clientguard.nlp.lemmas import lemma_en, lemma_ru
from clientguard.nlp.normalize import Normalized

_TOKEN = regex.compile(r"[\w@$*#%]+(?:['’\-][\w@$*#%]+)*|[!?]+|[^\w\s]")
# The same pattern for the stdlib engine (~1.5x faster), used only on texts made of chars
# for which both engines agree on ``\w`` and ``\s`` (tested char by char): ASCII without
# \x1c-\x1f (``re`` calls them whitespace, ``regex`` does not), basic Cyrillic and common
# typography -- what the normaliser's fast path produces for almost every message.
_TOKEN_STD = re.compile(_TOKEN.pattern)
_NOT_SHARED = re.compile(
    r"[^\u0000-\u001b\u0020-\u007f\u0400-\u045f\u00a0\u00ab\u00bb\u2013\u2014\u2019\u201c\u201d\u2026]"
)


def _token_strings(text: str) -> list[str]:
    """Every token of ``text`` in order (``_TOKEN.findall``, by the faster engine when exact)."""
    if _NOT_SHARED.search(text) is None:
        return _TOKEN_STD.findall(text)
    found: list[str] = _TOKEN.findall(text)  # ``regex`` is untyped
    return found


@dataclass(frozen=True)
class Token:
    """One token: normalised form, lemma, norm span and original span."""

    text: str
    lemma: str
    start: int
    end: int
    ostart: int
    oend: int
    negated: bool = False

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] in "@$*#%_"


_new = object.__new__
_set = object.__setattr__


def tokenize(norm: Normalized, lang: str) -> list[Token]:
    """Tokens of ``norm`` with lemmas; negation is marked later by :mod:`negation`.

    Hot path (≈15 tokens per message): the frozen dataclass ``__init__`` sets each field
    with ``object.__setattr__``; setting the instance dict in one call builds an equal
    Token (same fields, eq, hash, repr, ``dataclasses.replace``) in half the time.
    Token strings come from one ``findall`` (no match objects) and each start from
    ``str.find`` after the previous token: every char the pattern skips is whitespace and
    no token starts with whitespace, so the first occurrence IS the match position.
    """
    out: list[Token] = []
    append = out.append
    starts, ends = norm.starts, norm.ends
    lem = lemma_ru if lang == "ru" else lemma_en
    text = norm.text
    find = text.find
    e = 0
    for w in _token_strings(text):
        s = find(w, e)
        e = s + len(w)
        tok = _new(Token)
        _set(tok, "__dict__", {
            "text": w, "lemma": lem(w) if w[0].isalpha() else w, "start": s, "end": e,
            "ostart": starts[s], "oend": ends[e - 1], "negated": False,
        })
        append(tok)
    return out


def token_columns(norm: Normalized, lang: str) -> tuple[list[str], list[str], list[int], list[int]]:
    """Token texts, lemmas and ORIGINAL starts/ends: :func:`tokenize` without Token objects.

    Why: the analysis hot path only reads these four fields; building ~15 Token objects
    per message (and copies of the negated ones) was a tenth of the per-message cost.
    Same tokens, in the same order, as :func:`tokenize` (tested).
    """
    text = norm.text
    words = _token_strings(text)
    lem = lemma_ru if lang == "ru" else lemma_en
    lemmas = [lem(w) if w[0].isalpha() else w for w in words]
    starts, ends = norm.starts, norm.ends
    ostarts: list[int] = []
    oends: list[int] = []
    add_start, add_end = ostarts.append, oends.append
    find = text.find
    e = 0
    for w in words:
        s = find(w, e)  # exact: see tokenize
        e = s + len(w)
        add_start(starts[s])
        add_end(ends[e - 1])
    return words, lemmas, ostarts, oends
