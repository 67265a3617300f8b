"""Contracts feature: invoice_voids, the append-only correction of a wrong invoice or payment.

Revision ID: 0003_contracts_voids
Revises: 0002_contracts
Create Date: 2026-11-25

Invoices and payments are chained in the evidence log with every column, so a mistyped one
cannot be edited or deleted without reading as tampering, and no column may be added to
them. A void is a row of its own naming the invoice (``payment_id`` NULL) or the payment it
cancels, with the user's reason. Written by hand with plain SQLAlchemy types.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_contracts_voids"
down_revision: str | Sequence[str] | None = "0002_contracts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invoice_voids",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_id", sa.Integer(), sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "invoice_id", sa.Integer(), sa.ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "payment_id",
            sa.Integer(),
            sa.ForeignKey("invoice_payments.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_invoice_voids_client_id", "invoice_voids", ["client_id"])


def downgrade() -> None:
    op.drop_table("invoice_voids")
