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
    """The client message that counted a round, with its time in the case's zone."""

    id: str
    at: datetime | None


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
            "requests": [{"id": r.id, "at": r.at.isoformat() if r.at else None} for r in self.requests],
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
    return Revisions(name, profile.timezone, limit if limit is not None else stored, rows)
