"""Evidence notes: who wrote each one (team mode).

Revision ID: 0005_evidence_note_author
Revises: 0004_evidence_ref_index
Create Date: 2026-11-24

In team mode several people write notes on one client; an owner reading "agreed by
phone: two more reels for free" could not tell whose word it was (QA pass 7). Nullable:
notes written by the local user, and every note written before, have none, and their
chained payloads stay as they were (``evidence.sources.note_payload`` names the author
only when there is one). A no-op on a database that already has the column.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_evidence_note_author"
down_revision: str | Sequence[str] | None = "0004_evidence_ref_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("evidence_notes")}
    if "author" not in columns:
        with op.batch_alter_table("evidence_notes") as batch:
            batch.add_column(sa.Column("author", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence_notes") as batch:
        batch.drop_column("author")
