"""Revision rounds of a stored client, as the analysis counts them, with local times.

There is one revision engine: :func:`clientguard.analysis.records.revision_rounds`, run by
``clientguard analyze``, the dashboard and ``clientguard revisions`` alike on the same
history (:func:`clientguard.analysis.pipeline.analyze_client`: every stored conversation
of the client, duplicates dropped, roles settled, messages labelled). An older phrase
table here counted on its own and disagreed with the profile on the same chat (QA F14):
"Вторая версия обложек и план готовы" opened a new "design" deliverable instead of
continuing the content plan under revision, and "верните шрифт как было" was no change
request for it, because it knew no such words and ignored the detector's
``indecision``/``nitpicking`` labels. ``analyze`` said the limit was reached, ``revisions``
said one round. Now this module only turns the profile's rounds into rows, and prints
times in the case's zone, as ``clientguard messages`` does (it printed UTC unmarked).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from clientguard.analysis.model import ClientProfile


@dataclass(frozen=True)
class ChangeRequest:
    """The client message that counted a round, with its time in the case's zone.

    ``id`` is the analysis id (the export's message id, as ``analyze --json`` has it: for
    WhatsApp a content hash such as ``w7bb…``, for Telegram a number that another stored chat
    may reuse). ``message_id`` is the database id — the one ``messages --json`` prints as
    ``id`` and ``reply --message`` takes — so ``revisions`` shows that one: a user copies the
    reference from one command into the next.
    """

    id: str
    at: datetime | None
    message_id: int | None = None


@dataclass(frozen=True)
class Deliverable:
    """One deliverable's revision rounds against the limit (``None``: no limit on file)."""

    name: str
    rounds: int
    limit: int | None
    requests: tuple[ChangeRequest, ...] = ()

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.rounds > self.limit

    @property
    def at_limit(self) -> bool:
        return self.limit is not None and self.rounds == self.limit

    @property
    def state(self) -> str:
        """``over_limit``, ``limit_reached``, ``within_limit`` or ``no_limit``."""
        if self.limit is None:
            return "no_limit"
        return "over_limit" if self.over_limit else "limit_reached" if self.at_limit else "within_limit"

    def as_json(self) -> dict[str, object]:
        """The row of ``revisions --json``; ``evidence`` are message ids, as ``analyze --json`` has them."""
        return {
            "deliverable": self.name,
            "rounds": self.rounds,
            "limit": self.limit,
            "over_limit": self.over_limit,
            "state": self.state,
            "evidence": [r.id for r in self.requests],
            "requests": [{"id": r.id, "message_id": r.message_id, "at": r.at.isoformat() if r.at else None}
                         for r in self.requests],
        }


@dataclass(frozen=True)
class Revisions:
    """A client's deliverables with rounds, the limit held to and the zone of the times."""

    client: str
    timezone: str
    limit: int | None
    deliverables: tuple[Deliverable, ...]


def deliverables(profile: ClientProfile, limit: int | None = None) -> tuple[Deliverable, ...]:
    """The profile's revision rounds as rows; ``limit`` replaces the contract's when given."""
    from clientguard.analysis.conversation import local_time

    zone = ZoneInfo(profile.timezone)
    when = {m.id: local_time(m.timestamp, zone) if m.timestamp else None for m in profile.messages}
    rows = []
    for r in profile.revisions:
        requests = tuple(ChangeRequest(mid, when.get(mid)) for mid in r.evidence)
        row = Deliverable(r.deliverable, r.rounds, r.limit, requests)
        rows.append(replace(row, limit=limit) if limit is not None else row)
    return tuple(rows)


def client_revisions(client: str, db: str | None = None, limit: int | None = None) -> Revisions:
    """Revision rounds of a stored client: the profile ``analyze --client`` builds.

    Raises :class:`~clientguard.errors.NotFoundError` for an unknown client.
    """
    from clientguard.analysis.pipeline import analyze_client

    result = analyze_client(client, db=db)
    profile = result.profile
    stored = result.case.contract.revision_limit if result.case.contract else None
    rows = deliverables(profile, limit)
    name = result.history.client if result.history else profile.client
    if any(d.requests for d in rows):
        ids = stored_message_ids(name, db)
        rows = tuple(
            replace(d, requests=tuple(replace(r, message_id=ids.get(r.id)) for r in d.requests)) for d in rows
        )
    return Revisions(name, profile.timezone, limit if limit is not None else stored, rows)


def stored_message_ids(client: str, db: str | None = None) -> dict[str, int]:
    """Analysis message id → database id for a stored client's messages.

    The analysis of a stored history keeps each message's export id, and qualifies it as
    ``id@source_key`` outside the first conversation that uses it
    (:func:`clientguard.analysis.history.assemble`); both spellings are mapped, the bare one
    to the first stored conversation, as the analysis does.
    """
    from clientguard.analysis.history import client_conversations
    from clientguard.store import open_store

    out: dict[str, int] = {}
    with open_store(db, must_exist=True) as store:
        keys = {c.id: c.source_key for c in client_conversations(store, client)}
        for m in sorted(store.iter_messages(client), key=lambda m: (m.conversation_id, m.id)):
            out.setdefault(m.message.source_id, m.id)
            out[f"{m.message.source_id}@{keys.get(m.conversation_id, '')}"] = m.id
    return out
