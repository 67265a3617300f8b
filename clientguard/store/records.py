"""Typed results of the store: what crosses the border instead of ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from clientguard.domain import Event, Message
from clientguard.ingest.base import SkippedRecord


class NewMessage(NamedTuple):
    """A message row inserted by the running import, as handed to after-import hooks.

    A ``NamedTuple`` rather than a dataclass on purpose: it is built once per message on
    the hot path and is itself the parameter tuple of the bulk insert (fields are in
    column order), so hooks get typed, immutable rows at no extra cost.
    """

    id: int
    conversation_id: int
    source_id: str
    sender_key: str
    sender_name: str | None
    contact_id: int | None
    role: str
    ts_utc: datetime | None
    text: str
    original_text: str | None
    reply_to: str | None
    edited: datetime | None
    forwarded_from: str | None
    attachment: str
    subject: str | None
    source_file_id: int | None
    import_seq: int


class NewEvent(NamedTuple):
    """A service event inserted by the running import, as handed to after-import event hooks.

    Same reason as :class:`NewMessage`: built on the import path, typed and immutable, and
    ``id`` is known because the store allocated it, so a hook can refer to the row.
    """

    id: int
    conversation_id: int
    source_id: str
    kind: str
    ts_utc: datetime | None
    actor_key: str | None
    actor_name: str | None
    details: dict[str, str]
    source_file_id: int | None
    import_seq: int


class ConversationMove(NamedTuple):
    """A stored conversation handed to another client by an import, as given to the move hooks.

    It happens when a chat stored under one client is imported again with ``--client``
    (or a case file) naming another: the conversation row changes client, and every
    message and event of it with it. The hooks run in the import's transaction right
    after the row changed and before any new message of the conversation is written,
    so the evidence log can record the change of hands where it happened.
    """

    conversation_id: int
    source_key: str
    title: str | None
    from_client_id: int
    to_client_id: int
    reason: str
    file: str | None  # the file being imported when it moved
    source_file_id: int | None
    import_id: int | None  # the ``imports`` row of the run


@dataclass(frozen=True)
class MovedChat:
    """A stored chat an import handed from one client to another, by name, for the user."""

    chat: str
    from_client: str
    to_client: str
    file: str | None


@dataclass(frozen=True)
class SameChat:
    """A chat new to the store whose first messages are a stored chat's (another export format).

    ``chat``: its title in this file; ``stored``: the stored chat's title; ``client``: the
    client it was filed under (the stored chat's); ``matched``: how many messages matched.
    """

    chat: str
    stored: str
    client: str
    matched: int


@dataclass
class ImportSummary:
    """What one import run did; ``to_json`` is the shape ``clientguard import --json`` prints."""

    conversations: int = 0
    messages_added: int = 0
    messages_existing: int = 0
    events_added: int = 0
    events_existing: int = 0
    skipped: list[SkippedRecord] = field(default_factory=list)
    #: ids of the clients this run created (team mode grants them to the uploader)
    created_clients: list[int] = field(default_factory=list)
    #: stored chats this run handed to another client (``--client`` naming another one)
    moved: list[MovedChat] = field(default_factory=list)
    #: names of the clients this run created with the stored names close to each
    #: (a typo in ``--client`` starts a new client; the CLI says so)
    new_clients: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    #: new chats recognised as another export format of a stored one (filed under its client)
    same_chat: list[SameChat] = field(default_factory=list)
    #: ids of the clients whose chats the run read, new messages or not (a re-upload of a
    #: stored file adds nothing, and its job page still links the client)
    clients: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "conversations": self.conversations,
            "messages_added": self.messages_added,
            "messages_existing": self.messages_existing,
            "events_added": self.events_added,
            "skipped": [{"file": s.file, "where": s.where, "error": s.error} for s in self.skipped],
        } | ({"same_chat": [vars(c) for c in self.same_chat]} if self.same_chat else {})


@dataclass(frozen=True)
class ImportProgress:
    """Reported after every written chunk and every finished file, for progress bars."""

    file: str
    files_done: int
    files_total: int
    messages: int


@dataclass(frozen=True)
class ClientSummary:
    """One line of ``clientguard clients``."""

    id: int
    name: str
    conversations: int
    messages: int
    last_activity: datetime | None


@dataclass(frozen=True)
class StoredMessage:
    """A stored message: the domain :class:`Message` (role assigned) plus where it lives.

    ``id`` is the database id other features (evidence, analysis) refer to.
    """

    id: int
    conversation_id: int
    contact_id: int | None
    message: Message


@dataclass(frozen=True)
class StoredEvent:
    """A stored service event (call, pin, join): the domain :class:`Event` plus its chat.

    ``source_key`` names the conversation so that callers can keep event ids apart when
    two stored chats reuse one (Telegram numbers every chat from 1).
    """

    id: int
    conversation_id: int
    source_key: str
    event: Event
