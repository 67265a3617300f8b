"""Revision rounds a delivery states, and change requests that follow no new version.

The case (tuning chat tu-conv-07, retold here in other words): the chat's first delivery of
a carousel is "v2 (round 1 of 2 per contract)", because round 1 was asked for on a call;
after "round 2" the client asks for another version twice ("do another one", then
"round 3 please"). Before, the "v2" mark sent the carousel into the content plan's
chain (the only one awaiting a version), the off-chat round was lost, and the carousel
stopped at the limit, so the request for round 3 was never over it.

Decisions the checks hold:

- a delivery that names its deliverable at the version mark ("Carousel v2") revises that
  deliverable, not whichever other one awaits a version;
- a delivery that states its round ("round 1 of 2", "2-й круг") has spent that many rounds,
  even when the requests were made off the chat;
- a further change request on the SAME version is not another round: a round is a version
  asked for, however many messages ask for it (else a run of petty edits would be many
  rounds).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from analysis_helpers import make_msg

from clientguard.analysis import records
from clientguard.domain import AttachmentKind, Role

T0 = datetime(2026, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
S = Role.SPECIALIST
PHOTO = AttachmentKind.PHOTO
FILE = AttachmentKind.FILE


def _t(h: float) -> datetime:
    return T0 + timedelta(hours=h)


def _by(rounds: tuple[records.RevisionRound, ...]) -> dict[str, records.RevisionRound]:
    return {r.deliverable: r for r in rounds}


def test_a_third_round_asked_after_an_off_chat_first_round_is_over_the_limit() -> None:
    msgs = [
        make_msg("d0", _t(0), "October content plan attached: 8 posts, 2 reels", role=S, attachment=FILE),
        make_msg("c0", _t(1), "One fix: the open day is on the 12th, not the 14th"),
        make_msg("d1", _t(48), "Carousel v2 attached (round 1 of 2 per contract)", role=S, attachment=PHOTO),
        make_msg("c1", _t(49), "Change the headline font, it's too thin"),
        make_msg("d2", _t(96), "Carousel round 2 attached", role=S, attachment=PHOTO),
        make_msg("c2", _t(97), "Still flat. Replace the image and do another one"),
        make_msg("c3", _t(98), "Round 3 please, with a change of colours"),
    ]
    rounds = _by(records.revision_rounds(msgs, limit=2))
    assert rounds["carousel"].rounds == 3 and rounds["carousel"].evidence == ("c1", "c2")
    assert rounds["content_plan"].rounds == 1 and rounds["content_plan"].evidence == ("c0",)
    over = records.revision_over_limit(tuple(rounds.values()))
    assert over.count == 1 and over.evidence == ("c2",)
    assert over.details == ({"deliverable": "carousel", "rounds": "3", "limit": "2"},)


def test_another_request_on_the_same_version_is_the_same_round() -> None:
    msgs = [
        make_msg("d1", _t(0), "Баннер к распродаже, вариант 1", role=S, attachment=PHOTO),
        make_msg("c1", _t(1), "Поменяйте фон"),
        make_msg("d2", _t(2), "Вариант 2 с правками", role=S, attachment=PHOTO),
        make_msg("c2", _t(3), "Поменяйте заголовок"),
        make_msg("s", _t(4), "Это второй круг из двух, третий — по 1 500 ₽", role=S),
        make_msg("c3", _t(5), "Всё равно переделайте шрифт"),
    ]
    (banner,) = records.revision_rounds(msgs, limit=2)
    assert (banner.rounds, banner.evidence) == (2, ("c1", "c2"))
    assert records.revision_over_limit((banner,)).count == 0


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("Carousel v2 attached (round 1 of 2 per contract)", 1),
        ("Carousel round 2 attached", 2),
        ("Вариант 3 (2-й круг из 2)", 2),
        ("Вариант 3 с правками. Это второй круг правок из двух по договору", 2),
        ("Third round of edits is in the file", 3),
        ("Вариант 4. В договоре 2 раунда правок на единицу контента", None),  # the contract's count
        ("Here's the post, 2 rounds of edits are included", None),
        ("Вот пост, согласуете?", None),
    ],
)
def test_the_round_a_delivery_states(text: str, stated: int | None) -> None:
    assert records.stated_round(text) == stated


def test_a_stated_round_never_lowers_the_count() -> None:
    msgs = [
        make_msg("d1", _t(0), "Вот баннер", role=S, attachment=PHOTO),
        make_msg("c1", _t(1), "Переделайте"),
        make_msg("d2", _t(2), "Баннер, вариант 2", role=S, attachment=PHOTO),
        make_msg("c2", _t(3), "Поменяйте цвет"),
        make_msg("d3", _t(4), "Баннер, вариант 3 (1-й круг)", role=S, attachment=PHOTO),  # miscounted
        make_msg("c3", _t(5), "Исправьте дату"),
    ]
    (banner,) = records.revision_rounds(msgs, limit=2)
    assert (banner.rounds, banner.evidence) == (3, ("c1", "c2", "c3"))


def test_a_version_mark_without_its_deliverable_still_continues_the_one_awaiting() -> None:
    """ "Вторая версия обложек и план готовы" while the plan is under revision (QA F14)."""
    msgs = [
        make_msg("d1", _t(0), "Контент-план готов, отправляю таблицу", role=S),
        make_msg("c1", _t(1), "Всё не то, переделайте"),
        make_msg("d2", _t(2), "Вторая версия обложек и план готовы", role=S, attachment=FILE),
        make_msg("c2", _t(3), "Поменяйте порядок постов"),
    ]
    (plan,) = records.revision_rounds(msgs, limit=2)
    assert (plan.deliverable, plan.rounds, plan.evidence) == ("content_plan", 2, ("c1", "c2"))
