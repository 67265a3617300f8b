"""``revisions`` rows are the profile's revision rounds, with times in the case's zone (QA F14).

The command used its own phrase-table engine, which counted 1 round where the profile
counted 2 (limit reached) on the sample chat, and printed UTC times unmarked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clientguard.analysis import AnalyzedMessage, ClientProfile, build_profile
from clientguard.analysis.case import case_from_dict
from clientguard.contracts.revisions import deliverables
from clientguard.domain import Role

T0 = datetime(2025, 9, 3, 12, 10, tzinfo=UTC)  # 15:10 in Moscow


def msg(mid: int, minutes: int, text: str, role: Role, labels: tuple[str, ...] = ()) -> AnalyzedMessage:
    sender = "client" if role is Role.CLIENT else "me"
    when = T0 + timedelta(minutes=minutes)
    return AnalyzedMessage(str(mid), sender, sender, role, when, text, labels=labels)


def profile(limit: int | None, tz: str = "Europe/Moscow") -> ClientProfile:
    s, c = Role.SPECIALIST, Role.CLIENT
    msgs = [
        msg(1, 0, "Контент-план готов, отправляю таблицу.", s),
        msg(2, 8 * 60, "Всё не то, переделайте.", c),
        msg(3, 3 * 24 * 60, "Вторая версия плана готова, отправляю.", s),
        msg(4, 3 * 24 * 60 + 25, "Верните шрифт как было, я передумал.", c, ("indecision",)),
    ]
    case = case_from_dict({
        "client": {"name": "Клиент", "from_id": "client"},
        "specialist_from_id": "me",
        "timezone": tz,
        "contract": {"revision_limit": limit} if limit is not None else None,
    })  # fmt: skip
    return build_profile(msgs, case)


def test_rows_are_the_profiles_rounds() -> None:
    p = profile(2)
    rows = deliverables(p)
    expected = [(x.deliverable, x.rounds, x.limit) for x in p.revisions]
    assert [(r.name, r.rounds, r.limit) for r in rows] == expected
    assert [tuple(q.id for q in r.requests) for r in rows] == [x.evidence for x in p.revisions]
    (row,) = rows
    assert (row.name, row.rounds, row.state) == ("content_plan", 2, "limit_reached")


def test_times_are_local_with_their_offset() -> None:
    (row,) = deliverables(profile(2))
    first = row.requests[0].at
    assert first is not None and first.isoformat() == "2025-09-03T23:10:00+03:00"
    (ekb,) = deliverables(profile(2, "Asia/Yekaterinburg"))
    assert ekb.requests[0].at is not None and ekb.requests[0].at.strftime("%H:%M") == "01:10"
    assert row.as_json()["requests"] == [
        {"id": "2", "message_id": None, "at": "2025-09-03T23:10:00+03:00"},
        {"id": "4", "message_id": None, "at": "2025-09-06T15:35:00+03:00"},
    ]


def test_limit_override_and_states() -> None:
    assert [r.state for r in deliverables(profile(2), limit=1)] == ["over_limit"]
    assert [r.state for r in deliverables(profile(2), limit=5)] == ["within_limit"]
    assert [(r.limit, r.state) for r in deliverables(profile(None))] == [(None, "no_limit")]
