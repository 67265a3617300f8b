"""A new version told in words under its round ("Round 2: …") is a delivery.

The case (tuning chat t16-conv-01, retold here in other words): the specialist sends a
video draft, the client lists edits, and the specialist answers "Round 2: warmer font,
faster pour, …" with no file in the export. The client asks again and agrees to a paid
third round. Before, that answer was no delivery (no attachment, no delivery words), the
client's later requests fell on the round already counted, the video stopped at one
round, and the paid third round over a limit of two was never ``revision_over_limit``.

Decisions the checks hold:

- a specialist message that OPENS with its round as a heading ("Round 2: …", "2-й круг —
  …") presents that version, once a deliverable has been named; it continues the
  deliverable awaiting a version, and the round it states is spent;
- a round named inside a sentence ("That was round 2, the last one included", "round 2
  tomorrow", "это второй круг из двух") speaks about rounds and presents none.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from analysis_helpers import make_msg

from clientguard.analysis import records
from clientguard.domain import AttachmentKind, Role

T0 = datetime(2026, 5, 4, 11, 0, tzinfo=ZoneInfo("America/Denver"))
S = Role.SPECIALIST
VIDEO = AttachmentKind.VIDEO


def _t(h: float) -> datetime:
    return T0 + timedelta(hours=h)


def test_a_third_round_after_a_version_told_in_words_is_over_the_limit() -> None:
    msgs = [
        make_msg("d1", _t(0), "First cut of the bakery reel, edits in one list", role=S, attachment=VIDEO),
        make_msg("c1", _t(2), "Croissant shot is too dark and the ending drags", ("nitpicking",)),
        make_msg("d2", _t(24), "Round 2: brighter croissant, ending cut by three seconds", role=S),
        make_msg("c2", _t(26), "Better. Now change the music and put the logo at the start"),
        make_msg("s1", _t(27), "That was round 2, the last one included. Round 3 is $60", role=S),
        make_msg("c3", _t(28), "fine, do round 3, and change the music"),
    ]
    (reel,) = records.revision_rounds(msgs, limit=2)
    # s1 names rounds in a sentence: no new version, so c3 asks for the round c2 opened
    assert (reel.deliverable, reel.rounds, reel.evidence) == ("reel", 3, ("c1", "c2"))
    over = records.revision_over_limit((reel,))
    assert over.count == 1 and over.evidence == ("c2",)


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Round 2: warmer colours, shorter caption", True),
        ("round 3 - logo moved to the corner", True),
        ("2-й круг: фон светлее, логотип крупнее", True),
        ("Круг 3 — поменяла шрифт", True),
        ("That was round 2, the last one included", False),
        ("Round 2 tomorrow morning", False),
        ("Noted all of them, round 2 tomorrow", False),
        ("Это второй круг из двух, третий — по 1 500 ₽", False),
        ("Around 2: that's when I'll send it", False),
    ],
)
def test_a_round_heading_opens_the_message(text: str, heading: bool) -> None:
    assert records.round_heading(text) is heading
