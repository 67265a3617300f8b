"""Calls from service events: who rang, when, and whether it was outside working time.

Why this exists: "calls at 2 a.m." is one of the behaviours the product is meant to
catch, and a call leaves no text for the message signals to read. The importers keep
calls as service events (Telegram ``phone_call``/``group_call`` with the caller as
``actor``; WhatsApp "Missed voice call" lines by their author); this module turns them
into :class:`~clientguard.analysis.model.CallEvent` and decides which ones are the
client's. A client's call outside the agreed working time counts toward
``off_hours_message`` exactly as a client message would (same time zone, working days
and holidays: :func:`~clientguard.analysis.conversation.is_off_hours`); a missed or
declined call counts too, because the client rang.

Rules:

- only call kinds (:data:`CALL_KINDS`) are read; pins, joins and the rest are not calls;
- a call without a caller (Telegram HTML exports name no actor) or without a time is
  not attributed to anyone and never counts;
- the caller is on the client's side by the same role logic as messages: a sender of
  client messages is the client; a sender of specialist (or third-party) messages, or one
  of the specialist's ids, is not; a caller who never wrote is the client's when the case
  names them as the client or a contact, or when the specialist's ids are known (then
  everyone else is the client's side, as :func:`~clientguard.analysis.dataset.client_ids`
  decides); otherwise the call is not attributed;
- the same call seen twice (two exports of one chat stored as two conversations) counts
  once: same caller, kind and second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

from clientguard.analysis.case import CaseFile
from clientguard.analysis.model import AnalyzedMessage, CallEvent
from clientguard.domain import Event, Role

if TYPE_CHECKING:
    from clientguard.store.records import StoredEvent

#: Service-event kinds that are a call (Telegram JSON/HTML and WhatsApp importers).
CALL_KINDS: Final = frozenset({"phone_call", "group_call", "missed_call"})
#: Prefix of a call's evidence-unit id in archetype evidence (beside message ids).
UNIT_PREFIX: Final = "call:"


def _seconds(value: str | None) -> int | None:
    """A duration from the event's string details; anything unreadable is unknown."""
    try:
        n = int(float(value)) if value not in (None, "") else None
    except (TypeError, ValueError, OverflowError):
        return None
    return n if n is not None and n >= 0 else None


def call_of(event: Event, call_id: str | None = None) -> CallEvent | None:
    """The call an event records, or None when the event is not a call."""
    if event.kind not in CALL_KINDS:
        return None
    details = event.details if isinstance(event.details, dict) else {}
    reason = details.get("discard_reason") or ("missed" if event.kind == "missed_call" else None)
    return CallEvent(
        id=call_id or event.source_id,
        kind=event.kind,
        actor_key=event.actor.source_id if event.actor else None,
        actor_name=(event.actor.name or event.actor.source_id) if event.actor else None,
        timestamp=event.timestamp,
        duration_seconds=_seconds(details.get("duration_seconds")),
        discard_reason=str(reason) if reason else None,
    )


def _unique(calls: Iterable[CallEvent]) -> tuple[CallEvent, ...]:
    seen: set[tuple[str | None, str, float | None]] = set()
    out: list[CallEvent] = []
    for c in calls:
        key = (c.actor_key, c.kind, c.timestamp.timestamp() if c.timestamp else None)
        if c.timestamp is not None and key in seen:
            continue
        seen.add(key)
        out.append(c)
    return tuple(out)


def calls_from_events(events: Iterable[Event]) -> tuple[CallEvent, ...]:
    """The calls among one conversation's events (ids are the events' source ids)."""
    return _unique(c for e in events if (c := call_of(e)) is not None)


def calls_from_stored(events: Iterable[StoredEvent]) -> tuple[CallEvent, ...]:
    """The calls among a client's stored events, ids unique across its conversations.

    Telegram numbers every chat from 1, so a source id used by two conversations gets
    ``@<conversation key>`` outside the first one, as message ids do in :mod:`.history`.
    """
    stored = [e for e in events if e.event.kind in CALL_KINDS]
    owner: dict[str, int] = {}
    for e in stored:
        owner.setdefault(e.event.source_id, e.conversation_id)
    calls: list[CallEvent] = []
    for e in stored:
        sid = e.event.source_id
        cid = sid if owner[sid] == e.conversation_id else f"{sid}@{e.source_key}"
        call = call_of(e.event, cid)
        if call is not None:
            calls.append(call)
    return _unique(calls)


def client_calls(
    calls: Sequence[CallEvent], messages: Sequence[AnalyzedMessage], case: CaseFile
) -> list[CallEvent]:
    """The calls made by the client's side (see the module rules), in time order."""
    if not calls:
        return []
    client_keys = {m.sender_key for m in messages if m.role is Role.CLIENT}
    other_keys = {m.sender_key for m in messages if m.role is not Role.CLIENT}
    me = case.me
    named = {c.from_id for c in case.contacts if c.from_id}
    if case.client.from_id:
        named.add(case.client.from_id)

    def is_client(key: str | None) -> bool:
        if not key:
            return False
        if key in client_keys:
            return True
        if key in other_keys or key in me:
            return False
        return key in named or bool(me)

    out = [c for c in calls if c.timestamp is not None and is_client(c.actor_key)]
    return sorted(out, key=lambda c: c.timestamp.timestamp())  # type: ignore[union-attr]


def call_detail(call: CallEvent, case: CaseFile) -> dict[str, str]:
    """How a call is named in ``SignalHit.details`` (strings only, JSON-ready).

    ``at`` is the local time of the case with its offset, so a renderer can print the
    hour and weekday the specialist lived through without knowing the case.
    """
    from clientguard.analysis.conversation import local_time  # that module imports this one

    at = local_time(call.timestamp, case.tz).isoformat(timespec="minutes") if call.timestamp else ""
    return {
        "event": call.kind,
        "at": at,
        "from_id": call.actor_key or "",
        "who": call.actor_name or call.actor_key or "",
        "duration_seconds": "" if call.duration_seconds is None else str(call.duration_seconds),
        "discard_reason": call.discard_reason or "",
        "source_id": call.id,
    }


def unit_id(call_id: str) -> str:
    """The evidence-unit id of a call (``call:<id>``), never equal to a message id."""
    return UNIT_PREFIX + call_id
