"""Why a passage is marked, in the reader's words: "сверхсжатые сроки — срок, названный в
сообщении, оставляет меньше 3 рабочих часов".

Why: a mark's tooltip was its signal id ("deadline_pressure"), English on a Russian page and
silent on the reason; "к 16" highlighted in a message that names no urgency word left the
user guessing. Every mark's evidence names a rule (:class:`clientguard.domain.Evidence`),
and the rule says why: an in-context rule has its own line, a model says what it weighed, a
text rule says what kind of words its signal's phrases are. The lines are data
(``data/why.yaml``, Russian and English); numbers in them come from
``analysis/data/context.yaml``, so the tooltip says the threshold the analysis used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from clientguard.report.i18n import quote as quoted
from clientguard.report.i18n import strings, t

if TYPE_CHECKING:
    from clientguard.analysis.model import AnalyzedMessage

#: One mark of a quoted message: (start, end, signal, evidence rule) in its text.
Mark = tuple[int, int, str, str]

#: The statistical layer's and the toxicity model's rule ids start so (``nlp.scoring.MODEL_PREFIX``).
_TOXICITY = "model.toxicity."
_MODEL = "model."
#: The separator between a signal's name and its why (a tooltip, a "why" line).
DASH = " — "
#: A marked fragment quoted in a "why" line is cut to this many characters.
MAX_WHY_WORDS = 40


@cache
def _numbers() -> dict[str, str]:
    """The context thresholds a why line names: {hours}, {min_run}, {night_until}."""
    from clientguard.analysis.cues import context_data

    data = context_data()
    hours = float(data["deadlines"]["min_working_hours"])
    return {
        "hours": f"{hours:g}",
        "min_run": str(data["petty_edits"]["min_run"]),
        "night_until": str(data["off_hours_demand"]["deep_night_until"]),
    }


def _entry(section: str, key: str, lang: str) -> str | None:
    """The text of ``section.key`` in ``lang``, or None when the table has no such entry."""
    entry = strings().get(section, {}).get(key)
    if not entry:
        return None
    return entry.get(lang) or entry.get("en")


def reason(signal: str, rule: str, lang: str) -> str:
    """Why ``rule`` marked a passage as ``signal``, one short line in ``lang``.

    An in-context rule ("context.deadlines.short") has its own line; a model says what it
    did; a text rule ("ru.deadline_pressure.urgent_words"), gold labels and a rule this table
    does not know fall back to the signal's line, and a signal without one to its name.
    """
    text = None
    if rule.startswith("context."):
        text = _entry("why_rules", rule, lang)
    elif rule.startswith(_TOXICITY):
        text = _entry("why_models", "toxicity", lang)
    elif rule.startswith(_MODEL):
        text = _entry("why_models", "stat", lang)
    if text is None:
        text = _entry("why_signals", signal, lang) or t("signals", signal, lang)
    return text.format_map(_numbers()) if "{" in text else text


def reasons(signal: str, rules: Iterable[str], lang: str) -> tuple[str, ...]:
    """The distinct why lines of ``rules`` for ``signal``, in order (five text rules of one
    signal read the same line: it is said once); the signal's own line when ``rules`` is empty."""
    out: dict[str, None] = {}
    for rule in rules:
        out.setdefault(reason(signal, rule, lang))
    if not out:
        out.setdefault(reason(signal, "", lang))
    return tuple(out)


def mark_title(signal: str, rule: str, lang: str) -> str:
    """A mark's tooltip: "<signal name> — <why>" (plain text; the caller escapes it)."""
    return f"{t('signals', signal, lang)}{DASH}{reason(signal, rule, lang)}"


def why_lines(
    text: str, m: AnalyzedMessage | None, marks: Sequence[Mark], shown: Sequence[str], lang: str
) -> list[dict[str, str]]:
    """Why each of ``shown`` (the tags under a quote) flags it, readable without hovering.

    One line per signal and reason, with the fragments it marked: "сверхсжатые сроки — срок,
    названный в сообщении, оставляет меньше 3 рабочих часов: «к 16»". A tooltip is invisible
    on a phone, so the report and the client page print these under the tags (folded). A
    signal with no mark (a conversation signal, a span another mark covers) reads the rules
    of its evidence, or its own line.
    """
    out: list[dict[str, str]] = []
    for lab in dict.fromkeys(shown):
        name = t("signals", lab, lang)
        found: dict[str, list[str]] = {}
        for start, end, mark_lab, rule in marks:
            if mark_lab != lab:
                continue
            words = found.setdefault(reason(lab, rule, lang), [])
            if not (start == 0 and end == len(text)):  # the whole message is no fragment to quote
                cut = text[start:end] if end - start <= MAX_WHY_WORDS else text[start:][:MAX_WHY_WORDS] + "…"
                if cut not in words:
                    words.append(cut)
        if not found:
            rules = [e.rule for e in m.evidence.get(lab, ())] if m is not None else []
            found = {line: [] for line in reasons(lab, rules, lang)}
        for line, words in found.items():
            shown_words = ", ".join(quoted(w, lang) for w in words[:2])
            out.append({"label": lab, "name": name, "why": line, "words": shown_words})
    return out


def tag_titles(lines: Sequence[dict[str, str]]) -> dict[str, str]:
    """A tag's tooltip per signal: its why lines, joined (the tag shows the name already)."""
    titles: dict[str, list[str]] = {}
    for line in lines:
        titles.setdefault(line["label"], []).append(line["why"])
    return {lab: "; ".join(whys) for lab, whys in titles.items()}
