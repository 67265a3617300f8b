"""Clients: the time zone a client's case is read in, kept from its case file.

Revision ID: 0002_client_timezone
Revises: 0001_core
Create Date: 2026-11-24

``analyze FILE --case`` read the chat in the case's zone (its working hours, its
off-hours), but a later ``analyze --client`` or the dashboard fell back to the default
zone: one client, two different profiles (QA pass 7). The zone is kept per client.
Nullable: a client without one is read in the configured zone, as before. A no-op on a
database that already has the column.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_client_timezone"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = ("client_timezone",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("clients")}
    if "timezone" not in columns:
        with op.batch_alter_table("clients") as batch:
            batch.add_column(sa.Column("timezone", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("timezone")
