"""In-context ``manipulation``: pressure in a client's answer to the specialist's boundary.

Why: alone, "неприятно, конечно, когда так начинается", "ну серьёзно?" or "I thought you
cared about small businesses" are moods, and the detector rightly leaves them. The specialist
reads them under their own boundary ("рилсы про лазер в договор не входят", "a third round
is $90 per section 4"), and there they push back by guilt, friendship, a promise the
specialist supposedly made or a rival who would have done it for less: what the spec counts
as ``manipulation``. This step, run by :func:`.context.in_context`, labels such replies.

The definition (cues and numbers are data, ``analysis/data/context.yaml``, block
``boundary_replies``): a *boundary* is a specialist message saying what the contract does
not cover or what the specialist will not do, or an extra-work quote
(:func:`.quote_replies.quote`); a reply among the first ``max_replies`` client messages
after it (before the specialist writes again), of at most ``max_words`` words, that matches
a pressure cue and does not accept the boundary ("понимаю", "fair enough") is
``manipulation``. Its evidence names ``context.boundary_replies.pressure`` on the cue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from clientguard.analysis.cues import CONTEXT_FILE, language_blocks, lowered, reply_block
from clientguard.analysis.model import AnalyzedMessage
from clientguard.analysis.quote_replies import quote
from clientguard.analysis.replies import label_answers
from clientguard.domain import Evidence

BLOCK = "boundary_replies"
SIGNAL = "manipulation"
RULE = "context.boundary_replies.pressure"
#: The evidence rule ids this step writes (:func:`.context.rule_ids`; each has a "why" to show).
RULE_IDS = (RULE,)


@dataclass(frozen=True)
class _Cues:
    max_replies: int
    max_words: int
    patterns: dict[str, dict[str, re.Pattern[str]]]


@cache
def _cues(path: Path = CONTEXT_FILE) -> _Cues:
    data, max_replies, max_words = reply_block(path, BLOCK)
    return _Cues(
        max_replies, max_words, language_blocks(data, ("boundary", "pressure", "veto"), f"{path}: {BLOCK}")
    )


def is_boundary(text: str) -> bool:
    """Whether a specialist's ``text`` draws a line: outside the contract, not done, or extra."""
    low, lang = lowered(text)
    if _cues().patterns["boundary"][lang].search(low):
        return True
    q = quote(text)
    return q is not None and q.extra


def pressure(text: str) -> Evidence | None:
    """The span that makes a client's reply to a boundary pressure, or None."""
    cues = _cues()
    if not text.strip() or len(text.split()) > cues.max_words:
        return None
    low, lang = lowered(text)
    hit = cues.patterns["pressure"][lang].search(low)
    if hit is None or cues.patterns["veto"][lang].search(low):
        return None
    return Evidence(hit.start(), hit.end(), RULE)


def boundary_replies(messages: Sequence[AnalyzedMessage]) -> list[AnalyzedMessage]:
    """``messages`` (in time order) with ``manipulation`` on replies that push back on a
    boundary by pressure (see the module docstring)."""
    return label_answers(messages, is_boundary, pressure, SIGNAL, _cues().max_replies)
