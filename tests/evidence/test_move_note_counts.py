"""`evidence verify` states a move's counts as English counts them: "1 message", "0 events".

It printed "1 messages, 1 events" (the numbers glued to a fixed plural); the wording now
comes from the same plural table the rest of the CLI uses (``plurals`` in cli.yaml).
"""

from __future__ import annotations

import pytest

from clientguard.evidence.moves import MoveNote


def note(messages: int, events: int, direction: str = "out") -> MoveNote:
    return MoveNote(
        seq=3,
        direction=direction,
        conversation_id=7,
        title="Chat",
        other="Acme",
        other_seq=5 if direction == "in" else None,
        at="2025-11-05T10:00:00+00:00",
        reason="imported again",
        file=None,
        messages=messages,
        events=events,
    )


@pytest.mark.parametrize(
    ("messages", "events", "said"),
    [
        (1, 1, "(1 message, 1 event)"),
        (2, 0, "(2 messages, 0 events)"),
        (21, 1, "(21 messages, 1 event)"),
    ],
)
def test_move_counts_take_the_english_plural(messages: int, events: int, said: str) -> None:
    assert said in note(messages, events).describe()


def test_a_move_in_counts_alike() -> None:
    line = note(1, 0, "in").describe()
    assert "(1 message, 0 events; seq 5 of that client's log)" in line
    assert "1 messages" not in line
