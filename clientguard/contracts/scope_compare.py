"""Normalised equality of two scope lists, for the evaluation.

Neither ``spec/contracts.md``, ``spec/datasets.md`` nor the dev-set README defines how a
list-valued term is compared: the README only says what the list holds ("deliverables in
the contract's language, with quantities per month where the contract gives them").
Labelled items are worded by hand, so the strict comparison (same strings, same order)
measures the annotator's phrasing as much as the extractor. This module defines the
second, normalised figure, and keeps it strict about content:

* the list is a multiset of items: order does not matter, but every item must be matched
  one-to-one (no extra, no missing, no duplicate item absorbs another);
* an item is the multiset of its word lemmas (pymorphy3 for Russian, plural/possessive
  stripping for English) after case folding, "ё"→"е", and dropping punctuation, quotes,
  brackets and a closed list of prepositions, conjunctions and articles
  ("12 постов во «ВКонтакте» в месяц" = "12 постов в месяц («ВКонтакте»)");
* numbers must be equal: "6 000" = "6000", "3 (три)" = "3", "9:00 a.m." = "9:00";
  bounds keep their direction: "до"/"не более"/"up to" → "≤", "от"/"не менее"/"at
  least" → "≥", and a range "6 000–8 000" = "от 6 000 до 8 000";
* every other word counts: an item with an extra or a missing content word ("фирменная",
  "for feed posts") is a different item, and so is a different number or unit.

Known looseness, accepted: word order inside an item is ignored, so two items made of the
same words in an order that changes their meaning would compare equal.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from clientguard.contracts.clauses import normalize
from clientguard.contracts.scope_items import morph

_STOP = frozenset(
    [
        "в",
        "во",
        "на",
        "по",
        "для",
        "с",
        "со",
        "и",
        "а",
        "к",
        "ко",
        "у",
        "о",
        "об",
        "обо",
        "из",
        "за",
        "под",
        "при",
        "над",
        "через",
        "также",
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "and",
        "at",
        "by",
        "with",
        "per",
        "across",
        "from",
    ]
)
_LE = r"(?:до|не более|не больше|максимум|up to|no more than|at most|maximum of|max\.?)"
_GE = r"(?:от|не менее|не меньше|минимум|at least|no fewer than|no less than|minimum of|min\.?)"
_WORD_NUM = re.compile(r"(\d+)\s*\([^()\d]{1,40}\)|\b[a-z]+(?:-[a-z]+)?\s*\((\d+)\)")


def _numbers(text: str) -> str:
    text = _WORD_NUM.sub(lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)", "", text)  # "6 000" → "6000"

    def h24(m: re.Match[str]) -> str:
        hour = int(m.group(1)) % 12 + (12 if m.group(3).startswith("p") else 0)
        return f"{hour}:{m.group(2) or '00'}"

    text = re.sub(r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?", h24, text)
    text = re.sub(r"\b0(\d:\d\d)\b", r"\1", text)
    rng = r"≥\1 ≤\2"
    text = re.sub(r"\b(?:с|from)\s+(\d[\d:]*)\s+(?:до|по|to|until|till)\s+(?=\d)(\d)", rng, text)
    text = re.sub(r"(\d[\d:]*)\s+(?:to|until|till)\s+(\d)", rng, text)  # "9:00 to 17:00"
    text = re.sub(r"(\d[\d:.,]*)\s*[–—-]\s*(\d)", rng, text)  # "6000–8000", "9:00-17:00"
    text = re.sub(rf"\b{_LE}\s+(?=\d)", "≤", text)
    return re.sub(rf"\b{_GE}\s+(?=\d)", "≥", text)


@cache
def _lemma(word: str) -> str:
    if re.search(r"[а-я]", word):
        return str(morph().parse(word)[0].normal_form).replace("ё", "е")
    if len(word) > 3 and re.fullmatch(r"[a-z]+", word):
        if word.endswith("ies"):
            return word[:-3] + "y"
        if word.endswith(("ss", "us", "is")):
            return word
        if word.endswith("s"):
            return word[:-1]
    return word


def item_key(text: str) -> tuple[str, ...]:
    """The sorted multiset of lemmas, numbers and bounds of one scope item."""
    text = _numbers(normalize(text))
    text = re.sub(r"'s\b|’s\b", "", text)
    tokens = re.findall(r"[≤≥]?\d+(?:[:.,]\d+)*|[a-zа-я]+", text)
    return tuple(sorted(_lemma(t) for t in tokens if t not in _STOP))


def scope_key(items: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The order-free multiset of item keys of a scope list."""
    return tuple(sorted(Counter(item_key(x) for x in items).elements()))


def scope_equal(gold: Sequence[str] | None, pred: Sequence[str] | None) -> bool:
    """True when the two lists name the same deliverables item for item (module docstring)."""
    return scope_key(gold or ()) == scope_key(pred or ())
