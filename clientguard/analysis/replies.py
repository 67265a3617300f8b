"""What the in-context readers share: a label added with its evidence, and the client's answers
to a specialist's message.

Why one place: four readers (off-hours demands, petty-edit runs, replies to a payment
reminder, to a price and to a boundary) each added a label the same way and three of them
walked "the first replies to the specialist's message" the same way; a fix to either (the
score a context label gets, what counts as the specialist writing again) belongs to all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from clientguard.analysis.model import AnalyzedMessage
from clientguard.domain import Evidence, Role
from clientguard.taxonomy import SIGNALS

#: The score of a context label: above the 0.5 threshold, below a direct text rule's.
SCORE = 0.6

T = TypeVar("T")


def labelled(m: AnalyzedMessage, found: Mapping[str, Evidence], score: float = SCORE) -> AnalyzedMessage:
    """``m`` with the signals of ``found`` added, each with its evidence.

    A signal the detector already gave keeps its own score and evidence: context adds what
    the text alone missed, it does not re-explain what it found.
    """
    new = {s: ev for s, ev in found.items() if s not in m.labels}
    if not new:
        return m
    return replace(
        m,
        labels=tuple(s for s in SIGNALS if s in m.labels or s in new),
        scores={**m.scores, **{s: max(m.scores.get(s, 0.0), score) for s in new}},
        evidence={**m.evidence, **{s: (ev,) for s, ev in new.items()}},
    )


def answers(
    messages: Sequence[AnalyzedMessage], read: Callable[[str], T | None], max_replies: int
) -> Iterator[tuple[int, AnalyzedMessage, T]]:
    """Each client message that answers a specialist's message ``read`` makes something of.

    ``read`` is called on every specialist message with text, in order (so it may keep state,
    such as the largest price quoted so far); what it returns is handed out with each of the
    first ``max_replies`` client messages with text after it, until the specialist writes
    again. A specialist's file or photo without a caption says nothing new and closes nothing.
    """
    trigger: T | None = None
    left = 0
    for i, m in enumerate(messages):
        if m.role is Role.SPECIALIST:
            if m.text.strip():
                trigger = read(m.text)
                left = max_replies if trigger is not None else 0
            continue
        if m.role is not Role.CLIENT or trigger is None or left <= 0 or not m.text.strip():
            continue
        left -= 1
        yield i, m, trigger


def label_answers(
    messages: Sequence[AnalyzedMessage],
    is_trigger: Callable[[str], bool],
    read_reply: Callable[[str], Evidence | None],
    signal: str,
    max_replies: int,
) -> list[AnalyzedMessage]:
    """``messages`` with ``signal`` on each answer (see :func:`answers`) to a specialist's
    message ``is_trigger`` accepts, where ``read_reply`` finds the span that shows it."""
    out = list(messages)
    for i, m, _ in answers(messages, lambda text: True if is_trigger(text) else None, max_replies):
        ev = read_reply(m.text)
        if ev is not None:
            out[i] = labelled(m, {signal: ev})
    return out
