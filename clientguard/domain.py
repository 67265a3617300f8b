"""Typed domain objects shared by every stage (ingest → store → nlp → analysis → …).

These are plain frozen dataclasses: importers build them, the store persists them,
analysis reads them. Foreign types (JSON dicts, ORM rows, e-mail objects) never cross
a module border; adapters convert at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """Who wrote a message, from the specialist's point of view."""

    CLIENT = "client"
    SPECIALIST = "specialist"
    OTHER = "other"


class Source(StrEnum):
    """Which application a conversation was exported from."""

    TELEGRAM_JSON = "telegram_json"
    TELEGRAM_HTML = "telegram_html"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    TABULAR = "tabular"
    SLACK = "slack"


class AttachmentKind(StrEnum):
    """Media attached to a message; the file itself is never read."""

    NONE = "none"
    PHOTO = "photo"
    VIDEO = "video"
    VOICE = "voice"
    VIDEO_MESSAGE = "video_message"
    STICKER = "sticker"
    ANIMATION = "animation"
    AUDIO = "audio"
    FILE = "file"
    CONTACT = "contact"
    LOCATION = "location"
    POLL = "poll"
    OTHER = "other"


@dataclass(frozen=True)
class Identity:
    """One platform identity of a person: a Telegram ``user123``, a phone, an e-mail."""

    platform: str
    value: str


@dataclass(frozen=True)
class Sender:
    """The author of a message as the export names them.

    ``source_id`` is the stable id when the platform has one (Telegram ``from_id``,
    e-mail address); for WhatsApp it is the display name or phone, which is all the
    export gives.
    """

    source_id: str
    name: str | None = None


@dataclass(frozen=True)
class Message:
    """One message as read from an export, before roles are assigned.

    ``source_id`` is unique within a conversation and stable across re-exports, so that
    a later, overlapping export adds only new messages.
    """

    source_id: str
    sender: Sender
    timestamp: datetime | None
    text: str
    original_text: str | None = None
    role: Role = Role.CLIENT
    reply_to: str | None = None
    edited: datetime | None = None
    forwarded_from: str | None = None
    attachment: AttachmentKind = AttachmentKind.NONE
    subject: str | None = None


@dataclass(frozen=True)
class Event:
    """A service event (call, pin, join, group creation): kept, never analysed as text."""

    source_id: str
    kind: str
    timestamp: datetime | None
    actor: Sender | None = None
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Conversation:
    """One chat, mailbox thread or CSV file.

    ``source_key`` identifies the same conversation across re-exports (Telegram chat id,
    WhatsApp file stem plus participants, mailbox path); importing twice merges into it.
    """

    source: Source
    source_key: str
    title: str | None
    chat_type: str | None = None
    owner: Sender | None = None
    #: the senders of a chat whose export does not name it (a WhatsApp file without "Chat
    #: with X" in its name): the store names the chat and its client after the one(s) who
    #: are not the user (``store.import_parties.Parties.derived_title``)
    participants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    """A person on the client's side, with every identity seen for them."""

    name: str
    identities: tuple[Identity, ...] = ()
    role: str | None = None


@dataclass(frozen=True)
class Client:
    """A company or a person the specialist works for."""

    name: str
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class WorkingHours:
    """The agreed working time; ``days`` are ISO weekdays counted from Monday = 0."""

    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    start: str = "10:00"
    end: str = "19:00"


@dataclass(frozen=True)
class ContractTerms:
    """The terms of a contract that analysis holds the client to.

    Filled from a case file, from the contract checker's extraction, or by hand
    (``clientguard contract set``). ``None`` means unknown, never "unlimited".
    """

    signed: bool = False
    scope: tuple[str, ...] = ()
    revision_limit: int | None = None
    price: float | None = None
    currency: str | None = None
    payment_due_days: int | None = None
    working_hours: WorkingHours | None = None
    late_fee_percent_per_day: float | None = None


@dataclass(frozen=True)
class Invoice:
    """An invoice issued to the client; ``paid_on`` None means unpaid."""

    id: str
    amount: float
    issued: str
    due: str
    paid_on: str | None = None
    currency: str = "RUB"
    paid_amount: float | None = None


@dataclass(frozen=True)
class Evidence:
    """Why a signal fired: a character span of the ORIGINAL text and the rule/feature id."""

    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class MessageAnalysis:
    """The message-signal verdict for one text (the JSONL shape of ``clientguard signals``).

    ``scores`` holds a calibrated probability for every signal id; ``labels`` are the
    ids whose score passed their threshold; ``evidence`` maps each label to its spans.
    """

    labels: tuple[str, ...]
    scores: dict[str, float]
    evidence: dict[str, tuple[Evidence, ...]]
    lang: str = "ru"
