"""Typed results of the client analysis: inputs per message and the profile it builds.

Everything here is a frozen dataclass so that a profile can be cached, compared in
tests and rendered (Rich, JSON, HTML) without any renderer recomputing a verdict.
Message ids are the SOURCE ids of the export, so evidence points back into the chat
(``<id>@<conversation key>`` where two stored chats of the client share an id, see
:mod:`.history`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from clientguard.domain import AttachmentKind, Evidence, Role


@dataclass(frozen=True)
class AnalyzedMessage:
    """One message with its message-signal verdict, the input of :func:`build_profile`.

    ``sender_key`` is the platform id (Telegram ``from_id``); ``labels`` and ``scores``
    come from the NLP stage or, in oracle mode, from gold labels; ``evidence`` maps a
    label to the character spans that made it fire.
    """

    id: str
    sender_key: str
    sender_name: str
    role: Role
    timestamp: datetime | None
    text: str
    labels: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, tuple[Evidence, ...]] = field(default_factory=dict)
    reply_to: str | None = None
    attachment: AttachmentKind = AttachmentKind.NONE
    #: the original author of a forwarded message ("(hidden)" when the export hides them):
    #: the words are someone else's, so a client's forward is shown, never counted
    #: (see :func:`counted`)
    forwarded_from: str | None = None

    @property
    def counted(self) -> bool:
        """Whether this message's words count toward the client's profile.

        A client's forward ("look what your post caused", a bank notice, a third party's
        threat) is not the client's own text: its signals are kept for display, marked,
        and left out of the risk, trend, archetypes and recommendation. The act of sending
        it (the hour, a burst) is the client's and still counts.
        """
        return self.role is not Role.CLIENT or self.forwarded_from is None


@dataclass(frozen=True)
class CallEvent:
    """A call from the chat's service events (Telegram ``phone_call``/``group_call``,
    WhatsApp "Missed voice call"), the input of :func:`build_profile` beside the messages.

    Why a type of its own: a call at 2 a.m. is how a client reaches the specialist just as
    a message is, but it has no text to label, so it only feeds the time-based signal
    (``off_hours_message``). ``id`` is unique within one profile (the event's source id,
    ``@<conversation key>`` added where two stored chats reuse it); ``actor_key`` is the
    caller's platform id (None when the export does not name the caller); a missed or
    declined call has ``duration_seconds`` None and its ``discard_reason``.
    """

    id: str
    kind: str
    actor_key: str | None
    actor_name: str | None
    timestamp: datetime | None
    duration_seconds: int | None = None
    discard_reason: str | None = None


@dataclass(frozen=True)
class SignalHit:
    """A conversation or record signal with how often it fired and why.

    ``evidence`` holds message ids; record-based signals (invoices, revisions) name the
    record in ``details`` (e.g. ``{"invoice": "ДР-04", "days_overdue": "17"}``), and so
    does ``off_hours_message`` for the client's calls outside working time (``{"event":
    "phone_call", "at": <local ISO time>, …}``, see :func:`.calls.call_detail`); ``count``
    covers both.
    """

    id: str
    count: int
    evidence: tuple[str, ...] = ()
    details: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class ArchetypeHit:
    """An archetype that passed its rule, with the support behind the confidence.

    ``emerging``: not passed, but the leading pattern behind a high or critical risk that
    no archetype explains (:func:`clientguard.analysis.archetypes.emerging`); such hits
    live in ``ClientProfile.emerging``, never among the archetypes.
    """

    id: str
    confidence: float
    evidence: tuple[str, ...]
    support: float
    rate: float
    kinds: tuple[str, ...]
    emerging: bool = False


@dataclass(frozen=True)
class WeekPoint:
    """Signals of one ISO week (local time of the case): the timeline chart's bar."""

    week: str
    client_messages: int
    weight: float
    signals: dict[str, int]


@dataclass(frozen=True)
class Risk:
    """Risk score 0–100, its level and the weekly trend (rising / stable / falling, or
    insufficient_data when either side of the comparison is too thin: see :mod:`.risk`)."""

    score: int
    level: str
    trend: str
    weight: float
    density: float
    recent_density: float = 0.0
    baseline_density: float = 0.0


@dataclass(frozen=True)
class Step:
    """One concrete next step of the playbook, in both interface languages."""

    id: str
    ru: str
    en: str


@dataclass(frozen=True)
class Reason:
    """Why a recommendation was made: a signal/archetype id, its evidence and a sentence."""

    id: str
    ru: str
    en: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    """The stage-aware action with its reasons, next steps and the rule that decided it."""

    action: str
    rule: str
    reasons: tuple[Reason, ...]
    steps: tuple[Step, ...]
    switch_to_contact: str | None = None


@dataclass(frozen=True)
class ContactProfile:
    """The profile of one person on the client's side."""

    from_id: str
    name: str
    client_messages: int
    risk: Risk
    archetypes: tuple[ArchetypeHit, ...]
    signal_counts: dict[str, int]


@dataclass(frozen=True)
class RevisionRound:
    """Revision rounds on one deliverable: deliveries followed by change requests.

    ``evidence`` are the client messages that asked for a round, oldest first; it is
    shorter than ``rounds`` when a delivery stated rounds asked for off the chat
    ("Carousel v2 (round 1 of 2)" as the chat's first delivery of it).
    """

    deliverable: str
    rounds: int
    limit: int | None
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class InvoiceStatus:
    """An invoice as of the reference date: paid, open, overdue (with days)."""

    id: str
    amount: float
    currency: str
    due: str
    paid_on: str | None
    paid_amount: float
    days_overdue: int
    days_late: int
    status: str

    @property
    def overdue(self) -> bool:
        """Something is still unpaid after the due date, as of the reference date.

        The one meaning of "overdue" for the profile's count, the HTML report and the
        dashboard (an invoice paid late is ``paid_late``, not overdue).
        """
        return self.days_overdue > 0 and self.paid_on is None


@dataclass(frozen=True)
class ClientProfile:
    """Everything the analysis says about one client, ready for any renderer."""

    client: str
    company: str | None
    stage: str
    reference_time: datetime | None
    assumed_defaults: tuple[str, ...]
    risk: Risk
    archetypes: tuple[ArchetypeHit, ...]
    recommendation: Recommendation
    contacts: tuple[ContactProfile, ...]
    conversation_signals: tuple[SignalHit, ...]
    weekly: tuple[WeekPoint, ...]
    revisions: tuple[RevisionRound, ...]
    invoices: tuple[InvoiceStatus, ...]
    messages: tuple[AnalyzedMessage, ...]
    message_signals: dict[str, int]
    response_latency_hours: float | None
    timezone: str
    country: str
    contract_known: bool
    label_source: str = "predicted"
    #: The contract's revision limit per deliverable (None: no limit known).
    revision_limit: int | None = None
    #: The leading pattern(s) of a client at high or critical risk whom no archetype
    #: describes, named with a lower confidence (:func:`.archetypes.leading`); empty
    #: whenever an archetype fired or the risk is below high.
    emerging: tuple[ArchetypeHit, ...] = ()
    #: The date invoices are judged at (:func:`.records.reference_date`): the last
    #: message's, or a later recorded payment's; None in profiles stored before it existed.
    records_as_of: date | None = None
