"""Replies to the specialist's price that haggle or ask for the work free, read in context.

Every message below is written for this test (none from the tuning chats). The step is read
alone: messages start unlabelled, as if the detector saw nothing, so the checks do not move
with the detector.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from clientguard.analysis.model import AnalyzedMessage
from clientguard.analysis.quote_replies import (
    DISCOUNT,
    RULE,
    SCOPE,
    Quote,
    _cues,
    quote,
    quote_replies,
    reply_labels,
)
from clientguard.domain import Role
from clientguard.errors import ConfigError

T0 = datetime(2026, 4, 6, 11, 0, tzinfo=UTC)
S, C = Role.SPECIALIST, Role.CLIENT


def _chat(*turns: tuple[Role, str]) -> list[AnalyzedMessage]:
    return [
        AnalyzedMessage(str(i), "s" if role is S else "c", "x", role, T0 + timedelta(minutes=20 * i), text)
        for i, (role, text) in enumerate(turns)
    ]


def _labels(msgs: list[AnalyzedMessage]) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.text, m.labels) for m in quote_replies(msgs) if m.labels]


@pytest.mark.parametrize(
    ("text", "amounts", "extra"),
    [
        ("Баннер для маркетплейса в договор не входит, сделаю отдельно за 4 500 ₽", {4500}, True),
        ("Ведение двух сетей — 45 тыс. в месяц, предоплата", {45000}, False),
        ("Съёмка сверх плана: 8к за выезд", {8000}, True),
        ("Landing page copy is outside our scope; I can quote it at $1,250", {1250}, True),
        ("Monthly retainer is £900, two revision rounds included", {900}, False),
        ("Extra reels are 150 dollars each", {150}, True),
    ],
)
def test_quotes(text: str, amounts: set[int], extra: bool) -> None:
    q = quote(text)
    assert q is not None and q.amounts == frozenset(Decimal(a) for a in amounts) and q.extra is extra


@pytest.mark.parametrize(
    "text",
    [
        "Отчёт за май: охват 84 тыс., 310 переходов, цена заявки 420 ₽",  # results, not a price
        "Пост к 5 мая готов, к четвергу пришлю второй",  # "к" is no thousands
        "Weekly report: reach 12k, 40 leads at $18 per lead",
        "Draft for Friday is in the folder",
    ],
)
def test_not_quotes(text: str) -> None:
    assert quote(text) is None


EXTRA_RU = Quote(frozenset({Decimal(9000)}), extra=True)
PLAIN_EN = Quote(frozenset({Decimal(600)}), extra=False)


@pytest.mark.parametrize(
    ("text", "last", "largest", "want"),
    [
        # a lower counter-offer, "за 5" meaning thousands under a quote in thousands
        ("ну давайте за 5 и закрыли вопрос", EXTRA_RU, Decimal(9000), {DISCOUNT: "counter"}),
        ("6 и по рукам", EXTRA_RU, Decimal(9000), {DISCOUNT: "counter"}),
        # the price disputed, with no acceptance
        ("9 тысяч за один ролик? вы серьёзно", EXTRA_RU, Decimal(9000), {DISCOUNT: "dispute"}),
        ("уберите эту строку из счёта", EXTRA_RU, Decimal(9000), {DISCOUNT: "dispute"}),
        # extra work asked for inside the fee
        ("пусть это будет в рамках пакета, мы же постоянные", EXTRA_RU, Decimal(9000), {SCOPE: "include"}),
        ("could you do 400? it's a small job", PLAIN_EN, Decimal(600), {DISCOUNT: "counter"}),
        ("$600 for two posts? come on", PLAIN_EN, Decimal(600), {DISCOUNT: "dispute"}),
        ("какие ещё 18? это же копия", EXTRA_RU, Decimal(18000), {DISCOUNT: "dispute"}),
        ("готовы заплатить 6 и не больше", EXTRA_RU, Decimal(9000), {DISCOUNT: "counter"}),
        # English writes its thousands: "500" under a $1,200 quote is five hundred
        ("we can only pay 500", PLAIN_EN, Decimal(1200), {DISCOUNT: "counter"}),
    ],
)
def test_replies_that_earn_a_label(text: str, last: Quote, largest: Decimal, want: dict[str, str]) -> None:
    got = reply_labels(text, last, largest)
    assert {s: ev.rule for s, ev in got.items()} == {s: f"{RULE}.{r}" for s, r in want.items()}
    for ev in got.values():
        assert text.lower()[ev.start : ev.end].strip()
        # the highlight takes a number whole: "Какие ещё 18", not "Какие ещё 1" + "8"
        assert not (ev.end < len(text) and text[ev.end - 1].isdigit() and text[ev.end].isdigit())


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("давайте за 9, к среде успеете?", EXTRA_RU),  # the quoted price: agreement
        ("за 12 было бы честнее, но ладно, делайте", EXTRA_RU),  # a higher number is no discount
        ("дороговато, но ладно, 9 тысяч за ролик? хорошо, согласна", EXTRA_RU),  # grumbles, accepts
        ("давайте за 5 постов в неделю", EXTRA_RU),  # "за 5 постов" names no price
        ("а если скидку сделаете 10%?", EXTRA_RU),  # a percentage is no counter-offer
        ("максимум 40 постов в месяц, больше не надо", EXTRA_RU),  # a count, not a price
        ("$600 for two posts? ok, fair enough, go ahead", PLAIN_EN),
        ("please include it in the monthly report", PLAIN_EN),  # no extra quote: no scope creep
        ("ok", PLAIN_EN),
    ],
)
def test_replies_that_do_not(text: str, last: Quote) -> None:
    assert reply_labels(text, last, max(last.amounts)) == {}


def test_a_counter_under_a_quote_is_a_discount_request_in_context() -> None:
    msgs = _chat(
        (S, "Видео для лендинга в договор не входит: 9 000 ₽ за ролик, могу к пятнице"),
        (C, "ну давайте за 5 и закрыли вопрос"),
    )
    out = quote_replies(msgs)
    assert DISCOUNT in out[1].labels and out[1].scores[DISCOUNT] >= 0.5
    assert out[1].evidence[DISCOUNT][0].rule == f"{RULE}.counter"


def test_no_quote_no_label() -> None:
    msgs = _chat((S, "Черновик видео в папке, посмотрите"), (C, "ну давайте за 5 и закрыли вопрос"))
    assert _labels(msgs) == []


def test_the_largest_price_quoted_in_the_chat_is_the_bar() -> None:
    # "давайте 30 и по рукам" answers the 45 000 package although the last quote was a 5 000 extra
    msgs = _chat(
        (S, "Пакет на месяц — 45 000 ₽"),
        (C, "подумаю"),
        (S, "Съёмка отдельно, 5 000 ₽ за выезд"),
        (C, "45 много. давайте 30 и по рукам"),
    )
    assert _labels(msgs) == [("45 много. давайте 30 и по рукам", (DISCOUNT,))]


def test_only_the_first_replies_answer_the_quote() -> None:
    msgs = _chat(
        (S, "Extra reels are 150 dollars each"),
        (C, "hm"),
        (C, "let me check with my partner"),
        (C, "could you do 100?"),  # the third reply: no longer the answer
    )
    assert _labels(msgs) == []


def test_the_specialist_writing_again_closes_the_quote() -> None:
    msgs = _chat(
        (S, "Extra reels are 150 dollars each"),
        (S, "The April calendar is in the shared folder"),
        (C, "could you do 100?"),
    )
    assert _labels(msgs) == []


def test_a_label_the_detector_gave_is_kept_as_it_was() -> None:
    msgs = _chat((S, "Extra reels are 150 dollars each"), (C, "could you do 100?"))
    before = msgs[1].__class__(**{**msgs[1].__dict__, "labels": (DISCOUNT,), "scores": {DISCOUNT: 0.9}})
    out = quote_replies([msgs[0], before])
    assert out[1].scores[DISCOUNT] == 0.9 and DISCOUNT not in out[1].evidence


def test_a_bad_cue_file_is_named(tmp_path: Path) -> None:
    base = "quote_replies:\n  max_replies: 2\n  max_words: 60\n"
    langs = "{ru: ['x'], en: ['x']}"
    good = "".join(f"  {k}: {langs}\n" for k in ("report", "extra", "dispute", "accept", "include"))
    priced = "  money: {ru: ['(?P<n>\\d+)'], en: ['(?P<n>\\d+)']}\n"
    bad = tmp_path / "context.yaml"
    bad.write_text(base + good + priced + "  counter: {ru: ['\\d+'], en: ['(?P<n>\\d+)']}\n")
    with pytest.raises(ConfigError, match=r"quote_replies\.counter\.ru: pattern .* names no price group"):
        _cues(bad)
    worse = tmp_path / "context2.yaml"  # the table is read once per file
    counter = "  counter: {ru: ['(?P<n>\\d+)'], en: ['(?P<n>\\d+)']}\n"
    worse.write_text(base + good.replace("['x'], en", "['('], en", 1) + priced + counter)
    with pytest.raises(ConfigError, match=r"context2\.yaml: quote_replies\.report\.ru: bad pattern"):
        _cues(worse)
    (tmp_path / "none.yaml").write_text("petty_edits: {}\n")
    with pytest.raises(ConfigError, match="block 'quote_replies' is missing"):
        _cues(tmp_path / "none.yaml")
