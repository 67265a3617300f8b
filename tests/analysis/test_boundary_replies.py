"""Pressure in a reply to the specialist's boundary is manipulation, read in context.

Every message below is written for this test (none from the tuning chats). The step is read
alone: messages start unlabelled, as if the detector saw nothing, so the checks do not move
with the detector.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clientguard.analysis.boundary_replies import RULE, SIGNAL, _cues, boundary_replies, is_boundary, pressure
from clientguard.analysis.model import AnalyzedMessage
from clientguard.domain import Role
from clientguard.errors import ConfigError

T0 = datetime(2026, 5, 12, 12, 0, tzinfo=UTC)
S, C = Role.SPECIALIST, Role.CLIENT


def _chat(*turns: tuple[Role, str]) -> list[AnalyzedMessage]:
    return [
        AnalyzedMessage(str(i), "s" if role is S else "c", "x", role, T0 + timedelta(minutes=15 * i), text)
        for i, (role, text) in enumerate(turns)
    ]


def _labelled(msgs: list[AnalyzedMessage]) -> list[str]:
    return [m.text for m in boundary_replies(msgs) if SIGNAL in m.labels]


@pytest.mark.parametrize(
    "text",
    [
        "Съёмка с моделью в договор не входит, могу оценить отдельно",
        "По договору два круга правок, четвёртый круг не смогу сделать бесплатно",
        "Баннеры для сайта — отдельная работа, 3 500 ₽ за макет",  # an extra quote
        "Newsletter design isn't included in the retainer",
        "I can't guarantee a number of bookings, it depends on your offer",
        "Per our agreement, a third round of edits is billed separately",
    ],
)
def test_boundaries(text: str) -> None:
    assert is_boundary(text)


@pytest.mark.parametrize(
    "text",
    [
        "Пост про выставку готов, посмотрите",
        "Счёт за июнь во вложении",
        "The May calendar is ready for review",
    ],
)
def test_not_boundaries(text: str) -> None:
    assert not is_boundary(text)


@pytest.mark.parametrize(
    "text",
    [
        "Я думала, мы с вами партнёры, а вы мне про пункты",
        "Обидно, я же вас всем подругам рекомендовала",
        "Вы же обещали на созвоне, что это войдёт",
        "ну серьёзно? из-за одного баннера",
        "I thought we were past counting every little thing",
        "You promised on the call it was part of the package",
        "Honestly disappointing, for what we pay",
    ],
)
def test_pressure(text: str) -> None:
    ev = pressure(text)
    assert ev is not None and ev.rule == RULE and text.lower()[ev.start : ev.end].strip()


@pytest.mark.parametrize(
    "text",
    [
        "Поняла, тогда оценим отдельно",
        "Обидно, но понимаю, давайте без модели",  # hurt but accepting: no pressure
        "fair enough, I thought so",
        "ok, send the estimate",
        "ладно, в следующем месяце",
    ],
)
def test_not_pressure(text: str) -> None:
    assert pressure(text) is None


def test_pressure_under_a_boundary_is_manipulation() -> None:
    msgs = _chat(
        (S, "Съёмка с моделью в договор не входит, могу оценить отдельно"),
        (C, "Я думала, мы с вами партнёры, а вы мне про пункты"),
    )
    out = boundary_replies(msgs)
    assert SIGNAL in out[1].labels and out[1].scores[SIGNAL] >= 0.5
    assert out[1].evidence[SIGNAL][0].rule == RULE


def test_no_boundary_no_label() -> None:
    msgs = _chat(
        (S, "Пост про выставку готов, посмотрите"), (C, "Я думала, мы с вами партнёры, а вы мне про пункты")
    )
    assert _labelled(msgs) == []


def test_only_the_first_replies_answer_the_boundary() -> None:
    msgs = _chat(
        (S, "Newsletter design isn't included in the retainer"),
        (C, "hm"),
        (C, "ok"),
        (C, "I thought we were past counting every little thing"),
    )
    assert _labelled(msgs) == []


def test_a_bad_cue_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "context.yaml"
    bad.write_text("boundary_replies:\n  max_replies: 2\n  max_words: 60\n  boundary: {ru: ['('], en: []}\n")
    with pytest.raises(ConfigError, match=r"context\.yaml: boundary_replies\.boundary\.ru: bad pattern"):
        _cues(bad)
    (tmp_path / "none.yaml").write_text("petty_edits: {}\n")
    with pytest.raises(ConfigError, match="block 'boundary_replies' is missing"):
        _cues(tmp_path / "none.yaml")
