"""In-context ``payment_delay``: a reply to a payment reminder that puts the payment off.

Why: the detector reads a message alone, and alone "давайте на след неделе" or "сегодня не
получится" names no payment at all. The specialist reads it under their own "Когда ждать
оплату?" or "Остаток жду до 24-го", and then it is the payment put off, which the spec counts
as ``payment_delay`` (the s16 tuning chats label it so). This step, run by
:func:`.context.in_context`, labels such a reply.

The definition (cues and numbers are data, ``analysis/data/context.yaml``, block
``payment_replies``):

- a *reminder* is a specialist message that asks when an unpaid bill will be paid or says
  it is overdue or still awaited (``reminder``);
- a *put-off* is one of the first ``max_replies`` client messages after it, before the
  specialist writes again, of at most ``max_words`` words, that postpones with no date or
  a vague one ("на следующей неделе", "не получится", "позже", "next week", "not today")
  (``put_off``), and that does not report or schedule the payment (``veto``: "оплатили",
  "перевёл", "запланирована на 20.07", "paid", "sent"). A firm date given when asked
  ("15-го", "в пятницу переведу 12 500") is an answer, not a put-off: those stay as the
  detector read them.

Each label's evidence names the rule, ``context.payment_replies.put_off``, on the span of
the cue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from clientguard.analysis.cues import CONTEXT_FILE, language_blocks, lowered, reply_block
from clientguard.analysis.model import AnalyzedMessage
from clientguard.analysis.replies import label_answers
from clientguard.domain import Evidence

BLOCK = "payment_replies"
SIGNAL = "payment_delay"
RULE = "context.payment_replies.put_off"
#: The evidence rule ids this step writes (:func:`.context.rule_ids`; each has a "why" to show).
RULE_IDS = (RULE,)


@dataclass(frozen=True)
class _Cues:
    max_replies: int
    max_words: int
    reminder: dict[str, re.Pattern[str]]
    put_off: dict[str, re.Pattern[str]]
    veto: dict[str, re.Pattern[str]]


@cache
def _cues(path: Path = CONTEXT_FILE) -> _Cues:
    data, max_replies, max_words = reply_block(path, BLOCK)
    blocks = language_blocks(data, ("reminder", "put_off", "veto"), f"{path}: {BLOCK}")
    return _Cues(max_replies, max_words, blocks["reminder"], blocks["put_off"], blocks["veto"])


def is_reminder(text: str) -> bool:
    """Whether a specialist's ``text`` asks for, or chases, an unpaid bill."""
    low, lang = lowered(text)
    return _cues().reminder[lang].search(low) is not None


def put_off(text: str) -> Evidence | None:
    """The span that makes a client's reply to a reminder a put-off, or None."""
    cues = _cues()
    if not text.strip() or len(text.split()) > cues.max_words:
        return None
    low, lang = lowered(text)
    hit = cues.put_off[lang].search(low)
    if hit is None or cues.veto[lang].search(low):
        return None
    return Evidence(hit.start(), hit.end(), RULE)


def put_off_replies(messages: Sequence[AnalyzedMessage]) -> list[AnalyzedMessage]:
    """``messages`` (in time order) with ``payment_delay`` on replies that put a reminded
    payment off (see the module docstring)."""
    return label_answers(messages, is_reminder, put_off, SIGNAL, _cues().max_replies)
