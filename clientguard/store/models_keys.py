"""Content keys of conversations whose export has no chat id (CSV/JSONL tables, mail files).

Mirrors ``migrations/versions/0007_conversation_keys.py``; what a key is and why:
``clientguard.ingest.identity``, how the import uses them: ``store.import_keys``.
A side table rather than a column of ``conversations``: a conversation has one key per
prefix of its first records (a shorter and a longer version of one table must meet), and
the ``source_key`` of every stored conversation stays as it was.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clientguard.store.models import Base


class ConversationKeyRow(Base):
    """One content key of a conversation: its first ``records`` records, hashed."""

    __tablename__ = "conversation_keys"
    __table_args__ = (
        UniqueConstraint("conversation_id", "key", name="uq_conversation_keys_conversation_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(120), index=True)
    records: Mapped[int] = mapped_column(Integer)
