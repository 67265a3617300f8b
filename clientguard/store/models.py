"""The core tables: one declarative ``Base`` shared by every ``models_<feature>.py``.

The schema itself is owned by Alembic (``migrations/versions/0001_core.py``); these
classes mirror it so that queries are typed. Times are stored as naive UTC
(:class:`UtcDateTime`) because SQLite has no time-zone type and the same models must
behave identically on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive UTC in the column.

    A naive value on the way in is a bug of the caller, not something to guess about.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"expected an aware datetime, got naive {value!r}")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """The one metadata for the whole database; feature modules subclass it too."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime, dict[str, Any]: JSON}


class ClientRow(Base):
    """A company or person the specialist works for (domain ``Client``)."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime]
    #: the IANA zone its case file named (None: the configured zone), so every later
    #: profile reads its working hours and off-hours in the same zone
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ClientAliasRow(Base):
    """A name the client was known by before a rename or a merge (``0003_client_lifecycle``).

    Lookups and the import resolve it to the client, so the old name neither fails nor
    starts the old client again.
    """

    __tablename__ = "client_aliases"

    name: Mapped[str] = mapped_column(String(300), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]


class ClientClosureRow(Base):
    """A client kept only for its evidence chain: ``merged`` into ``into_id``, or ``erased``.

    Lookups, the client list and the dashboard leave it out; ``evidence verify`` walks it.
    """

    __tablename__ = "client_closures"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(10))
    into_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    closed_at: Mapped[datetime]
    by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class ContactRow(Base):
    """A person on the client's side; ``role`` "other" marks a third party."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str | None] = mapped_column(String(40))


class IdentityRow(Base):
    """One platform identity (Telegram ``user123``, phone, e-mail) of a contact."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "value", name="uq_identities_platform_value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(300))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)


class MeIdentityRow(Base):
    """An identity of the user; ``platform`` "" matches every platform."""

    __tablename__ = "me_identities"
    __table_args__ = (UniqueConstraint("platform", "value", name="uq_me_identities_platform_value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(40), default="")
    value: Mapped[str] = mapped_column(String(300))


class ConversationRow(Base):
    """One chat, thread or CSV file; ``source_key`` merges re-exports into it."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    source_key: Mapped[str] = mapped_column(String(500), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    chat_type: Mapped[str | None] = mapped_column(String(60))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)


class SourceFileRow(Base):
    """A file that was imported, known by content hash so a moved file is still the same."""

    __tablename__ = "source_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime]


class ImportRow(Base):
    """The audit record of one import run (written in the run's own transaction)."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    paths: Mapped[list[str]] = mapped_column(JSON)
    client: Mapped[str | None] = mapped_column(String(300))
    conversations: Mapped[int] = mapped_column(Integer, default=0)
    messages_added: Mapped[int] = mapped_column(Integer, default=0)
    messages_existing: Mapped[int] = mapped_column(Integer, default=0)
    events_added: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)


class MessageRow(Base):
    """One message; ``(conversation_id, source_id)`` is what makes re-import idempotent."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "source_id", name="uq_messages_conversation_source"),
        Index("ix_messages_conversation_ts", "conversation_id", "ts_utc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(String(200))
    sender_key: Mapped[str] = mapped_column(String(300))
    sender_name: Mapped[str | None] = mapped_column(String(300))
    # Not indexed on purpose: every index costs import speed, and nothing queries by it yet.
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(20))
    ts_utc: Mapped[datetime | None]
    text: Mapped[str] = mapped_column(Text)
    original_text: Mapped[str | None] = mapped_column(Text)
    reply_to: Mapped[str | None] = mapped_column(String(200))
    edited: Mapped[datetime | None]
    forwarded_from: Mapped[str | None] = mapped_column(String(300))
    attachment: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str | None] = mapped_column(Text)
    source_file_id: Mapped[int | None] = mapped_column(ForeignKey("source_files.id", ondelete="SET NULL"))
    import_seq: Mapped[int | None] = mapped_column(ForeignKey("imports.id", ondelete="SET NULL"))


class EventRow(Base):
    """A service event (call, pin, join): kept for the timeline, never analysed as text."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("conversation_id", "source_id", name="uq_events_conversation_source"),
        Index("ix_events_conversation_ts", "conversation_id", "ts_utc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60))
    ts_utc: Mapped[datetime | None]
    actor_key: Mapped[str | None] = mapped_column(String(300))
    actor_name: Mapped[str | None] = mapped_column(String(300))
    details: Mapped[dict[str, Any]]
    source_file_id: Mapped[int | None] = mapped_column(ForeignKey("source_files.id", ondelete="SET NULL"))
    import_seq: Mapped[int | None] = mapped_column(ForeignKey("imports.id", ondelete="SET NULL"))
