"""Contracts feature: contracts, contract_terms, scope_items, invoices, invoice_payments.

Revision ID: 0002_contracts
Revises: 0001_core
Create Date: 2026-11-23

Written by hand with plain SQLAlchemy types; never imports application code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_contracts"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = ("contracts",)
depends_on: str | Sequence[str] | None = None


def _client_fk() -> sa.Column[int]:
    return sa.Column(
        "client_id", sa.Integer(), sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), primary_key=True),
        _client_fk(),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("fmt", sa.String(10), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("rules_version", sa.String(60), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_contracts_client_id", "contracts", ["client_id"])
    op.create_table(
        "contract_terms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "client_id",
            sa.Integer(),
            sa.ForeignKey("clients.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column(
            "contract_id", sa.Integer(), sa.ForeignKey("contracts.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("revision_limit", sa.Integer(), nullable=True),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("payment_due_days", sa.Integer(), nullable=True),
        sa.Column("working_hours", sa.JSON(), nullable=True),
        sa.Column("late_fee_percent_per_day", sa.Float(), nullable=True),
        sa.Column("late_fee_cap_percent", sa.Float(), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "scope_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        _client_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_scope_items_client_id", "scope_items", ["client_id"])
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), primary_key=True),
        _client_fk(),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("issued", sa.String(10), nullable=False),
        sa.Column("due", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("client_id", "number", name="uq_invoices_client_number"),
    )
    op.create_index("ix_invoices_client_id", "invoices", ["client_id"])
    op.create_table(
        "invoice_payments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "invoice_id", sa.Integer(), sa.ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("paid_on", sa.String(10), nullable=False),
    )
    op.create_index("ix_invoice_payments_invoice_id", "invoice_payments", ["invoice_id"])


def downgrade() -> None:
    for table in ("invoice_payments", "invoices", "scope_items", "contract_terms", "contracts"):
        op.drop_table(table)
