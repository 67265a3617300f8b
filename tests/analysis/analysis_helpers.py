"""Builders for analysis tests: messages and cases made in code, one line per message.

A plain module with a unique name (not a conftest): several test packages have their own
conftest.py, and ``from conftest import …`` would pick whichever was imported first.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clientguard.analysis.case import CaseFile, case_from_dict
from clientguard.analysis.model import AnalyzedMessage
from clientguard.domain import AttachmentKind, Role

MSK = ZoneInfo("Europe/Moscow")
DEV = ("data", "signals", "dev", "conversations")


def make_msg(
    mid: str | int,
    when: datetime,
    text: str = "",
    labels: tuple[str, ...] = (),
    role: Role = Role.CLIENT,
    sender: str = "user1",
    name: str | None = None,
    attachment: AttachmentKind = AttachmentKind.NONE,
    forwarded_from: str | None = None,
) -> AnalyzedMessage:
    return AnalyzedMessage(
        id=str(mid),
        sender_key=sender if role is Role.CLIENT else "me",
        sender_name=name or sender,
        role=role,
        timestamp=when,
        text=text,
        labels=labels,
        attachment=attachment,
        forwarded_from=forwarded_from,
    )


def make_case(**fields: Any) -> CaseFile:
    return case_from_dict(
        {"client": {"name": "Клиент", "from_id": "user1"}, "specialist_from_id": "me", **fields}
    )


def series(start: datetime, n: int, step: timedelta, **kw: Any) -> list[AnalyzedMessage]:
    """``n`` client messages ``step`` apart, ids 1..n."""
    return [make_msg(i + 1, start + i * step, **kw) for i in range(n)]
