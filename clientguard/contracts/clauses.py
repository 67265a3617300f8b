"""Clause rules: load the per-language rule tables and decide present / weak / missing.

The rules themselves live in ``rules/{ru,en}.yaml`` (data, with comments); this module
only compiles them and applies them sentence by sentence. For each clause the FIRST rule
in file order that matches any sentence wins, which is how traps are expressed: a decoy
rule placed before the weak wording turns "неустойка не начисляется" into ``missing``
with the decoy quoted, instead of a naive ``weak``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from clientguard.contracts.reader import Block, Location
from clientguard.errors import ModelError
from clientguard.taxonomy import CLAUSE_STATUSES, CLAUSES

RULES_DIR = Path(__file__).resolve().parent / "rules"
LANGS = ("ru", "en")

# Abbreviations after which a full stop does not end a sentence (RU and EN legal text).
_NO_SPLIT_BEFORE = re.compile(
    r"(?:\b(?:г|гг|п|пп|ст|ч|д|оф|кв|ул|тел|им|т|е|др|руб|коп|стр|no|nos|inc|ltd|co|st|corp|"
    r"mr|mrs|ms|dr|vs|e\.g|i\.e|a\.m|p\.m|u\.s|approx|сек|мин|тыс|млн)|\b[A-ZА-ЯЁ]|\d)\.$",
    re.IGNORECASE,
)
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[«\"(A-ZА-ЯЁ0-9])")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the contract: original text, matching form and location."""

    text: str
    norm: str
    location: Location


@dataclass(frozen=True)
class Rule:
    """One row of a rule table: all ``all`` patterns match and no ``none`` pattern does."""

    id: str
    clause: str
    status: str
    all: tuple[re.Pattern[str], ...]
    none: tuple[re.Pattern[str], ...]
    why: str

    def matches(self, norm: str) -> re.Match[str] | None:
        first: re.Match[str] | None = None
        for pat in self.all:
            m = pat.search(norm)
            if m is None:
                return None
            first = first or m
        if any(p.search(norm) for p in self.none):
            return None
        return first


@dataclass(frozen=True)
class RuleSet:
    """The compiled rules of one language; ``version`` names the data file revision."""

    lang: str
    version: str
    clauses: dict[str, tuple[Rule, ...]]
    missing_why: dict[str, str]


@dataclass(frozen=True)
class ClauseHit:
    """The verdict for one clause id: status, the winning rule and its sentence."""

    clause: str
    status: str
    rule: str | None
    quote: str | None
    location: Location | None
    why: str
    trap: bool = False
    span: tuple[int, int] | None = None  # what the first pattern matched, inside ``quote``


def normalize(text: str) -> str:
    """Lower-case, "ё"→"е", non-breaking spaces → spaces; keeps every offset."""
    return text.lower().replace("ё", "е").replace("\u00a0", " ").replace("\u202f", " ")


def split_sentences(blocks: Sequence[Block]) -> list[Sentence]:
    """Split blocks into sentences, keeping abbreviations ("п. 3.3", "г.") intact."""
    out: list[Sentence] = []
    for block in blocks:
        text = re.sub(r"^\s*\d{1,2}(?:\.\d{1,2})*\.\s+", "", block.text)
        parts: list[str] = []
        start = 0
        for m in _SENT_END.finditer(text):
            head = text[start : m.start()]
            if _NO_SPLIT_BEFORE.search(head[-12:]):
                continue
            parts.append(head)
            start = m.end()
        parts.append(text[start:])
        for part in parts:
            part = part.strip()
            if part:
                out.append(Sentence(part, normalize(part), block.location))
    return out


def _compile(pattern: str, macros: dict[str, str], where: str) -> re.Pattern[str]:
    for _ in range(3):
        for name, value in macros.items():
            pattern = pattern.replace(f"<<{name}>>", value)
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ModelError(f"{where}: bad regex {pattern!r}: {exc}") from exc


@cache
def load_rules(lang: str) -> RuleSet:
    """Load and compile ``rules/<lang>.yaml``; unknown clause ids or statuses are errors."""
    if lang not in LANGS:
        raise ModelError(f"no contract rules for language {lang!r}; expected one of {LANGS}")
    path = RULES_DIR / f"{lang}.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    macros: dict[str, str] = {k: str(v) for k, v in (data.get("macros") or {}).items()}
    clauses: dict[str, tuple[Rule, ...]] = {}
    for clause, rows in (data.get("clauses") or {}).items():
        if clause not in CLAUSES:
            raise ModelError(f"{path.name}: unknown clause id {clause!r}")
        rules: list[Rule] = []
        for row in rows:
            status = row["status"]
            if status not in CLAUSE_STATUSES:
                raise ModelError(f"{path.name}: {row.get('id')}: bad status {status!r}")
            where = f"{path.name}:{row['id']}"
            rules.append(
                Rule(
                    id=str(row["id"]),
                    clause=clause,
                    status=status,
                    all=tuple(_compile(p, macros, where) for p in row.get("all") or ()),
                    none=tuple(_compile(p, macros, where) for p in row.get("none") or ()),
                    why=str(row.get("why", "")),
                )
            )
        clauses[clause] = tuple(rules)
    missing_why = {str(k): str(v) for k, v in (data.get("missing_why") or {}).items()}
    unknown = set(missing_why) - set(CLAUSES)
    if unknown:
        raise ModelError(f"{path.name}: missing_why names unknown clause ids {sorted(unknown)}")
    return RuleSet(
        lang=lang,
        version=str(data.get("version", f"contracts-{lang}")),
        clauses=clauses,
        missing_why=missing_why,
    )


_MISSING_WHY = {
    "ru": "В договоре нет такого условия.",
    "en": "The contract has no such clause.",
}


def check_clauses(sentences: Sequence[Sentence], rules: RuleSet) -> list[ClauseHit]:
    """One :class:`ClauseHit` per clause id, in spec order."""
    hits: list[ClauseHit] = []
    for clause in CLAUSES:
        hit: ClauseHit | None = None
        for rule in rules.clauses.get(clause, ()):
            for sent in sentences:
                m = rule.matches(sent.norm)
                if m is not None:
                    hit = ClauseHit(
                        clause=clause,
                        status=rule.status,
                        rule=rule.id,
                        quote=sent.text,
                        location=sent.location,
                        why=rule.why,
                        trap=rule.status == "missing" or "trap" in rule.id or "unlimited" in rule.id,
                        span=m.span(),
                    )
                    break
            if hit is not None:
                break
        if hit is None:
            why = rules.missing_why.get(clause, _MISSING_WHY.get(rules.lang, _MISSING_WHY["en"]))
            hit = ClauseHit(clause, "missing", None, None, None, why)
        hits.append(hit)
    return hits


def detect_lang(text: str) -> str:
    """ "ru" when Cyrillic letters outnumber Latin ones, else "en" (script ratio)."""
    cyr = len(re.findall(r"[а-яёА-ЯЁ]", text))
    lat = len(re.findall(r"[a-zA-Z]", text))
    return "ru" if cyr >= lat else "en"
