"""Tables of the evidence log: the hash-chained records, their heads, notes, confirmations.

Mirrors ``migrations/versions/0002_evidence.py``. Hash inputs are stored as text
(``created_at`` is an ISO string, ``payload`` canonical JSON) so that verification
re-hashes exactly the bytes that were hashed, with no type conversion on either
database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clientguard.store.models import Base


class EvidenceRecordRow(Base):
    """One link of a client's chain; ``(client_id, seq)`` is the key and gap-free.

    The key is the primary key of a ``WITHOUT ROWID`` table on SQLite: one b-tree per
    insert instead of a rowid table plus a unique index, which matters because every
    imported chunk of messages adds a row here inside the import (one ``messages``
    record listing the chunk; logs from before issue #7 hold one ``message`` record per
    message, see :mod:`clientguard.evidence.chain`).

    ``ix_evidence_records_ref`` (``0004_evidence_ref_index``): the record hook looks up the
    last record of each row a write made, and the client's ``logging_started`` line, by
    ref; without it each write scanned the client's whole log.
    """

    __tablename__ = "evidence_records"
    __table_args__ = (
        Index("ix_evidence_records_ref", "client_id", "ref"),
        {"sqlite_with_rowid": False},
    )

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    ref: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str | None] = mapped_column(Text)  # None for per-message records (row = content)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
    source_hash: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class EvidenceHeadRow(Base):
    """The last record of each chain, kept apart so that a cut-off tail shows."""

    __tablename__ = "evidence_heads"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class NoteRow(Base):
    """An oral agreement, call or meeting written down by the specialist."""

    __tablename__ = "evidence_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime]
    #: the team member who wrote it (team mode; None: the local user, or an older note)
    author: Mapped[str | None] = mapped_column(String(100), nullable=True)


class ConfirmationRow(Base):
    """The client's written confirmation of a note (their words, or the message id)."""

    __tablename__ = "evidence_confirmations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("evidence_notes.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    text: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
