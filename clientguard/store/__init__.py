"""Storage: SQLAlchemy models, Alembic migrations and the one write path (:class:`Store`).

``open_store(url)`` opens and migrates the database; ``Store.import_paths`` runs an
import in one transaction; the query methods return domain objects and records.
"""

from __future__ import annotations

from clientguard.store.records import (
    ClientSummary,
    ConversationMove,
    ImportProgress,
    ImportSummary,
    NewEvent,
    NewMessage,
    StoredEvent,
    StoredMessage,
)
from clientguard.store.store import Store, open_store

__all__ = [
    "ClientSummary",
    "ConversationMove",
    "ImportProgress",
    "ImportSummary",
    "NewEvent",
    "NewMessage",
    "Store",
    "StoredEvent",
    "StoredMessage",
    "open_store",
]
