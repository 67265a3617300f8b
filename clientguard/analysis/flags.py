"""Which of a client's messages are flagged, one rule for every place that lists them.

The client page, the portfolio's count, the HTML report and the dispute export all list
"flagged messages"; each used to decide that for itself, and a forwarded threat was
counted in one and not in another. Kept in the analysis layer, below web and report,
so both can read it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from clientguard.analysis.model import ClientProfile
from clientguard.domain import Role

#: Conversation signals whose evidence names single client messages (the others name
#: weeks, invoices or calls): the client page and the report show them on the message they name.
PER_MESSAGE = ("off_hours_message", "out_of_scope_request", "revision_over_limit")


def conversation_marks(profile: ClientProfile) -> dict[str, list[str]]:
    """Message id → the :data:`PER_MESSAGE` conversation signals naming it, in signal order."""
    marks: dict[str, list[str]] = {}
    for hit in profile.conversation_signals:
        if hit.id in PER_MESSAGE:
            for mid in hit.evidence:
                marks.setdefault(mid, []).append(hit.id)
    return marks


def message_flags(
    profile: ClientProfile, marks: Mapping[str, Sequence[str]] | None = None
) -> dict[str, tuple[str, ...]]:
    """The client's flagged messages as the client page lists them: id → labels, in time order.

    A client message is flagged when it has labels of its own, read in context (the
    detector's, plus ``off_hours_demand``, ``nitpicking`` and ``payment_delay`` that only the
    send time, the edits before or the payment reminder answered give,
    :func:`clientguard.analysis.context.in_context`), or a
    :data:`PER_MESSAGE` conversation signal names it; its labels are those, in that order.
    The client page, the HTML report and the dispute export
    (:mod:`clientguard.evidence.export`) all read this, so the document a user hands over
    flags what the dashboard showed.

    Only what the profile counts: a client's forward (``AnalyzedMessage.counted``) keeps
    its own labels out, since the words are someone else's (a forwarded threat made the
    flagged count say the client threatened); the act of sending it still counts, so a
    conversation signal naming it (sent at night) flags it with that signal alone. Its
    own labels are listed apart, by :func:`forwarded_flags`. ``marks``: the
    :func:`conversation_marks` when the caller has them already.
    """
    if marks is None:
        marks = conversation_marks(profile)
    out: dict[str, tuple[str, ...]] = {}
    for m in profile.messages:
        if m.role is not Role.CLIENT:
            continue
        labels = (*(m.labels if m.counted else ()), *marks.get(m.id, ()))
        if labels:
            out[m.id] = labels
    return out


def forwarded_flags(profile: ClientProfile) -> dict[str, tuple[str, ...]]:
    """The client's forwards whose text carries labels: id → those labels, in time order.

    Shown beside the flagged messages as "forwarded, not counted", so leaving them out
    of :func:`message_flags` hides nothing from the user.
    """
    return {m.id: m.labels for m in profile.messages if not m.counted and m.labels}
