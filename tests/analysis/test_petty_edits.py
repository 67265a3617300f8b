"""Runs of petty edits: three or more small edits in a row on one delivered version are nitpicking.

Data-driven: the hand-written conversations in ``tests/fixtures/analysis/petty_edits``
(Telegram JSON + labels, ru and en) carry the expected in-context labels of every client
message. Positives are runs of small edits (every edit of a run of three, the first two
too, as the fresh s10/s14 chats label them); negatives are
two reasonable edits, edits separated by a delivered version, wishes sent before any
delivery (a brief) or listed in ONE message, edits hours apart, two contacts with two
edits each. The run rule is read alone (every message starts unlabelled, as if the
detector saw nothing), so the checks do not move with the detector; one check runs the
detector too and only asks that no run label is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clientguard.analysis.dataset import LabelledConversation, iter_conversations, to_analyzed
from clientguard.analysis.evaluate import analyzed
from clientguard.analysis.model import AnalyzedMessage
from clientguard.analysis.petty_edits import RULE, edit_runs, small_edit
from clientguard.analysis.profile import build_profile
from clientguard.domain import AttachmentKind, Role

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "analysis" / "petty_edits"
CONVERSATIONS = {c.id: c for c in iter_conversations(FIXTURES)}
#: The conversations with a run (some message expected ``nitpicking``).
POSITIVES = sorted(cid for cid, c in CONVERSATIONS.items() if any(c.gold_labels.values()))


def _client(messages: Sequence[AnalyzedMessage]) -> list[AnalyzedMessage]:
    return [m for m in messages if m.role is Role.CLIENT]


def test_the_fixture_set_has_positives_and_negatives_in_both_languages() -> None:
    assert {cid[:5] for cid in POSITIVES} == {"pe-ru", "pe-en"}
    assert {cid[:5] for cid in set(CONVERSATIONS) - set(POSITIVES)} == {"pe-ru", "pe-en"}


@pytest.mark.parametrize("cid", sorted(CONVERSATIONS))
def test_run_labels_match_the_fixture(cid: str) -> None:
    conv: LabelledConversation = CONVERSATIONS[cid]
    profile = build_profile(to_analyzed(conv.messages), conv.case, label_source="predicted")
    for m in _client(profile.messages):
        expected = "nitpicking" in conv.gold_labels[m.id]
        assert ("nitpicking" in m.labels) is expected, (cid, m.id, m.text)
        if expected:
            (ev,) = m.evidence["nitpicking"]
            assert ev.rule == RULE and 0 <= ev.start < ev.end <= len(m.text), (cid, m.id)
    # A run inside a burst is the micromanager's pattern: petty edits plus a flood of messages.
    got = "micromanager" in {a.id for a in profile.archetypes}
    assert got is ("micromanager" in conv.gold_archetypes), cid


@pytest.mark.parametrize("cid", POSITIVES)
def test_no_run_label_is_lost_behind_the_detector(cid: str) -> None:
    conv = CONVERSATIONS[cid]
    profile = build_profile(analyzed(conv, oracle=False), conv.case, label_source="predicted")
    missed = [
        m.text
        for m in _client(profile.messages)
        if "nitpicking" in conv.gold_labels[m.id] and "nitpicking" not in m.labels
    ]
    assert missed == []


def test_gold_labels_are_not_read_again() -> None:
    conv = CONVERSATIONS["pe-ru-01-run"]
    profile = build_profile(to_analyzed(conv.messages), conv.case, label_source="oracle")
    assert not any(m.labels for m in profile.messages)


@pytest.mark.parametrize(
    ("text", "run_open"),
    [
        ("логотип чуть больше", False),
        ("и шрифт потоньше", False),
        ("ещё на пиксель левее", False),
        ("а фон вообще может белый", False),
        ("«акция» с маленькой буквы", False),
        ("только шрифт другой", False),
        ("и хачапури по центру", False),
        ("а на последнем тоже", True),
        ("make the logo a bit bigger", False),
        ("move the CTA up a bit", False),
        ("no actually not caps", False),
        ("the background in white?", False),
        ("on the last one too", True),
        # pass 16b: a shade off, off-centre, a word or an order swapped
        ("the teal on the banner is slightly too dark", False),
        ("the menu photo is off-centre", False),
        ('can we say "cosy" instead of "compact"?', False),
        ('"flat" should be "apartment" everywhere', False),
        ("the team shot should go last", False),
        ("garden first, bedrooms second", False),
        # twentieth session: a small element taken out
        ("эмодзи в конце убери", False),
        ("убрать запятую после «итак»", False),
        ("«уникальный» уберите, звучит пафосно", False),
        ("please remove the emoji at the end", False),
        ("drop the exclamation mark", False),
    ],
)
def test_a_small_edit(text: str, run_open: bool) -> None:
    m = AnalyzedMessage("1", "user1", "Клиент", Role.CLIENT, None, text)
    ev = small_edit(m, run_open)
    assert ev is not None and ev.rule == RULE and text[ev.start : ev.end].strip()


@pytest.mark.parametrize(
    ("text", "run_open"),
    [
        ("а на последнем тоже", False),  # a continuation of nothing
        ("Чуть не забыла — нужен ещё пост про пробники", True),
        ("Давайте в рамках договора", True),
        ("Черновик посмотрела, всё хорошо", True),
        ("цветы белые привезут к девяти", True),
        ("нужно больше постов в неделю", True),
        ("стало крупнее, отлично", True),
        ("мне тоже так кажется", True),
        ("телефон неправильный, у нас 8-800-555-01-23", True),
        ("we want to reach a wider audience", True),
        ("a bit more context please", True),
        ("me too", True),
        ("thanks, the logo looks great bigger", True),
        ("honestly it's just too good", True),
        ("I should be first in line for the launch", True),
        ('the price says "450" instead of "540", please fix', True),  # a wrong fact, not a taste
        ("хештеги уберите все, кроме фирменного", True),  # a rule for the account, not a tweak
        ("уберите пост про акцию, она закончилась", True),
        ("remove the second post, the event is cancelled", True),
        # a list of edits in ONE message is long: it is no small edit of a run
        (
            "Хочется так: логотип крупнее, фон светлее, шрифт потоньше, кнопку левее, "
            "цвета бирюзовые, заголовок капсом и ещё цену жирным",
            False,
        ),
    ],
)
def test_not_a_small_edit(text: str, run_open: bool) -> None:
    m = AnalyzedMessage("1", "user1", "Клиент", Role.CLIENT, None, text)
    assert small_edit(m, run_open) is None


def test_the_detectors_own_nitpick_counts_toward_a_run() -> None:
    """A petty remark only the detector recognises (no tweak cue) is the run's first edit."""
    t0 = datetime(2026, 2, 10, 8, 0, tzinfo=UTC)

    def client(mid: str, minute: int, text: str, labels: tuple[str, ...] = ()) -> AnalyzedMessage:
        return AnalyzedMessage(mid, "u", "Клиент", Role.CLIENT, t0 + timedelta(minutes=minute), text, labels)

    delivery = AnalyzedMessage(
        "1",
        "me",
        "Вера",
        Role.SPECIALIST,
        t0,
        "Вот пост про пиццу, согласуете?",
        attachment=AttachmentKind.PHOTO,
    )
    msgs = [
        delivery,
        client("2", 5, "Смайлики разные, нужен один стиль", ("nitpicking",)),
        client("3", 6, "и заголовок покрупнее"),
        client("4", 7, "и фон чуть теплее"),
    ]
    out = {m.id: m for m in edit_runs(msgs)}
    for mid in ("3", "4"):  # the run reached three: its earlier edit is part of the round too
        assert out[mid].labels == ("nitpicking",) and out[mid].evidence["nitpicking"][0].rule == RULE
    assert out["2"] == msgs[1]  # the detector's label and evidence are kept as they were
