"""Stored service events read back per client (SQLite and PostgreSQL): the calls the analysis uses.

The Telegram importer is used here on purpose (the fake reader's events have no caller):
what the analysis needs is the caller, the time and the call details as the real
importer stores them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from clientguard.errors import NotFoundError
from clientguard.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "calls" / "telegram_night_calls.json"
CLIENT = "Ирина Соколова"


def test_events_round_trip_with_caller_time_and_details(store: Store) -> None:
    summary = store.import_paths([FIXTURE], client=CLIENT, me=("user7770001",))
    assert summary.events_added == 5
    events = store.events(CLIENT)
    assert [(e.event.source_id, e.event.kind) for e in events] == [
        ("6", "phone_call"),
        ("9", "phone_call"),
        ("11", "phone_call"),
        ("13", "phone_call"),
        ("14", "pin_message"),
    ]
    first = events[0]
    assert first.source_key == "telegram:5550001"
    assert first.event.timestamp == datetime(2025, 9, 12, 23, 14, 40, tzinfo=UTC)  # aware UTC on both
    assert first.event.actor is not None
    assert (first.event.actor.source_id, first.event.actor.name) == ("user5550001", CLIENT)
    assert first.event.details == {"discard_reason": "missed"}
    assert events[1].event.details == {"duration_seconds": "300", "discard_reason": "hangup"}

    calls = store.events(CLIENT.lower(), kinds={"phone_call"})  # names as ``clients`` finds them
    assert [e.event.source_id for e in calls] == ["6", "9", "11", "13"]
    assert store.events(CLIENT, conversation="telegram:other") == []

    store.import_paths([FIXTURE], client=CLIENT, me=("user7770001",))  # idempotent: nothing new
    assert len(store.events(CLIENT)) == 5


def test_events_of_an_unknown_client_is_an_error_not_a_traceback(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.events("Никто")
