"""Brief completeness: which of the nine brief parts the brief and first messages give.

A part counts as given when a brief section is labelled for it (``Бюджет: …``,
``## Audience``) with real content, or when a sentence rule of ``rules/<lang>.yaml``
fires on a sentence of the brief or of the messages. The first hit is the evidence;
the brief is read before the messages because it is the more deliberate source.
"""

from __future__ import annotations

from collections.abc import Sequence

from clientguard.presale.model import BriefPart, Span
from clientguard.presale.rules import PartRules, RuleSet
from clientguard.presale.text import Unit, normalise


def _span(unit: Unit, rule: str) -> Span:
    return Span(unit.source, unit.start, unit.end, unit.text, rule)


def _names(patterns: Sequence[PartRules], text: str) -> set[str]:
    low = normalise(text)
    return {p.id for p in patterns if any(h.search(low) for h in p.headings)}


def _section_of(unit: Unit, rules: RuleSet) -> set[str]:
    """The parts a brief line is labelled for: its own ``Label:`` if that names a part,
    else the heading it sits under (``## Бюджет`` then ``- ведение: 70 000 ₽``)."""
    own = _names(rules.parts, unit.label) if unit.label else set()
    return own or (_names(rules.parts, unit.heading) if unit.heading else set())


def _by_label(part: PartRules, units: Sequence[Unit], rules: RuleSet) -> Span | None:
    """A non-empty section labelled for the part; a section may hold several parts
    (``Бюджет и сроки``), so the sentence a part rule also accepts is the better quote."""
    section = [
        u
        for u in units
        if part.id in _section_of(u, rules) and not any(e.search(u.norm) for e in rules.empty)
    ]
    if not section:
        return None
    return _by_rules(part, section) or _span(section[0], f"{part.id}.heading")


def _by_rules(part: PartRules, units: Sequence[Unit]) -> Span | None:
    for u in units:
        for rule in part.rules:
            if rule.first_match(u.norm) is not None:
                return _span(u, rule.id)
    return None


def assess_brief(
    brief: Sequence[Unit],
    messages: Sequence[Unit],
    rules: RuleSet,
    message_rules: RuleSet | None = None,
) -> tuple[BriefPart, ...]:
    """One :class:`BriefPart` per brief id, in the order of ``taxonomy.BRIEF_PARTS``.

    ``rules`` are those of the brief's language, ``message_rules`` (default: the same)
    those of the messages': a Russian lead may send an English brief, and English rules
    read nothing in Russian messages (QA F13).
    """
    by_id = {p.id: p for p in (message_rules or rules).parts}
    out = []
    for part in rules.parts:
        ev = (
            _by_label(part, brief, rules)
            or _by_rules(part, brief)
            or _by_rules(by_id.get(part.id, part), messages)
        )
        out.append(BriefPart(part.id, ev is not None, ev))
    return tuple(out)
