"""Loading the presale rule tables (``rules/{ru,en}.yaml``) into compiled matchers.

The phrase tables are data so that a new phrasing is one line in a YAML file, not a code
change. Patterns may name shared pattern sets as ``{name}``; sets may use earlier sets.
A rule fires on a sentence when every ``all`` pattern, at least one ``any`` pattern (if
given) and no ``none`` pattern matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from clientguard.errors import ModelError
from clientguard.presale.model import PRESALE_FLAGS
from clientguard.taxonomy import BRIEF_PARTS, CONVERSATION_SIGNALS, SIGNALS

LANGS = ("ru", "en")
_REF = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Rule:
    """One named sentence rule."""

    id: str
    all: tuple[re.Pattern[str], ...] = ()
    any: tuple[re.Pattern[str], ...] = ()
    none: tuple[re.Pattern[str], ...] = ()

    def first_match(self, text: str) -> re.Match[str] | None:
        """The match that anchors the evidence, or None when the rule does not fire."""
        if any(p.search(text) for p in self.none):
            return None
        anchor: re.Match[str] | None = None
        for p in self.all:
            m = p.search(text)
            if m is None:
                return None
            anchor = anchor or m
        if self.any:
            hits = [m for p in self.any if (m := p.search(text))]
            if not hits:
                return None
            anchor = anchor or hits[0]
        return anchor


@dataclass(frozen=True)
class PartRules:
    """How one brief part is recognised: by a section label, or by sentence rules."""

    id: str
    headings: tuple[re.Pattern[str], ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class FlagRule:
    """A presale red-flag rule with the context it needs.

    ``before_price``: fires only while no price has been named in the messages so far;
    ``when_missing``: fires only if these brief parts were not found;
    ``where``: ``messages``, ``brief`` or ``any`` (both).
    """

    rule: Rule
    signal: str
    where: str = "messages"
    before_price: bool = False
    when_missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class CostCheck:
    """Target cost per lead versus the lead's own past cost per lead.

    ``target`` and ``baseline`` capture the amount in group 1; a target at least
    ``max_ratio`` times cheaper than the history is an unrealistic KPI.
    """

    target: tuple[re.Pattern[str], ...] = ()
    baseline: tuple[re.Pattern[str], ...] = ()
    max_ratio: float = 3.0


@dataclass(frozen=True)
class RuleSet:
    """Every table of one language."""

    version: str
    lang: str
    parts: tuple[PartRules, ...]
    empty: tuple[re.Pattern[str], ...]
    price: Rule
    flags: tuple[FlagRule, ...]
    sets: dict[str, str]
    cost_check: CostCheck = CostCheck()


def _expand(pattern: str, sets: dict[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in sets:
            raise ModelError(f"presale rules: {where}: unknown pattern set {{{name}}}")
        return f"(?:{sets[name]})"

    return _REF.sub(sub, pattern)


def _compile(patterns: Any, sets: dict[str, str], where: str) -> tuple[re.Pattern[str], ...]:
    if patterns is None:
        return ()
    if isinstance(patterns, str):
        patterns = [patterns]
    out = []
    for p in patterns:
        try:
            out.append(re.compile(_expand(str(p), sets, where), re.IGNORECASE))
        except re.error as exc:
            raise ModelError(f"presale rules: {where}: bad pattern {p!r}: {exc}") from exc
    return tuple(out)


def _rule(raw: dict[str, Any], sets: dict[str, str], where: str) -> Rule:
    rid = str(raw.get("id", where))
    return Rule(
        id=rid,
        all=_compile(raw.get("all"), sets, rid),
        any=_compile(raw.get("any"), sets, rid),
        none=_compile(raw.get("none"), sets, rid),
    )


def parse_rules(data: dict[str, Any], lang: str) -> RuleSet:
    """Validate and compile one rule file; ids must be those of the taxonomy."""
    sets: dict[str, str] = {}
    for name, value in (data.get("sets") or {}).items():
        text = "|".join(str(v) for v in value) if isinstance(value, list) else str(value)
        sets[str(name)] = _expand(text, sets, f"set {name}")
    parts_raw = data.get("parts") or {}
    unknown = set(parts_raw) - set(BRIEF_PARTS)
    if unknown:
        raise ModelError(f"presale rules ({lang}): expected brief ids {BRIEF_PARTS}, got {sorted(unknown)}")
    parts = tuple(
        PartRules(
            id=pid,
            headings=_compile((parts_raw.get(pid) or {}).get("headings"), sets, f"{pid}.headings"),
            rules=tuple(
                _rule(r, sets, f"{pid}.{i}")
                for i, r in enumerate((parts_raw.get(pid) or {}).get("rules") or [])
            ),
        )
        for pid in BRIEF_PARTS
    )
    known = set(SIGNALS) | set(CONVERSATION_SIGNALS) | set(PRESALE_FLAGS)
    flags = []
    for i, raw in enumerate(data.get("flags") or []):
        signal = str(raw.get("signal", ""))
        if signal not in known:
            raise ModelError(f"presale rules ({lang}): flag {i}: expected a signal id, got {signal!r}")
        missing = tuple(str(x) for x in raw.get("when_missing") or ())
        if set(missing) - set(BRIEF_PARTS):
            raise ModelError(f"presale rules ({lang}): flag {i}: when_missing names unknown brief ids")
        flags.append(
            FlagRule(
                rule=_rule(raw, sets, f"flag.{i}"),
                signal=signal,
                where=str(raw.get("where", "messages")),
                before_price=bool(raw.get("before_price", False)),
                when_missing=missing,
            )
        )
    cost = data.get("cost_check") or {}
    return RuleSet(
        cost_check=CostCheck(
            target=_compile(cost.get("target"), sets, "cost_check.target"),
            baseline=_compile(cost.get("baseline"), sets, "cost_check.baseline"),
            max_ratio=float(cost.get("max_ratio", 3.0)),
        ),
        version=str(data.get("version", f"presale.{lang}")),
        lang=lang,
        parts=parts,
        empty=_compile(data.get("empty"), sets, "empty"),
        price=_rule(data.get("price") or {"id": "price"}, sets, "price"),
        flags=tuple(flags),
        sets=sets,
    )


def load_yaml(text: str) -> Any:
    """Parse YAML with libyaml when available: the pure-Python parser costs ~0.1 s per file."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


@cache
def load_rules(lang: str) -> RuleSet:
    """The shipped rule set of ``lang`` (``ru`` or ``en``), compiled once per process."""
    if lang not in LANGS:
        raise ModelError(f"presale rules: expected a language in {LANGS}, got {lang!r}")
    text = (
        resources.files("clientguard.presale").joinpath("rules").joinpath(f"{lang}.yaml").read_text("utf-8")
    )
    data = load_yaml(text)
    if not isinstance(data, dict):
        raise ModelError(f"presale rules: rules/{lang}.yaml is not a mapping")
    return parse_rules(data, lang)
