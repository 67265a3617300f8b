"""Contracts feature: invoice_adjustments, money given back and amounts taken off an invoice.

Revision ID: 0004_contracts_refunds
Revises: 0003_contracts_voids
Create Date: 2026-11-25

A refund (``kind`` ``refund``: возврат денег клиенту) and a credit (``credit``: уменьшение
суммы счёта по соглашению сторон, a credit note) are real events, not corrections of a
typo, so they are rows of their own, append-only and chained in the evidence log like
payments; an invoice or payment is never edited for them. A refund or credit recorded by
mistake is cancelled by a third kind of row (``void``, naming it in ``void_of``), since
``invoice_voids`` is hashed with every column and cannot gain one. Written by hand with
plain SQLAlchemy types; ``date`` is an ISO calendar date (``YYYY-MM-DD``), like the
invoices' dates.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_contracts_refunds"
down_revision: str | Sequence[str] | None = "0003_contracts_voids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invoice_adjustments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_id", sa.Integer(), sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "invoice_id", sa.Integer(), sa.ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "void_of",
            sa.Integer(),
            sa.ForeignKey("invoice_adjustments.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_invoice_adjustments_client_id", "invoice_adjustments", ["client_id"])


def downgrade() -> None:
    op.drop_table("invoice_adjustments")
