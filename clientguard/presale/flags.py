"""Red flags of a lead: message signals plus presale rules on timing and context.

Message signals come from the shared detector (``clientguard.analyze_texts``) or, in
oracle evaluation, from gold labels. The presale rules add what a single message cannot
show: a first contact at night, demands or haggling before any price exists, "needed
yesterday" with no inputs, a refusal to sign, micro-edits already in the brief and
unrealistic targets. One flag per signal id is kept: the most confident, preferring one with evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from clientguard.domain import MessageAnalysis
from clientguard.presale.model import PRESALE_FLAGS, BriefPart, LeadMessage, RedFlag, Span
from clientguard.presale.rules import FlagRule, RuleSet
from clientguard.presale.text import Unit
from clientguard.taxonomy import SEVERITY

# A first message sent between these local hours counts as a night contact.
NIGHT_START_HOUR = 22
NIGHT_END_HOUR = 7

Detector = Callable[[Sequence[str]], Sequence[MessageAnalysis]]


def severity(signal: str) -> str:
    """Severity of a message signal (spec §1) or of a presale flag; metadata flags are ``info``."""
    return SEVERITY.get(signal) or PRESALE_FLAGS.get(signal, "info")


def signal_flags(messages: Sequence[LeadMessage], analyses: Sequence[MessageAnalysis]) -> list[RedFlag]:
    """Flags from the detector's verdicts, with the detector's own evidence spans."""
    out: list[RedFlag] = []
    for i, (msg, res) in enumerate(zip(messages, analyses, strict=True), 1):
        for label in res.labels:
            ev = _signal_evidence(f"message {i}", msg.text, label, res.evidence.get(label, ()))
            conf = min(1.0, max(0.0, float(res.scores.get(label, 1.0))))
            out.append(RedFlag(label, severity(label), ev, "signals", conf))
    return out


#: Where a sentence of a lead message ends: its quote for a flag only a model raised.
_SENTENCE_END = re.compile(r"[.!?…]+[\"»”)]*\s+|\n+")


def _signal_evidence(source: str, text: str, label: str, spans: Sequence[Any]) -> Span:
    """The quote of a detector flag: a rule's span when there is one, else the sentence
    holding the words the model weighed most, else the whole message.

    The statistical layer's evidence is the whole message and came first, so a one-paragraph
    lead read "red flag 'payment delay': Hi! We're a small skincare brand…", a quote with
    nothing about payment, though a rule had marked "pay once" further on (QA7).
    """
    from clientguard.nlp.explain import is_whole_message_model_span

    fitting = [sp for sp in spans if 0 <= sp.start < sp.end <= len(text)]
    precise = [sp for sp in fitting if not is_whole_message_model_span(sp.rule, sp.start, sp.end, text)]
    if precise:
        sp = precise[0]
        return Span(source, sp.start, sp.end, text[sp.start : sp.end], sp.rule)
    rule = fitting[0].rule if fitting else "signals"
    words = _model_words(text, label) if fitting else None
    if words is not None:
        start, end = _sentence_around(text, words)
        if (start, end) != (0, len(text)):
            return Span(source, start, end, text[start:end], rule)
    return Span(source, 0, len(text), text, rule)


def _model_words(text: str, label: str) -> tuple[int, int] | None:
    """The first of the words the model weighed most for ``label`` (None when it has none)."""
    from clientguard.nlp.explain import model_word_spans
    from clientguard.nlp.lang import detect_lang

    found = model_word_spans(text, detect_lang(text), (label,)).get(label)
    return (found[0][0], found[0][1]) if found else None


def _sentence_around(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The bounds of the sentence of ``text`` that holds ``span``, without outer spaces."""
    start, end = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= span[0]:
            start = m.end()
        elif m.start() >= span[1]:
            end = m.start() + len(m.group(0).rstrip())
            break
    while start < end and text[start].isspace():
        start += 1
    return start, end


def oracle_flags(signals: Sequence[str]) -> list[RedFlag]:
    """Flags from gold labels (evaluation only): no spans are known."""
    return [RedFlag(s, severity(s), None, "labels") for s in signals]


