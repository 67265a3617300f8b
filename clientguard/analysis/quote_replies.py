"""In-context ``discount_request`` and ``scope_creep``: a client's answer to the specialist's price.

Why: the detector reads a message alone, and alone "давайте за 15 и по рукам", "Какие ещё
18?" or "add it to the monthly fee and call it even" may name no price, no discount and no
extra work. The specialist reads them under their own quote ("Тексты для лендинга — 7 000 ₽",
"A menu page would be $250 as a separate job"), and there they are haggling, or extra work
asked for the same money. This step, run by :func:`.context.in_context`, labels such replies.

The definition (cues and numbers are data, ``analysis/data/context.yaml``, block
``quote_replies``, where the borderlines are spelled out):

- a *quote* is a specialist message naming a money amount that is not a results report;
  an *extra* quote also says the work is outside the scope or priced apart;
- a *reply* is one of the first ``max_replies`` client messages after it, before the
  specialist writes again;
- a reply countering with a lower price than the largest the specialist has quoted in the
  chat (and not an amount just quoted: that is agreement), or disputing the price without
  accepting it, is ``discount_request``; a reply to an extra quote asking for the work
  free or inside the fee is ``scope_creep``.

Each label's evidence names its rule (``context.quote_replies.counter`` / ``.dispute`` /
``.include``) on the span of the cue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path

from clientguard.analysis.cues import CONTEXT_FILE, language_blocks, lowered, reply_block
from clientguard.analysis.model import AnalyzedMessage
from clientguard.analysis.replies import answers, labelled
from clientguard.domain import Evidence
from clientguard.errors import ConfigError

BLOCK = "quote_replies"
DISCOUNT = "discount_request"
SCOPE = "scope_creep"
RULE = "context.quote_replies"
COUNTER_RULE, DISPUTE_RULE, INCLUDE_RULE = f"{RULE}.counter", f"{RULE}.dispute", f"{RULE}.include"
#: The evidence rule ids this step writes (:func:`.context.rule_ids`; each has a "why" to show).
RULE_IDS = (COUNTER_RULE, DISPUTE_RULE, INCLUDE_RULE)
_KEYS = ("report", "extra", "dispute", "accept", "include")
#: Blocks whose every pattern names an amount group ``n`` (an alternation cannot repeat a name).
_PRICED = ("money", "counter")
#: A suffix after a number that makes it thousands: "15 тыс", "12k", "20к".
_THOUSANDS = re.compile(r"\s?(?:тыс|т\.\s?р|к\b|k\b)")


@dataclass(frozen=True)
class _Cues:
    max_replies: int
    max_words: int
    patterns: dict[str, dict[str, re.Pattern[str]]]
    #: ``money`` and ``counter``: one pattern each, per language
    priced: dict[str, dict[str, tuple[re.Pattern[str], ...]]]


@cache
def _cues(path: Path = CONTEXT_FILE) -> _Cues:
    data, max_replies, max_words = reply_block(path, BLOCK)
    where = f"{path}: {BLOCK}"
    priced: dict[str, dict[str, tuple[re.Pattern[str], ...]]] = {}
    for key in _PRICED:
        block = data.get(key)
        if not isinstance(block, dict) or set(block) != {"ru", "en"}:
            raise ConfigError(f"{where}.{key} must list 'ru' and 'en' patterns")
        priced[key] = {
            lang: tuple(_price_pattern(p, f"{where}.{key}.{lang}") for p in pats)
            for lang, pats in block.items()
        }
    return _Cues(max_replies, max_words, language_blocks(data, _KEYS, where), priced)


def _price_pattern(pattern: str, where: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: bad pattern ({exc})") from exc
    if "n" not in compiled.groupindex:
        raise ConfigError(f"{where}: pattern {pattern!r} names no price group (?P<n>…)")
    return compiled


def _value(number: str, after: str) -> Decimal | None:
    """``number`` as written ("22 000", "1,500", "7.5") times a thousand when ``after`` starts
    with a thousands suffix; None for what is no number."""
    digits = re.sub(r"[  ]", "", number)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits):
        digits = digits.replace(",", "")
    try:
        value = Decimal(digits.replace(",", "."))
    except InvalidOperation:
        return None
    return value * 1000 if _THOUSANDS.match(after) else value


@dataclass(frozen=True)
class Quote:
    """A specialist's message read as a price: the amounts it names, and whether it prices
    work outside the agreed scope."""

    amounts: frozenset[Decimal]
    extra: bool


@lru_cache(maxsize=4096)  # the quote and boundary readers both ask, per specialist message
def quote(text: str) -> Quote | None:
    """``text`` (a specialist's message) as a quote, or None when it names no price."""
    low, lang = lowered(text)
    pats = _cues().patterns
    if pats["report"][lang].search(low):
        return None
    amounts: set[Decimal] = set()
    for pattern in _cues().priced["money"][lang]:
        for hit in pattern.finditer(low):
            value = _value(hit.group("n"), low[hit.end("n") : hit.end()])
            if value is not None and value > 0:
                amounts.add(value)
    if not amounts:
        return None
    return Quote(frozenset(amounts), pats["extra"][lang].search(low) is not None)


def _scaled(value: Decimal, largest: Decimal, lang: str) -> Decimal:
    """A bare counter-offer in thousands ("за 15" under "35 000 ₽") as the amount it means.

    Russian speech drops the thousands ("давайте за 15"); English writes them ("15k", "$15,000"),
    so an English "500" under a $30,000 quote is five hundred.
    """
    return value * 1000 if lang == "ru" and value < 1000 <= largest else value


def reply_labels(text: str, last: Quote, largest: Decimal) -> dict[str, Evidence]:
    """The labels a client's reply to the quote ``last`` earns, each with its evidence.

    ``largest``: the largest amount the specialist has quoted in the chat so far.
    """
    cues = _cues()
    if not text.strip() or len(text.split()) > cues.max_words:
        return {}
    low, lang = lowered(text)
    pats = cues.patterns
    out: dict[str, Evidence] = {}
    for hit in (h for p in cues.priced["counter"][lang] for h in p.finditer(low)):
        value = _value(hit.group("n"), low[hit.end("n") : hit.end()])
        if value is None:
            continue
        offer = _scaled(value, largest, lang)
        if offer < largest and offer not in last.amounts and value not in last.amounts:
            out[DISCOUNT] = Evidence(hit.start(), hit.end(), COUNTER_RULE)
            break
    if DISCOUNT not in out:
        dispute = pats["dispute"][lang].search(low)
        if dispute is not None and not pats["accept"][lang].search(low):
            out[DISCOUNT] = Evidence(dispute.start(), dispute.end(), DISPUTE_RULE)
    if last.extra:
        include = pats["include"][lang].search(low)
        if include is not None:
            out[SCOPE] = Evidence(include.start(), include.end(), INCLUDE_RULE)
    return out


def quote_replies(messages: Sequence[AnalyzedMessage]) -> list[AnalyzedMessage]:
    """``messages`` (in time order) with ``discount_request`` / ``scope_creep`` on replies
    that haggle over, or ask to fold in, what the specialist has just priced."""
    largest = Decimal(0)

    def read(text: str) -> Quote | None:
        nonlocal largest
        q = quote(text)
        if q is not None:
            largest = max(largest, *q.amounts)
        return q

    out = list(messages)
    for i, m, last in answers(messages, read, _cues().max_replies):
        out[i] = labelled(m, reply_labels(m.text, last, largest))
    return out
