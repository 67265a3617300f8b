"""Replies to a payment reminder that put the payment off are payment delay, in context.

Every message below is written for this test (none from the tuning chats). The step is read
alone: messages start unlabelled, as if the detector saw nothing, so the checks do not move
with the detector.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clientguard.analysis.model import AnalyzedMessage
from clientguard.analysis.payment_replies import RULE, SIGNAL, _cues, is_reminder, put_off, put_off_replies
from clientguard.domain import Role
from clientguard.errors import ConfigError

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _chat(*turns: tuple[Role, str]) -> list[AnalyzedMessage]:
    return [
        AnalyzedMessage(
            str(i), "s" if role is Role.SPECIALIST else "c", "x", role, T0 + timedelta(hours=i), text
        )
        for i, (role, text) in enumerate(turns)
    ]


def _labelled(msgs: list[AnalyzedMessage]) -> list[str]:
    return [m.text for m in put_off_replies(msgs) if SIGNAL in m.labels]


S, C = Role.SPECIALIST, Role.CLIENT


@pytest.mark.parametrize(
    "text",
    [
        "Марк, счёт за март просрочен на неделю. Когда ждать оплату?",
        "Напоминаю про счёт №14, срок был в пятницу",
        "Остаток 12 000 ₽ жду до конца недели",
        "Hi Sam, the March invoice is now overdue. When can we expect payment?",
        "We haven't received the transfer yet",
    ],
)
def test_reminders(text: str) -> None:
    assert is_reminder(text)


@pytest.mark.parametrize(
    "text",
    ["Счёт за апрель во вложении, оплата до 10-го", "Пост готов, посмотрите", "Invoice for April attached"],
)
def test_not_reminders(text: str) -> None:
    assert not is_reminder(text)


@pytest.mark.parametrize(
    "text",
    [
        "давайте на следующей неделе, сейчас совсем пусто",
        "Сегодня не получится, касса пустая",
        "чуть позже, как пойдут заказы",
        "next week, it's been a slow month",
        "not today, sorry, bear with us",
    ],
)
def test_put_offs(text: str) -> None:
    ev = put_off(text)
    assert ev is not None and ev.rule == RULE and text[ev.start : ev.end].strip()


@pytest.mark.parametrize(
    "text",
    [
        "15-го",  # a firm date, asked for and given: an answer
        "перевёл сегодня, позже пришлю платёжку",  # paid: the "позже" is the receipt
        "Оплата запланирована на 12.03, не получится раньше",
        "paid this morning, the receipt comes later",
        "ок",
    ],
)
def test_not_put_offs(text: str) -> None:
    assert put_off(text) is None


def test_a_put_off_under_a_reminder_is_payment_delay() -> None:
    msgs = _chat(
        (S, "Марк, счёт за март просрочен на неделю. Когда ждать оплату?"),
        (C, "давайте на следующей неделе, сейчас совсем пусто"),
    )
    out = put_off_replies(msgs)
    assert SIGNAL in out[1].labels and out[1].scores[SIGNAL] >= 0.5
    assert out[1].evidence[SIGNAL][0].rule == RULE


def test_no_reminder_no_label() -> None:
    msgs = _chat(
        (S, "Пост про весеннюю акцию готов"), (C, "давайте на следующей неделе, сейчас совсем пусто")
    )
    assert _labelled(msgs) == []


def test_only_the_first_replies_answer_the_reminder() -> None:
    msgs = _chat(
        (S, "Hi Sam, the March invoice is now overdue. When can we expect payment?"),
        (C, "hi"),
        (C, "one sec"),
        (C, "next week, it's been a slow month"),  # the third reply: no longer the answer
    )
    assert _labelled(msgs) == []


def test_the_specialist_writing_again_closes_the_reminder() -> None:
    msgs = _chat(
        (S, "Напоминаю про счёт №14, срок был в пятницу"),
        (S, "И ещё: черновик рилса в папке"),
        (C, "чуть позже, как пойдут заказы"),
    )
    assert _labelled(msgs) == []


def test_two_reminders_two_put_offs() -> None:
    msgs = _chat(
        (S, "Hi Sam, the March invoice is now overdue. When can we expect payment?"),
        (C, "next week, it's been a slow month"),
        (S, "We haven't received the transfer yet"),
        (C, "not today, sorry, bear with us"),
    )
    assert _labelled(msgs) == ["next week, it's been a slow month", "not today, sorry, bear with us"]


def test_a_bad_cue_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "context.yaml"
    bad.write_text("payment_replies:\n  max_replies: 2\n  max_words: 25\n  reminder: {ru: ['('], en: []}\n")
    with pytest.raises(ConfigError, match=r"context\.yaml: payment_replies\.reminder\.ru: bad pattern"):
        _cues(bad)
    (tmp_path / "none.yaml").write_text("petty_edits: {}\n")
    with pytest.raises(ConfigError, match="block 'payment_replies' is missing"):
        _cues(tmp_path / "none.yaml")
