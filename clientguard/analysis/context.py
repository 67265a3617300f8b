"""In-context message signals: a message read together with when it was sent.

Why: the detector reads a message's text alone, but the specialist also sees the clock.
"Ау, ответь" or "You there?" at 1 a.m. on a Sunday is an off-hours demand although its
text names no hour; the same words at noon are not. This step adds ``off_hours_demand``
to client messages sent outside the case's working time (time zone, days, hours and
holidays as :func:`~clientguard.analysis.conversation.is_off_hours` decides) whose text
asks for an answer, a call or work now (or carries a deadline within the coming night:
"к 9 утра", "tomorrow 9am"), unless it says it can wait. The cues are data:
``analysis/data/context.yaml``. Gold labels (oracle mode) already include the context.

The same step reads a message with the ones around it: three or more small edits in a row
on one delivered version ("логотип чуть больше", "а на последнем тоже", "и шрифт
потоньше") are ``nitpicking`` although each edit alone is a reasonable request
(:mod:`.petty_edits`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time
from functools import cache

from clientguard.analysis.boundary_replies import boundary_replies
from clientguard.analysis.case import CaseFile
from clientguard.analysis.conversation import local_time, off_hours
from clientguard.analysis.cues import CONTEXT_FILE, context_data, lowered
from clientguard.analysis.cues import joined as joined_patterns
from clientguard.analysis.deadlines import timed_demands
from clientguard.analysis.model import AnalyzedMessage
from clientguard.analysis.payment_replies import put_off_replies
from clientguard.analysis.petty_edits import edit_runs
from clientguard.analysis.quote_replies import quote_replies
from clientguard.analysis.replies import labelled
from clientguard.domain import Evidence
from clientguard.taxonomy import SIGNALS

SIGNAL = "off_hours_demand"
#: Evidence rule ids of this step (the detector's own signal or a near deadline: ``OFF_HOURS.<signal>``).
OFF_HOURS = "context.off_hours"
DEMAND_RULE, NIGHT_RULE = f"{OFF_HOURS}.demand", f"{OFF_HOURS}.night_question"


@dataclass(frozen=True)
class _Cues:
    demand_signals: frozenset[str]
    near_signals: frozenset[str]
    near: dict[str, re.Pattern[str]]
    demand: dict[str, re.Pattern[str]]
    calm: dict[str, re.Pattern[str]]
    deep_night_until: time
    question: dict[str, re.Pattern[str]]


@cache
def _cues() -> _Cues:
    data = context_data()[SIGNAL]

    def joined(block: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
        return joined_patterns(block, f"{CONTEXT_FILE}: {SIGNAL}")

    return _Cues(
        frozenset(data["demand_signals"]),
        frozenset(data["near_signals"]),
        joined(data["near"]),
        joined(data["demand"]),
        joined(data["calm"]),
        time.fromisoformat(str(data["deep_night_until"])),
        joined(data["question"]),
    )


def _demand(m: AnalyzedMessage, local: time | None = None) -> Evidence | None:
    """The span that makes ``m`` a demand, or None (no cue, or the client says it can wait).

    ``local``: the local time ``m`` was sent; a question sent deep in the night asks for an
    answer then.
    """
    cues = _cues()
    text, lang = lowered(m.text)
    if cues.calm[lang].search(text):
        return None
    for sig in SIGNALS:
        if sig in cues.demand_signals and sig in m.labels:
            spans = m.evidence.get(sig) or (Evidence(0, len(m.text), sig),)
            first = spans[0]
            return Evidence(first.start, first.end, f"{OFF_HOURS}.{sig}")
        if sig in cues.near_signals and sig in m.labels:
            near = cues.near[lang].search(text)
            if near is not None:  # a deadline within the night: work asked for off hours
                return Evidence(near.start(), near.end(), f"{OFF_HOURS}.near_{sig}")
    hit = cues.demand[lang].search(text)
    if hit is not None:
        return Evidence(hit.start(), hit.end(), DEMAND_RULE)
    if local is not None and local < cues.deep_night_until and "?" in text:
        asked = cues.question[lang].search(text)
        if asked is not None:
            return Evidence(asked.start(), asked.end(), NIGHT_RULE)
    return None


def rule_ids() -> tuple[str, ...]:
    """Every evidence rule id the in-context steps can write, for the "why" each mark shows.

    Why exported: the report and the client page explain a mark by its rule
    (:mod:`clientguard.report.why`); a step added here without its rule ids, or a signal added
    to ``demand_signals``/``near_signals`` in ``context.yaml``, would otherwise show a tooltip
    nobody wrote, and ``tests/report/test_why.py`` checks every id listed here has one.
    """
    from clientguard.analysis import boundary_replies, deadlines, payment_replies, petty_edits, quote_replies

    cues = _cues()
    return (
        *(f"{OFF_HOURS}.{sig}" for sig in sorted(cues.demand_signals)),
        *(f"{OFF_HOURS}.near_{sig}" for sig in sorted(cues.near_signals)),
        DEMAND_RULE,
        NIGHT_RULE,
        *deadlines.RULE_IDS,
        *petty_edits.RULE_IDS,
        *payment_replies.RULE_IDS,
        *quote_replies.RULE_IDS,
        *boundary_replies.RULE_IDS,
    )


def in_context(
    messages: Sequence[AnalyzedMessage], case: CaseFile, off_hours_ids: Iterable[str] | None = None
) -> list[AnalyzedMessage]:
    """``messages`` with ``off_hours_demand`` added where the send time makes a demand one,
    ``nitpicking`` where the edits before make a small edit one (:mod:`.petty_edits`), and
    ``payment_delay`` where a reply to a payment reminder puts it off (:mod:`.payment_replies`),
    and ``discount_request`` / ``scope_creep`` where a reply to a price haggles over it or asks
    for the work free (:mod:`.quote_replies`), and ``manipulation`` where a reply to a boundary
    pushes back by guilt, friendship or a claimed promise (:mod:`.boundary_replies`).

    ``off_hours_ids``: the ids of the ``off_hours_message`` signal when the caller already
    has it (the profile does), so "off hours" is decided once, by one function.
    """
    if off_hours_ids is None:
        off_hours_ids = off_hours(messages, case).evidence
    off = frozenset(off_hours_ids)
    out: list[AnalyzedMessage] = []
    for m in messages:
        if m.id in off and SIGNAL not in m.labels and m.text.strip():
            local = local_time(m.timestamp, case.tz).time() if m.timestamp is not None else None
            ev = _demand(m, local)
            if ev is not None:
                m = labelled(m, {SIGNAL: ev})
        out.append(m)
    return boundary_replies(quote_replies(put_off_replies(edit_runs(timed_demands(out, case, off)))))
