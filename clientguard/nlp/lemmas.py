"""Lemmas: pymorphy3 for Russian (one analyser, cached per word), a light stemmer-free
lower-casing for English (rules use prefix wildcards such as ``pay*`` instead).

The per-word cache is what makes 5k messages/s possible: client vocabulary is small
and repetitive, so after warm-up almost every lookup is a dict hit.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

import regex

from clientguard.nlp import rule_lemmas

_CYR_WORD = regex.compile(r"^[а-я-]+$")
# English irregulars that matter for the rules (pay/paid, send/sent ...).
_EN_IRREGULAR: dict[str, str] = {
    "paid": "pay", "sent": "send", "said": "say", "told": "tell", "thought": "think",
    "made": "make", "got": "get", "gotten": "get", "went": "go", "gone": "go",
    "done": "do", "did": "do", "does": "do", "was": "be", "were": "be", "is": "be",
    "are": "be", "am": "be", "been": "be", "has": "have", "had": "have",
    "wants": "want", "needs": "need",
}


@cache
def morph() -> Any:
    """The one MorphAnalyzer of the process (≈0.1 s to load, ~15 MB)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def needs_morph(word: str) -> bool:
    """Whether :func:`lemma_ru` asks pymorphy3 about ``word`` (others pass through)."""
    return len(word) >= 2 and _CYR_WORD.match(word) is not None


def morph_lemma(word: str) -> str:
    """pymorphy3's normal form of a Cyrillic word, ё folded (no cache, no table)."""
    return str(morph().parse(word)[0].normal_form).replace("ё", "е")


@lru_cache(maxsize=200_000)
def lemma_ru(word: str) -> str:
    """Normal form of a lower-cased Russian word; non-Cyrillic tokens pass through.

    Rule words are looked up in the precomputed table first (:mod:`rule_lemmas`: the
    same answers, checked by a test), so a first-ever rule compile skips ~6,300 parses.
    """
    if not needs_morph(word):
        return word
    known = rule_lemmas.table().get(word)
    return known if known is not None else morph_lemma(word)


@lru_cache(maxsize=50_000)
def lemma_en(word: str) -> str:
    """A tiny normaliser for English: irregular verbs and curly apostrophes only."""
    w = word.replace("’", "'")
    return _EN_IRREGULAR.get(w, w)


def lemma(word: str, lang: str) -> str:
    """Lemma of a normalised word in ``lang``."""
    return lemma_ru(word) if lang == "ru" else lemma_en(word)
