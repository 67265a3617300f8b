"""In-context ``nitpicking``: a run of three or more small edits on one delivered version.

Why: the detector reads a message alone, and alone "логотип чуть больше", "а на последнем
тоже", "и шрифт потоньше" or "make the logo a bit bigger" is one concrete, reasonable edit,
the spec's hard negative for ``nitpicking``. The specialist reads it after the two edits
the client sent a minute ago on the same version, and then it is "yet another round of
tiny changes", which the spec counts as ``nitpicking`` (and which, with calls or bursts,
makes the ``micromanager``). So this step, run by :func:`.context.in_context`, labels
every small edit of a run once the run reaches ``min_run`` edits, the first ones too:
the chats written by people who never saw this code (tuning sets s10 and s14) label the
whole round, and dev has no run that says otherwise (dev unchanged; tune_s10 message
micro-F1 0.804 -> 0.809, tune_s14 0.734 -> 0.743). One or two edits alone, with no third,
stay as the detector read them: those are a client's right.

The definition (cues and numbers are data, ``analysis/data/context.yaml``, block
``petty_edits``):

- a *small edit* is a short client message that the detector already labelled
  ``nitpicking``, or that asks for a size, position, colour or type tweak, or (once the
  run holds an edit) that applies the last edit to another item ("а на последнем тоже");
- a *run* is the small edits of one client contact after the specialist's latest delivered
  version (:func:`.records.delivered`, the same test the revision rounds use): a new
  delivered version closes it, a gap longer than ``window_minutes`` or more than
  ``max_between`` other messages of that contact closes it, and before any delivery
  there is no run (a brief in several messages is not an edit of anything).

Each label's evidence names the rule, ``context.petty_edits.run``, on the span of the cue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from clientguard.analysis.cues import CONTEXT_FILE, context_data, lowered
from clientguard.analysis.cues import joined as joined_patterns
from clientguard.analysis.model import AnalyzedMessage
from clientguard.analysis.records import deliverable_of, delivered
from clientguard.analysis.replies import labelled
from clientguard.domain import AttachmentKind, Evidence, Role

SIGNAL = "nitpicking"
RULE = "context.petty_edits.run"
#: The evidence rule ids this step writes (:func:`.context.rule_ids`; each has a "why" to show).
RULE_IDS = (RULE,)


@dataclass(frozen=True)
class _Cues:
    min_run: int
    window: timedelta
    max_between: int
    max_words: int
    continuation_max_words: int
    tweak: dict[str, re.Pattern[str]]
    continuation: dict[str, re.Pattern[str]]
    veto: dict[str, re.Pattern[str]]


@cache
def _cues() -> _Cues:
    data = context_data()["petty_edits"]

    def joined(block: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
        return joined_patterns(block, f"{CONTEXT_FILE}: petty_edits")

    return _Cues(
        int(data["min_run"]),
        timedelta(minutes=float(data["window_minutes"])),
        int(data["max_between"]),
        int(data["max_words"]),
        int(data["continuation_max_words"]),
        joined(data["tweak"]),
        joined(data["continuation"]),
        joined(data["veto"]),
    )


@dataclass
class _Run:
    """One contact's current run: its edit count, the last edit, messages since."""

    edits: int = 0
    last: datetime | None = None
    between: int = 0
    #: (index, evidence) of the run's edits not yet labelled, waiting for the run to count
    pending: list[tuple[int, Evidence]] = field(default_factory=list)


def small_edit(m: AnalyzedMessage, run_open: bool) -> Evidence | None:
    """The span that makes ``m`` a small edit, or None (see the module docstring).

    ``run_open``: the contact's run already holds an edit, so a bare continuation
    ("а на последнем тоже") refers to it.
    """
    if SIGNAL in m.labels:  # the detector's own petty edit, however long, is one of the run
        spans = m.evidence.get(SIGNAL) or (Evidence(0, len(m.text), SIGNAL),)
        return spans[0]
    cues = _cues()
    words = len(m.text.split())
    if not words or words > cues.max_words:
        return None
    text, lang = lowered(m.text)
    hit = cues.tweak[lang].search(text)
    if hit is None and run_open and words <= cues.continuation_max_words:
        hit = cues.continuation[lang].search(text)
    if hit is None or cues.veto[lang].search(text):
        return None
    return Evidence(hit.start(), hit.end(), RULE)


def _closes(run: _Run, m: AnalyzedMessage, window: timedelta, max_between: int) -> bool:
    """Whether ``m`` comes too late after the run's last edit to continue it."""
    if run.between > max_between:
        return True
    return run.last is not None and m.timestamp is not None and m.timestamp - run.last > window


def edit_runs(messages: Sequence[AnalyzedMessage]) -> list[AnalyzedMessage]:
    """``messages`` (in time order) with ``nitpicking`` added to runs of petty edits."""
    cues = _cues()
    out = list(messages)
    runs: dict[str, _Run] = {}  # the contacts with an edit in their current run
    delivery_seen = False
    last_key: str | None = None
    for i, m in enumerate(out):
        if m.role is Role.SPECIALIST:
            if delivery_seen and not runs:
                continue  # no run to close: which version came is of no matter (and it is fast)
            if m.attachment is not AttachmentKind.NONE and last_key:
                got: str | None = last_key  # an attachment once a deliverable is named: no regex
            else:
                key = deliverable_of(m.text)
                got = delivered(m, key, last_key)
                last_key = key or last_key
            if got is not None:  # a new version: every contact's run on the old one is over
                delivery_seen = True
                runs.clear()
            continue
        if m.role is not Role.CLIENT or not delivery_seen or not m.text.strip():
            continue  # a photo or a file without a caption neither edits nor interrupts
        run = runs.get(m.sender_key)
        if run is not None and _closes(run, m, cues.window, cues.max_between):
            run = None
            del runs[m.sender_key]
        ev = small_edit(m, run is not None)
        if ev is None:
            if run is not None:
                run.between += 1
            continue
        if run is None:
            run = runs[m.sender_key] = _Run()
        run.edits += 1
        run.last = m.timestamp or run.last
        run.between = 0
        run.pending.append((i, ev))
        if run.edits >= cues.min_run:  # the run counts: its earlier edits are part of the round
            for j, jev in run.pending:
                out[j] = labelled(out[j], {SIGNAL: jev})
            run.pending.clear()
    return out
