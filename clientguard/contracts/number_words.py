"""Sums written in words: "сорок тысяч рублей", "two thousand five hundred dollars".

A contract that states its price only in words ("Стоимость услуг — сорок тысяч рублей в
месяц") had no price: the money patterns of :mod:`clientguard.contracts.terms` read digits
only. This module reads a number in words right before a currency word and gives it to
those patterns as one more sum, in the same shape (where it starts, value, currency,
where it ends).

The words are data (``rules/number_words.yaml``). Russian words are looked up by their
pymorphy3 lemma, so every case form reads ("сорока тысяч", "ста двадцати", "полутора
миллионов"); English words as written. Kept deliberately narrow, because a sum read where
there is none would become a contract's price:

* only a number that ends at a currency word (or at a bracketed figure before it, "сорок
  пять тысяч (45 000) рублей", where the figure wins, as a digit in brackets does for a
  revision count) is a sum;
* a number in words inside brackets ("40 000 руб. (сорок тысяч рублей)") spells out a sum
  in digits and is not read again, nor is a scale word after digits ("40 тысяч рублей",
  which the digit patterns read);
* the words of a number must go from large to small ("сто двадцать пять"); "пять сто" is
  no number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

_TABLE = Path(__file__).resolve().parent / "rules" / "number_words.yaml"
_TOKEN = re.compile(r"[a-zа-яё]+(?:-[a-zа-яё]+)*|\d+|[^\s\w]")
_CYRILLIC = re.compile(r"[а-яё]")
# "(45 000)", "(45.000)", "(45000,00)": the figure a sum in words is given with
_PAREN_FIGURE = re.compile(r"(\d{1,3}(?:[  .]\d{3})+|\d+)(?:,(\d{2}))?")
# "тридцать тысяч рублей 00 копеек", "… 50 коп."
_KOPECKS = re.compile(r"\s*(\d{1,2})\s*(?:копе\w*|коп\b\.?)")


@dataclass(frozen=True)
class _Words:
    """One language's table: values of small words, multipliers, scales, and the patterns."""

    small: dict[str, float]
    times: dict[str, float]
    scales: dict[str, float]
    joins: frozenset[str]
    currency: re.Pattern[str]
    between: re.Pattern[str]
    codes: tuple[tuple[re.Pattern[str], str], ...]
    between_codes: tuple[tuple[re.Pattern[str], str], ...]


def _load_lang(data: dict[str, Any]) -> _Words:
    between = "|".join(f"(?:{p})" for p in data["between"])
    currency = "|".join(f"(?:{p})" for p in data["currency"])
    return _Words(
        small={str(k): float(v) for k, v in data["small"].items()},
        times={str(k): float(v) for k, v in (data["times"] or {}).items()},
        scales={str(k): float(v) for k, v in data["scales"].items()},
        joins=frozenset(str(w) for w in data["joins"]),
        # the currency word alone: a pattern that began with the optional "российских"
        # was tried at every position of every sentence and took most of the time
        currency=re.compile(rf"(?<![\w-])(?:{currency})(?![\w-])"),
        between=re.compile(rf"(?<![\w-])(?P<between>{between})\s*$"),
        codes=tuple((re.compile(f"(?:{p})$"), str(code)) for p, code in data["currency"].items()),
        between_codes=tuple(
            (re.compile(f"(?:{p})$"), str(code)) for p, code in (data["currency_between"] or {}).items()
        ),
    )


@cache
def _tables() -> dict[str, _Words]:
    import yaml

    data = yaml.safe_load(_TABLE.read_text(encoding="utf-8"))
    return {lang: _load_lang(data[lang]) for lang in ("ru", "en")}


@lru_cache(maxsize=4096)
def _lemma_ru(word: str) -> str | None:
    """The table word ``word`` is a form of ("сорока" → "сорок"), or None.

    Every pymorphy3 reading is tried, not only the first: "сорок" reads first as the
    number, "сорока" as a case of it too, but a word whose first reading is a noun must
    still be found by its numeral reading.
    """
    from clientguard.nlp.lemmas import morph

    table = _tables()["ru"]
    known = {**table.small, **table.scales}
    plain = word.replace("ё", "е")
    if plain in known:
        return plain
    for parse in morph().parse(word):
        lemma = str(parse.normal_form).replace("ё", "е")
        if lemma in known:
            return lemma
    return None


def _word_value(word: str, lang: str) -> tuple[str, float] | None:
    """("small" | "times" | "scale", value) of one word of a number, or None."""
    table = _tables()[lang]
    if (_CYRILLIC.search(word) is None) is (lang == "ru"):
        return None  # an English word in a Russian number, or the other way round
    key = _lemma_ru(word) if lang == "ru" else word
    if key is None:
        return None
    for kind, values in (("small", table.small), ("times", table.times), ("scale", table.scales)):
        if key in values:
            return kind, values[key]
    return None


