"""Evidence log: records keyed by (client_id, seq), payload optional (messages keep only a hash).

Revision ID: 0003_evidence_keyed
Revises: 0002_evidence
Create Date: 2026-11-23

``0002_evidence`` now creates this shape directly; databases made from its first draft
(a surrogate ``id`` key and a NOT NULL payload) are rebuilt here, keeping every record.
A no-op on databases that already have the new shape.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_evidence_keyed"
down_revision: str | Sequence[str] | None = "0002_evidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = "client_id, seq, kind, ref, payload, content_hash, created_at, source_hash, prev_hash, hash"


def upgrade() -> None:
    bind = op.get_bind()
    columns = {c["name"] for c in sa.inspect(bind).get_columns("evidence_records")}
    if "id" not in columns:
        return
    op.rename_table("evidence_records", "evidence_records_old")
    op.create_table(
        "evidence_records",
        sa.Column(
            "client_id", sa.Integer(), sa.ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("ref", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sqlite_with_rowid=False,
    )
    op.execute(f"INSERT INTO evidence_records ({_COLUMNS}) SELECT {_COLUMNS} FROM evidence_records_old")
    op.drop_table("evidence_records_old")


def downgrade() -> None:
    """Nothing to undo: 0002 creates the same shape."""
