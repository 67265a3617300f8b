"""Contracts feature: contract_term_origins, where each stored term came from.

Revision ID: 0005_contracts_term_origins
Revises: 0004_contracts_refunds
Create Date: 2026-11-25

The seventeenth session changed how a late-payment rate is read ("4% above the Bank of
England base rate" is no longer 4% a day), but terms stored before kept the old reading
and reminders computed penalties from it. A stored term now says whether the user set it
by hand or which reader version read it off a contract, so ``contract reread`` can read
old contracts again without overwriting what the user set. A new table, not columns:
``contracts`` and ``contract_terms`` are hashed with every column on the evidence log,
and a new column would make every logged row read as edited. Existing terms get no rows:
nothing says truthfully which of them were set by hand (``contracts.reread`` treats them
as an older reading, see there). Written by hand with plain SQLAlchemy types.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_contracts_term_origins"
down_revision: str | Sequence[str] | None = "0004_contracts_refunds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract_term_origins",
        sa.Column(
            "terms_id",
            sa.Integer(),
            sa.ForeignKey("contract_terms.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("field", sa.String(40), primary_key=True),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("reader", sa.String(60), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("contract_term_origins")
