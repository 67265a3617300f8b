"""Evidence log: an index on (client_id, ref), for a row's last record and the client's line.

Revision ID: 0004_evidence_ref_index
Revises: 0003_evidence_keyed
Create Date: 2026-11-24

The record hook reads the last record of each row a write made, and the client's
``logging_started`` line (``clientguard.evidence.baseline``), on every write of a
contract, terms, invoice or payment; without an index each read scanned all the
client's records (one per imported chunk, plus every contract, invoice and payment).
A no-op on a database that already has the index.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_evidence_ref_index"
down_revision: str | Sequence[str] | None = "0003_evidence_keyed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "ix_evidence_records_ref"


def upgrade() -> None:
    names = {ix["name"] for ix in sa.inspect(op.get_bind()).get_indexes("evidence_records")}
    if _INDEX not in names:
        op.create_index(_INDEX, "evidence_records", ["client_id", "ref"])


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="evidence_records")
