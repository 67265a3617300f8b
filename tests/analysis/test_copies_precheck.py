"""``clients`` asks :func:`may_hold_copies` before reading a client message by message.

The check must never say "no copy" where the analysis's copy rule drops one (it is a
necessary condition of that rule, from texts alone), and must say so for two different
chats that share only short replies, which is what keeps ``clients`` fast.
"""

from __future__ import annotations

import pytest

from clientguard.analysis.history import may_hold_copies

SHORT = ["ок", "спасибо"]
LONG = ["Пришлите, пожалуйста, макет к пятнице", "Когда будет оплата по счёту?", "Посмотрел, всё не то"]

# two chats with one person: only short replies and one long text in common
CHAT_1 = [(1, t) for t in (*SHORT, LONG[0], LONG[1])]
TWO_CHATS = [*CHAT_1, *((2, t) for t in (*SHORT, LONG[0], LONG[2]))]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # a second export of three distinctive messages
        ([(1, t) for t in LONG] + [(2, t) for t in LONG], True),
        # a copy whose only distinctive message is shared (a tiny HTML export)
        ([(1, LONG[0]), (1, "ок"), (2, f"  {LONG[0]}\n"), (2, "ок")], True),
        (TWO_CHATS, False),
        ([(1, t) for t in LONG], False),  # one conversation
        ([], False),
    ],
)
def test_may_hold_copies(rows: list[tuple[int, str]], expected: bool) -> None:
    assert may_hold_copies(rows) is expected
