"""The messages and the brief are read each in its own language (QA F13).

A Russian lead that forwarded an English brief was read entirely as English: the Russian
red flags were lost ("договор не нужен", "оплатим, когда будут продажи"), the decision
went from decline to proceed_with_safeguards and the reply was in English.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from clientguard.domain import MessageAnalysis
from clientguard.presale import pipeline
from clientguard.presale.flags import Detector
from clientguard.presale.model import LeadMessage
from clientguard.presale.pipeline import screen
from clientguard.presale.text import parse_messages

RU_LEAD = parse_messages(
    "Здравствуйте! Нужен SMM для кофейни. Сделайте нам заодно сайт бесплатно, а оплатим когда будут "
    "продажи.\n\nИ договор не нужен, мы люди честные.\n"
)
EN_BRIEF = (
    "# Brief\n\nGoal: more bookings. Audience: women 25-40 in Moscow. Budget: 50k RUB per month. "
    "Channels: Instagram, Telegram. Start in March. Approver: marketing director.\n"
)
EN_LEAD = [LeadMessage("Hi! We need someone to run our Instagram. No contracts, I pay cash.")]
RU_BRIEF = "# Бриф\n\nЦель: больше записей.\nБюджет: 40 000 ₽ в месяц.\nПлощадки: Instagram и Telegram.\n"


def test_russian_lead_with_english_brief_keeps_its_russian_flags() -> None:
    alone = screen(RU_LEAD, detector=False)
    both = screen(RU_LEAD, EN_BRIEF, detector=False)
    assert "contract_avoidance" in {f.signal for f in alone.red_flags}
    assert {f.signal for f in alone.red_flags} <= {f.signal for f in both.red_flags}
    assert both.lang == "ru" and both.reply.startswith("Здравствуйте")
    # The English brief is still read with the English rules.
    assert {"goal", "audience", "budget", "channels"} <= set(both.found_parts)
    assert both.recommendation.action in ("pilot_first", "decline")


def test_english_lead_with_russian_brief_mirrors_it() -> None:
    s = screen(EN_LEAD, RU_BRIEF, detector=False)
    assert s.lang == "en" and s.reply.startswith("Hi")
    assert "contract_avoidance" in {f.signal for f in s.red_flags}
    assert {"goal", "budget", "channels"} <= set(s.found_parts)


def test_lang_forces_the_reply_not_the_reading() -> None:
    s = screen(RU_LEAD, EN_BRIEF, lang="en", detector=False)
    assert s.lang == "en" and s.reply.startswith("Hi")
    assert "contract_avoidance" in {f.signal for f in s.red_flags}


def test_brief_alone_sets_the_language() -> None:
    assert screen([], EN_BRIEF, detector=False).lang == "en"
    assert screen([], RU_BRIEF, detector=False).lang == "ru"


@pytest.mark.parametrize(
    ("messages", "brief", "wanted"), [(RU_LEAD, EN_BRIEF, "ru"), (EN_LEAD, RU_BRIEF, "en")]
)
def test_detector_runs_in_the_messages_language(
    monkeypatch: pytest.MonkeyPatch, messages: list[LeadMessage], brief: str, wanted: str
) -> None:
    seen: list[str] = []

    def fake(lang: str) -> Detector:
        seen.append(lang)

        def detect(texts: Sequence[str]) -> Sequence[MessageAnalysis]:
            return [MessageAnalysis(labels=(), scores={}, evidence={}) for _ in texts]

        return detect

    monkeypatch.setattr(pipeline, "default_detector", fake)
    screen(messages, brief)
    assert seen == [wanted]
