"""Contracts feature: contract_terms.late_fee_cap_sum, a percentage late fee's cap written as a sum.

Revision ID: 0008_contracts_fee_cap_sum
Revises: 0006_contracts_fixed_late_fee
Create Date: 2026-11-26

"Пени 0,1 % от суммы долга за каждый день просрочки, но не более 10 000 рублей", "0.1% per
day, not to exceed $500": the rate was stored and its cap was not, so the fee ran past it.
The terms row had a column for a cap as a percentage of the invoice only. One nullable JSON
column ({"amount", "currency"}): the cap is charged only on an invoice in its currency. A
fixed fee's cap stays in ``late_fee_fixed`` (its sum and cap share a currency). Every row
stored before has None there, and the evidence log's payload of a terms row leaves the
column out while it is None (``evidence.sources.LATER_COLUMNS``), so rows logged before
this migration still match their records. A no-op on a database that already has the column.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_contracts_fee_cap_sum"
down_revision: str | Sequence[str] | None = "0006_contracts_fixed_late_fee"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("contract_terms")}
    if "late_fee_cap_sum" not in columns:
        with op.batch_alter_table("contract_terms") as batch:
            batch.add_column(sa.Column("late_fee_cap_sum", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contract_terms") as batch:
        batch.drop_column("late_fee_cap_sum")