def number_value(words: Sequence[str], lang: str) -> float | None:
    """The number the words say, large to small ("две тысячи пятьсот" → 2500), else None.

    A group of small words must leave room for each next one: after hundreds come tens or
    units, after tens units, after units or teens nothing but a multiplier or a scale; the
    scales fall too ("миллион двести тысяч"). Anything else ("пять сто", "two two") is not
    a number, and no sum is read rather than a wrong one.
    """
    total, group, room, last_scale = 0.0, 0.0, 1000.0, float("inf")
    words = [w for w in words if w not in _tables()[lang].joins]  # "one hundred and fifty"
    if not words:
        return None
    for word in words:
        found = _word_value(word, lang)
        if found is None:
            return None
        kind, value = found
        if kind == "small":
            if value >= room:
                return None
            group += value
            room = 100.0 if value >= 100 else 10.0 if value >= 20 else 0.0
        elif kind == "times":  # English "hundred": "five hundred"
            if group >= value or (group == 0 and room < 1000):
                return None
            group = (group or 1) * value
            room = value
        else:
            if value >= last_scale:
                return None
            total += (group or 1) * value
            group, room, last_scale = 0.0, 1000.0, value
    return total + group


def _paren_figure(text: str) -> float | None:
    """The figure in "(45 000)", or None when the brackets hold anything else."""
    m = _PAREN_FIGURE.fullmatch(text.strip())
    if m is None:
        return None
    return float(re.sub(r"[  .]", "", m.group(1)) + (f".{m.group(2)}" if m.group(2) else ""))


def _inside_brackets(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside an open bracket: "40 000 руб. (сорок тысяч рублей)"."""
    return text.rfind("(", 0, pos) > text.rfind(")", 0, pos)


def _run_before(norm: str, end: int, lang: str) -> tuple[int, list[str]] | None:
    """The number words that end at ``end``: where they start and the words (hyphens split)."""
    table = _tables()[lang]
    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(norm, max(0, end - 120), end)]
    words: list[str] = []
    start = end
    for pos, token in reversed(tokens):
        parts = token.split("-")
        if all(_word_value(p, lang) is not None for p in parts):
            words[:0] = parts
            start = pos
        elif token in table.joins and words:
            start = pos  # kept only if a number word comes before it
            words.insert(0, token)
        else:
            if token.isdigit() or token in (",", "."):
                return None  # "40 тысяч рублей", "1,5 тысячи": the digit patterns' sum
            break
    while words and words[0] in table.joins:
        words.pop(0)
        start = next(pos for pos, _t in tokens if pos > start)
    if not words:
        return None
    return start, words


def sums_in_words(norm: str, start: int = 0) -> list[tuple[int, float, str, int]]:
    """The sums in words in ``norm`` from ``start`` on: (where it starts, value, currency,
    where it ends), as :func:`clientguard.contracts.terms._money` gives sums in digits."""
    found: list[tuple[int, float, str, int]] = []
    for lang, table in _tables().items():
        for cur in table.currency.finditer(norm, start):
            head = norm[: cur.start()].rstrip()
            before = table.between.search(head, max(0, len(head) - 30))
            if before is not None:
                head = head[: before.start()].rstrip()
            figure = None
            if head.endswith(")"):
                opened = head.rfind("(")
                if opened < 0 or len(head) - opened > 62:
                    continue
                figure = _paren_figure(head[opened + 1 : -1])
                if figure is None:
                    continue  # "45 000 (сорок пять тысяч) рублей": the digits' sum
                head = head[:opened].rstrip()
            run = _run_before(norm, len(head), lang)
            if run is None or run[0] < start or _inside_brackets(norm, run[0]):
                continue
            value = number_value(run[1], lang)
            if value is None:
                continue
            if figure is not None:
                value = figure  # the figure in brackets wins, as in "two (2) rounds"
            code = _code(table, cur.group(), before.group("between") if before else None)
            stop = cur.end()
            kopecks = _KOPECKS.match(norm, stop) if lang == "ru" else None
            if kopecks is not None and figure is None:
                value, stop = value + int(kopecks.group(1)) / 100, kopecks.end()
            found.append((run[0], round(value, 2), code, stop))
    found.sort()
    return found


def _code(table: _Words, currency: str, between: str | None) -> str:
    """The ISO code of a currency word, changed by the word before it ("белорусских рублей")."""
    if between:
        for pattern, code in table.between_codes:
            if pattern.match(between):
                return code
    return next(code for pattern, code in table.codes if pattern.match(currency))
