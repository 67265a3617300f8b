"""Web dashboard: users, client access, sessions, time entries, jobs, risk summaries.

Revision ID: 0002_web
Revises: 0001_core
Create Date: 2026-11-23

Written by hand with plain SQLAlchemy types; never imports application code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_web"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = ("web",)
depends_on: str | Sequence[str] | None = None


def _client_fk() -> sa.Column[int]:
    return sa.Column(
        "client_id", sa.Integer(), sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "web_users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("pw_hash", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "web_client_access",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False),
        _client_fk(),
        sa.UniqueConstraint("user_id", "client_id", name="uq_web_client_access"),
    )
    op.create_index("ix_web_client_access_user_id", "web_client_access", ["user_id"])
    op.create_index("ix_web_client_access_client_id", "web_client_access", ["client_id"])
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "web_time_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        _client_fk(),
        sa.Column("member", sa.String(100), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_web_time_entries_client_id", "web_time_entries", ["client_id"])
    op.create_table(
        "web_jobs",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("client", sa.String(300), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "web_risk_summaries",
        sa.Column(
            "client_id", sa.Integer(), sa.ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("cache_key", sa.String(200), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("trend", sa.String(20), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("web_risk_summaries")
    op.drop_table("web_jobs")
    op.drop_table("web_time_entries")
    op.drop_table("web_sessions")
    op.drop_table("web_client_access")
    op.drop_table("web_users")
