"""Content keys of path-keyed conversations: one chat uploaded twice stays one conversation.

Revision ID: 0007_conversation_keys
Revises: 0003_client_lifecycle
Create Date: 2026-11-25

CSV/JSONL tables and mail files have no chat id; their conversation key is a hash of the
file's path, so the same file uploaded twice (each upload has its own folder) or copied to
another folder became a second conversation. ``conversation_keys`` holds hashes of each such
conversation's first records (``clientguard.ingest.identity``); the import looks a new file
up there before it stores a new conversation. ``conversations.source_key`` is not touched.
Conversations stored before this revision get their keys from their stored rows on the
next import of their format (``store.import_keys.backfill``), not here: that needs the
application's key function, and a revision never imports application code.
A no-op on a database that already has the table.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_conversation_keys"
down_revision: str | Sequence[str] | None = "0003_client_lifecycle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("conversation_keys"):
        return
    op.create_table(
        "conversation_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.UniqueConstraint("conversation_id", "key", name="uq_conversation_keys_conversation_key"),
    )
    op.create_index("ix_conversation_keys_key", "conversation_keys", ["key"])


def downgrade() -> None:
    op.drop_index("ix_conversation_keys_key", table_name="conversation_keys")
    op.drop_table("conversation_keys")