def _night(messages: Sequence[LeadMessage]) -> RedFlag | None:
    first = messages[0] if messages else None
    if first is None or first.timestamp is None:
        return None
    hour = first.timestamp.hour
    if hour >= NIGHT_START_HOUR or hour < NIGHT_END_HOUR:
        ev = Span(
            "message 1",
            0,
            len(first.text),
            f"{first.timestamp:%Y-%m-%d %H:%M} | {first.text}",
            "presale.night",
        )
        return RedFlag("night_first_contact", severity("night_first_contact"), ev, "presale")
    return None


def _amount(text: str) -> float | None:
    digits = re.sub(r"[ ,](?=\d{3}\b)", "", text).replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def _rules_of(unit: Unit, rules: RuleSet, message_rules: RuleSet | None) -> RuleSet:
    """The rule set of the language ``unit`` is written in: the brief's or the messages'."""
    return message_rules if message_rules is not None and unit.source != "brief" else rules


def cost_flag(units: Sequence[Unit], rules: RuleSet, message_rules: RuleSet | None = None) -> RedFlag | None:
    """``unrealistic_kpi`` when the target cost per lead is far below the lead's own history.

    The target and the history may sit in texts of two languages (an English brief, a
    Russian message): each unit is read with the rules of its own (``_rules_of``).
    """
    check = rules.cost_check
    target: tuple[float, Unit] | None = None
    past: float | None = None
    for u in units:
        table = _rules_of(u, rules, message_rules).cost_check
        for pat in table.target:
            if target is None and (m := pat.search(u.norm)) and (v := _amount(m.group(1))):
                target = (v, u)
        for pat in table.baseline:
            if past is None and (m := pat.search(u.norm)) and (v := _amount(m.group(1))):
                past = v
    if target is None or past is None or past < target[0] * check.max_ratio:
        return None
    u = target[1]
    return RedFlag(
        "unrealistic_kpi",
        severity("unrealistic_kpi"),
        Span(u.source, u.start, u.end, u.text, "presale.cost_check"),
    )


def _hit(fr: FlagRule, u: Unit, found: set[str]) -> RedFlag | None:
    if set(fr.when_missing) & found or fr.rule.first_match(u.norm) is None:
        return None
    return RedFlag(fr.signal, severity(fr.signal), Span(u.source, u.start, u.end, u.text, fr.rule.id))


def rule_flags(
    brief: Sequence[Unit],
    messages: Sequence[Unit],
    parts: Sequence[BriefPart],
    rules: RuleSet,
    message_rules: RuleSet | None = None,
) -> list[RedFlag]:
    """Presale sentence rules, walking the messages in order to know whether a price exists.

    ``rules`` are the brief's language, ``message_rules`` (default: the same) the messages'.
    """
    found = {p.id for p in parts if p.found}
    m_rules = message_rules or rules
    out: list[RedFlag] = []
    price_known = False
    for u in messages:
        for fr in m_rules.flags:
            if fr.where != "brief" and not (fr.before_price and price_known) and (f := _hit(fr, u, found)):
                out.append(f)
        price_known = price_known or m_rules.price.first_match(u.norm) is not None
    for u in brief:
        out.extend(f for fr in rules.flags if fr.where in ("brief", "any") and (f := _hit(fr, u, found)))
    cost = cost_flag([*brief, *messages], rules, message_rules)
    return [*out, cost] if cost else out


def collect_flags(
    messages: Sequence[LeadMessage],
    brief: Sequence[Unit],
    units: Sequence[Unit],
    parts: Sequence[BriefPart],
    rules: RuleSet,
    base: Sequence[RedFlag],
    message_rules: RuleSet | None = None,
) -> tuple[RedFlag, ...]:
    """Merge detector/oracle flags with presale flags: one flag per id, the surest first."""
    merged: dict[str, RedFlag] = {}
    night = _night(messages)
    presale = rule_flags(brief, units, parts, rules, message_rules)
    for flag in [*base, *presale, *([night] if night else [])]:
        old = merged.get(flag.signal)
        if (
            old is None
            or flag.confidence > old.confidence
            or (flag.confidence == old.confidence and old.evidence is None and flag.evidence is not None)
        ):
            merged[flag.signal] = flag
    return tuple(merged.values())
