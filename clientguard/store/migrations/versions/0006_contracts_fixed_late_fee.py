"""Contracts feature: contract_terms.late_fee_fixed, a late fee that is a sum per day or week.

Revision ID: 0006_contracts_fixed_late_fee
Revises: 0005_contracts_term_origins
Create Date: 2026-11-25

"Пени 500 рублей за каждый день просрочки", "a late fee of $25 per day" were recognised as
a late-payment clause but stored nothing: the terms row had a column for a percentage a
day only. One nullable JSON column ({"amount", "per", "currency"}), not a table: the fee is
a term the evidence log vouches for with the rest of the row. Every row stored before has
None there, and the log's payload of a terms row leaves the column out while it is None
(``evidence.sources.LATER_COLUMNS``), so rows logged before this migration still match
their records. A no-op on a database that already has the column.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_contracts_fixed_late_fee"
down_revision: str | Sequence[str] | None = "0005_contracts_term_origins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("contract_terms")}
    if "late_fee_fixed" not in columns:
        with op.batch_alter_table("contract_terms") as batch:
            batch.add_column(sa.Column("late_fee_fixed", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contract_terms") as batch:
        batch.drop_column("late_fee_fixed")
