"""Clients: renamed, merged and erased clients (``clients rename|merge|move-chat|forget``).

Revision ID: 0003_client_lifecycle
Revises: 0002_client_timezone
Create Date: 2026-11-25

Two small tables, both keyed by client:

* ``client_aliases``: a name a client was known by before ``clients rename`` or
  ``clients merge``. Lookups (``store.lookup``) and the import resolve an alias to its
  client, so ``import --client "<old name>"`` or a case file naming the old client does
  not start it again after a rename or a merge.
* ``client_closures``: a client row kept only because its evidence chain must stay
  (``merged`` into another client, or ``erased`` by ``clients forget``). Lookups, the
  client list and the dashboard leave such a client out; ``evidence verify`` still walks
  its chain. ``into_id`` is the client a merged one went into (a plain id: the chain
  records it too, and an erased target must not cascade here).

A no-op on a database that already has them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_client_lifecycle"
down_revision: str | Sequence[str] | None = "0002_client_timezone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    tables = set(sa.inspect(op.get_bind()).get_table_names())
    if "client_aliases" not in tables:
        op.create_table(
            "client_aliases",
            sa.Column("name", sa.String(300), primary_key=True),
            sa.Column(
                "client_id", sa.Integer(), sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False
            ),
            sa.Column("created_at", sa.DateTime(), nullable=False),
        )
        op.create_index("ix_client_aliases_client_id", "client_aliases", ["client_id"])
    if "client_closures" not in tables:
        op.create_table(
            "client_closures",
            sa.Column(
                "client_id", sa.Integer(), sa.ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
            ),
            sa.Column("state", sa.String(10), nullable=False),
            sa.Column("into_id", sa.Integer(), nullable=True),
            sa.Column("closed_at", sa.DateTime(), nullable=False),
            sa.Column("by", sa.String(100), nullable=True),
        )


def downgrade() -> None:
    op.drop_table("client_closures")
    op.drop_index("ix_client_aliases_client_id", table_name="client_aliases")
    op.drop_table("client_aliases")
