"""A client's calls outside working time count toward ``off_hours_message``.

The fixture ``tests/fixtures/calls/telegram_night_calls.json`` (written for these tests;
Europe/Moscow, default Mon–Fri 10:00–19:00) holds, besides six client messages, two of
them at night:

* #6  Sat 2025-09-13 02:14, the client rings, nobody answers   → counts
* #9  Tue 2025-09-16 23:40, the client rings, 5 minutes        → counts
* #11 Wed 2025-09-17 12:00, the client rings, inside hours     → does not
* #13 Thu 2025-09-18 22:30, the SPECIALIST rings at night      → does not
* #14 Fri 2025-09-19 01:05, the client pins a message          → not a call
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from analysis_helpers import MSK, make_case, make_msg

from clientguard.analysis import build_profile
from clientguard.analysis.calls import calls_from_events, calls_from_stored, client_calls
from clientguard.analysis.case import case_from_dict
from clientguard.analysis.dataset import client_ids, read_telegram_export, to_analyzed, with_roles
from clientguard.analysis.model import AnalyzedMessage, CallEvent, ClientProfile, SignalHit
from clientguard.domain import Event, Role, Sender
from clientguard.report import render_html
from clientguard.store.records import StoredEvent

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "calls" / "telegram_night_calls.json"
CLIENT, ME = "user5550001", "user7770001"
CASE = case_from_dict(
    {"client": {"name": "Ирина Соколова", "from_id": CLIENT}, "specialist_from_id": ME, "stage": "contract"}
)
#: The gold reading of the two night messages (#5, #10): demands an answer or work now.
LABELS = {"5": ("off_hours_demand",), "10": ("off_hours_demand", "deadline_pressure")}


def fixture_profile(with_calls: bool = True) -> ClientProfile:
    header, messages, events = read_telegram_export(FIXTURE)
    msgs = with_roles(messages, client_ids(CASE, messages, header.get("id")))
    analyzed = to_analyzed(msgs, [LABELS.get(m.source_id, ()) for m in msgs])
    calls = calls_from_events(events) if with_calls else ()
    return build_profile(analyzed, CASE, label_source="oracle", calls=calls)


def off_hours(p: ClientProfile) -> SignalHit:
    return next(s for s in p.conversation_signals if s.id == "off_hours_message")


def test_the_fixture_calls_are_read_with_caller_duration_and_reason() -> None:
    _, _, events = read_telegram_export(FIXTURE)
    assert [e.kind for e in events] == ["phone_call"] * 4 + ["pin_message"]
    calls = calls_from_events(events)
    assert [(c.id, c.actor_key, c.duration_seconds, c.discard_reason) for c in calls] == [
        ("6", CLIENT, None, "missed"),
        ("9", CLIENT, 300, "hangup"),
        ("11", CLIENT, 1260, "hangup"),
        ("13", ME, 120, "hangup"),
    ]
    assert calls[0].timestamp == datetime(2025, 9, 12, 23, 14, 40, tzinfo=UTC)  # Sat 02:14 in Moscow


def test_client_night_calls_count_and_are_named_in_details() -> None:
    hit = off_hours(fixture_profile())
    assert hit.evidence == ("5", "10")  # the two night messages, as before
    assert hit.count == 4  # + the client's calls at Sat 02:14 and Tue 23:40
    assert hit.details == (
        {
            "event": "phone_call",
            "at": "2025-09-13T02:14+03:00",
            "from_id": CLIENT,
            "who": "Ирина Соколова",
            "duration_seconds": "",
            "discard_reason": "missed",
            "source_id": "6",
        },
        {
            "event": "phone_call",
            "at": "2025-09-16T23:40+03:00",
            "from_id": CLIENT,
            "who": "Ирина Соколова",
            "duration_seconds": "300",
            "discard_reason": "hangup",
            "source_id": "9",
        },
    )


def test_without_calls_the_signal_is_the_messages_alone() -> None:
    """The baseline the calls add to (and proof the assertion above can fail)."""
    hit = off_hours(fixture_profile(with_calls=False))
    assert (hit.count, hit.details) == (2, ())


def test_calls_support_all_nighter_and_the_callers_contact_profile() -> None:
    before, after = fixture_profile(with_calls=False), fixture_profile()
    nighter = next(a for a in after.archetypes if a.id == "all_nighter")
    assert nighter.evidence[:2] == ("5", "10")  # the defining messages first
    assert set(nighter.evidence[2:]) == {"call:6", "call:9"}  # the calls back them up
    old = next(a for a in before.archetypes if a.id == "all_nighter")
    assert nighter.support == old.support + 1.0  # two calls, supporting weight 0.5 each
    [contact] = after.contacts
    assert contact.signal_counts["off_hours_message"] == 4
    assert after.risk.weight == before.risk.weight + 1.0  # 0.5 per call, like a late message


def test_specialist_and_daytime_calls_never_count() -> None:
    t0 = datetime(2025, 9, 16, 23, 0, tzinfo=MSK)  # a Tuesday night
    msgs = [
        make_msg(1, t0.replace(hour=12), "Добрый день"),
        make_msg(2, t0.replace(hour=12, minute=5), "Добрый", role=Role.SPECIALIST),
    ]
    calls = [
        CallEvent("a", "phone_call", "me", "Я", t0),  # the specialist (wrote as "me")
        CallEvent("b", "phone_call", "user1", "Клиент", t0.replace(hour=11)),  # inside hours
        CallEvent("c", "phone_call", None, None, t0),  # caller unknown (Telegram HTML)
        CallEvent("d", "phone_call", "user1", "Клиент", None),  # no time
        CallEvent("e", "group_call", "user1", "Клиент", t0),  # the client starts a group call
    ]
    hit = off_hours(build_profile(msgs, make_case(), calls=calls))
    assert [d["source_id"] for d in hit.details] == ["e"]
    assert hit.count == 1


@pytest.mark.parametrize(
    ("when", "days", "counts"),
    [
        (datetime(2025, 11, 4, 12, 0, tzinfo=MSK), [0, 1, 2, 3, 4], True),  # Tue, RU holiday (4 Nov)
        (datetime(2025, 9, 13, 12, 0, tzinfo=MSK), [0, 1, 2, 3, 4], True),  # Saturday noon
        (datetime(2025, 9, 13, 12, 0, tzinfo=MSK), [0, 1, 2, 3, 4, 5], False),  # Saturday is a working day
        (datetime(2025, 9, 15, 7, 0, tzinfo=UTC), [0, 1, 2, 3, 4], False),  # 10:00 Moscow: inside
        (datetime(2025, 9, 15, 6, 59, tzinfo=UTC), [0, 1, 2, 3, 4], True),  # 09:59 Moscow
    ],
)
def test_calls_follow_the_case_working_time(when: datetime, days: list[int], counts: bool) -> None:
    """Same zone, working days and holidays as messages (``is_off_hours``)."""
    case = make_case(working_hours={"days": days, "start": "10:00", "end": "19:00"})
    msgs = [make_msg(1, datetime(2025, 9, 10, 12, 0, tzinfo=MSK), "Добрый день")]
    hit = off_hours(build_profile(msgs, case, calls=[CallEvent("1", "phone_call", "user1", "К", when)]))
    assert hit.count == int(counts)


def test_each_contact_person_gets_their_own_calls() -> None:
    t0 = datetime(2025, 9, 15, 11, 0, tzinfo=MSK)
    case = make_case(contacts=[{"name": "Анна", "from_id": "user1"}, {"name": "Борис", "from_id": "user2"}])
    msgs: list[AnalyzedMessage] = []
    for i in range(6):
        msgs.append(
            make_msg(f"a{i}", t0 + timedelta(days=i % 4, minutes=i), "Вопрос по посту", sender="user1")
        )
        msgs.append(make_msg(f"b{i}", t0 + timedelta(days=i % 4, minutes=30 + i), "Принято", sender="user2"))
    night = datetime(2025, 9, 17, 1, 30, tzinfo=MSK)
    calls = [CallEvent("c1", "phone_call", "user2", "Борис", night)]
    p = build_profile(msgs, case, calls=calls)
    by_id = {c.from_id: c for c in p.contacts}
    assert by_id["user2"].signal_counts.get("off_hours_message") == 1
    assert "off_hours_message" not in by_id["user1"].signal_counts
    assert by_id["user2"].risk.weight > by_id["user1"].risk.weight


def test_a_caller_who_never_wrote_is_the_clients_only_when_the_case_says_so() -> None:
    night = datetime(2025, 9, 17, 1, 30, tzinfo=MSK)
    msgs = [make_msg(1, datetime(2025, 9, 16, 12, 0, tzinfo=MSK), "Добрый день")]
    calls = [CallEvent("x", "phone_call", "user9", "Директор", night)]
    unknown = case_from_dict({"client": {"name": "Клиент", "from_id": "user1"}})
    assert client_calls(calls, msgs, unknown) == []
    named = case_from_dict({"client": {"name": "К", "from_id": "user1"}, "contacts": [{"from_id": "user9"}]})
    assert [c.id for c in client_calls(calls, msgs, named)] == ["x"]
    me_known = unknown.with_me(("me",))  # the user's ids known: everyone else is the client's side
    assert [c.id for c in client_calls(calls, msgs, me_known)] == ["x"]


def test_bad_call_events_never_raise() -> None:
    ts = datetime(2025, 9, 13, 2, 0, tzinfo=MSK)
    who = Sender("user1", None)
    events = [
        Event("1", "phone_call", ts, who, {"duration_seconds": "abc"}),
        Event("2", "phone_call", ts + timedelta(minutes=1), who, {"duration_seconds": "-5"}),
        Event("3", "phone_call", None, who, {}),
        Event(
            "4",
            "missed_call",
            ts + timedelta(minutes=2),
            Sender("Ирина", "Ирина"),
            {"text": "Missed voice call"},
        ),
        Event("5", "pin_message", ts, who, {}),
    ]
    calls = calls_from_events(events)
    assert [(c.id, c.duration_seconds, c.discard_reason) for c in calls] == [
        ("1", None, None),
        ("2", None, None),
        ("3", None, None),
        ("4", None, "missed"),
    ]
    msgs = [make_msg(9, ts.replace(hour=12, day=15), "Добрый день")]
    hit = off_hours(build_profile(msgs, make_case(), calls=calls))
    # #3 has no time; #4 never wrote, but the case knows the user's id, so it is the client's side
    assert [d["source_id"] for d in hit.details] == ["1", "2", "4"]


def test_stored_calls_are_counted_once_and_ids_kept_apart() -> None:
    ts = datetime(2025, 9, 13, 2, 0, tzinfo=UTC)
    who = Sender("user1", "Ирина")

    def stored(i: int, conv: int, key: str, sid: str, when: datetime) -> StoredEvent:
        return StoredEvent(i, conv, key, Event(sid, "phone_call", when, who, {}))

    calls = calls_from_stored(
        [
            stored(1, 1, "telegram:1", "7", ts),
            stored(2, 2, "telegram:2", "7", ts + timedelta(hours=1)),  # same id, another chat
            stored(3, 3, "whatsapp:x", "w1", ts),  # the same call in a second export: once
        ]
    )
    assert [c.id for c in calls] == ["7", "7@telegram:2"]


@pytest.mark.parametrize(
    ("lang", "missed", "answered", "signal"),
    [
        ("ru", "пропущенный звонок в 02:14 (сб)", "звонок в 23:40 (вт)", "сообщения в нерабочее время"),
        ("en", "missed call at 02:14 (Sat)", "call at 23:40 (Tue)", "off-hours messages"),
    ],
)
def test_the_report_shows_the_calls(lang: str, missed: str, answered: str, signal: str) -> None:
    html = render_html(fixture_profile(), lang, CASE)
    table = html.split('id="recommendation"')[1]
    assert missed in table and answered in table
    assert table.count(missed) >= 2  # the signal table and the flagged list (and the card)
    assert "2025-09-13" in table and signal in table
    assert "22:30" not in table.split("<h2>")[-1]  # the specialist's call is nowhere flagged
    plain = render_html(fixture_profile(with_calls=False), lang, CASE)
    assert missed not in plain and answered not in plain


def test_analyze_reads_the_stored_calls_once_per_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``analyze FILE`` and ``analyze --client`` both see the calls, from one events read each."""
    from clientguard.analysis.pipeline import analyze_client, analyze_path
    from clientguard.store import Store

    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    reads: list[str] = []
    read_events = Store.events

    def counting(self: Store, client: str, *args: object, **kwargs: object) -> list[StoredEvent]:
        reads.append(client)
        return read_events(self, client, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "events", counting)
    only = analyze_path(FIXTURE, client="Ирина Соколова", me=(ME,), db=db, store=False)
    assert reads == []  # the file alone: its own events, no store
    first = analyze_path(FIXTURE, client="Ирина Соколова", me=(ME,), db=db)
    assert reads == ["Ирина Соколова"]
    again = analyze_client("Ирина Соколова", me=(ME,), db=db)
    assert reads == ["Ирина Соколова"] * 2
    for result in (only, first, again):
        hit = off_hours(result.profile)
        assert [d["source_id"] for d in hit.details] == ["6", "9"]
        assert hit.count == len(hit.evidence) + 2


def test_dev_off_hours_calls_are_exactly_the_all_nighters_ones(shared_dir: Path) -> None:
    """In the dev set, client calls outside working hours occur in dev-conv-03 and -16 only,
    both labelled ``all_nighter``; the evaluation reads them from the exports' service events."""
    from analysis_helpers import DEV

    from clientguard.analysis.dataset import iter_conversations
    from clientguard.analysis.evaluate import analyzed

    rang: dict[str, int] = {}
    for conv in iter_conversations(shared_dir.joinpath(*DEV)):
        p = build_profile(
            analyzed(conv, True), conv.case, label_source="oracle", calls=calls_from_events(conv.events)
        )
        n = len(off_hours(p).details)
        if n:
            rang[conv.id] = n
            assert "all_nighter" in conv.gold_archetypes
            assert "all_nighter" in {a.id for a in p.archetypes}
    assert rang == {"dev-conv-03": 1, "dev-conv-16": 2}
