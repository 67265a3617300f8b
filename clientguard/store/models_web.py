"""Tables of the web dashboard: users, roles, client access, sessions, time, jobs, risk cache.

Mirrors ``migrations/versions/0002_web.py`` (branch ``web`` off ``0001_core``). The
risk summary table exists so that the portfolio of hundreds of clients is one query:
a client's summary is recomputed only when its ``cache_key`` (last message id, counts
of messages, invoices and payments, terms time) no longer matches.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clientguard.store.models import Base


class UserRow(Base):
    """A team member; ``role`` is owner, manager or specialist; ``pw_hash`` is argon2."""

    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    pw_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]


class ClientAccessRow(Base):
    """A specialist may open this client (owners and managers see every client)."""

    __tablename__ = "web_client_access"
    __table_args__ = (UniqueConstraint("user_id", "client_id", name="uq_web_client_access"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)


class SessionRow(Base):
    """A login session; the cookie carries the signed ``id``, the CSRF token lives here."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class TimeEntryRow(Base):
    """Hours spent on a client by a team member on a day (``clientguard time add``)."""

    __tablename__ = "web_time_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    member: Mapped[str] = mapped_column(String(100))
    day: Mapped[str] = mapped_column(String(10))
    hours: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class JobRow(Base):
    """A background job (an upload import): status and progress for the progress bar."""

    __tablename__ = "web_jobs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(500))
    client: Mapped[str | None] = mapped_column(String(300))
    progress: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class RiskSummaryRow(Base):
    """The portfolio line of a client, valid while ``cache_key`` matches the store."""

    __tablename__ = "web_risk_summaries"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    cache_key: Mapped[str] = mapped_column(String(200))
    score: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(20))
    trend: Mapped[str] = mapped_column(String(20))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime]
