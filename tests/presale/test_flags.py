"""Presale flags on one-message leads: the phrases that must fire and the hard negatives.

A presale flag counts in full (confidence 1.0), and three of them move a lead a whole
step by themselves (``contract_avoidance`` → pilot, ``urgent_without_inputs`` → decline,
``unrealistic_kpi`` → pilot). A false hit on a polite lead therefore costs the project,
so every trigger phrase has a hard negative next to it: legal review of a contract, a
call scheduled for tomorrow morning, "no rush", a guarantee of response times.
"""

from __future__ import annotations

import pytest

from clientguard.presale.model import LeadMessage
from clientguard.presale.pipeline import screen

CASES = [
    # (lang, message, presale flags expected)
    ("en", "We don't do contracts, a handshake is enough.", {"contract_avoidance"}),
    ("en", "No contracts, I pay cash.", {"contract_avoidance"}),
    ("en", "It must all be live by 9am tomorrow, figure it out.", {"urgent_without_inputs"}),
    ("en", "URGENT. Need a full Instagram launch by tomorrow morning, 20 posts.", {"urgent_without_inputs"}),
    ("en", "You must guarantee 500 sales in the first month.", {"unrealistic_kpi"}),
    ("en", "Please send the contract and any paperwork, our lawyer will review it.", set()),
    ("en", "We have no contract template, can you send yours?", set()),
    ("en", "Is it urgent to get the accounts set up before launch?", set()),
    ("en", "Let's schedule a call tomorrow morning.", set()),
    ("en", "Can you guarantee a response within a day?", set()),
    ("en", "We don't want to go viral, just steady growth.", set()),
    ("en", "Could you send a proposal by Friday? No rush at all.", set()),
    ("ru", "Давайте без договора, я человек слова.", {"contract_avoidance"}),
    ("ru", "Поверьте на слово, заплачу.", {"contract_avoidance"}),
    ("ru", "Срочно, нужно было вчера!", {"urgent_without_inputs"}),
    (
        "ru",
        "Через месяц должно быть +20 000 подписчиков. Если не гарантируете, нам неинтересно.",
        {"unrealistic_kpi"},
    ),
    ("ru", "Договор ещё не подписывали, пришлите, пожалуйста, проект — юрист посмотрит.", set()),
    ("ru", "Договор пока не подписываем, сначала юрист посмотрит правки.", set()),
    ("ru", "Созвонимся завтра утром?", set()),
    ("ru", "Срочности нет, можно начать в следующем месяце.", set()),
    ("ru", "Гарантируете ли вы соблюдение сроков?", set()),
    ("ru", "Пришлите КП до пятницы, пожалуйста.", set()),
    ("ru", "Начинаем в январе, если договоримся по цене.", set()),
    ("ru", "Приступаем, как только подпишем договор.", set()),
    ("ru", "Начинаем с понедельника. Отчитываться будете мне лично.", {"demand_before_price"}),
    ("en", "When can you start? Monday?", set()),
    ("en", "You start Monday. I expect the first posts by Wednesday.", {"demand_before_price"}),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_presale_flags(lang: str, text: str, expected: set[str]) -> None:
    s = screen([LeadMessage(text)], lang=lang, detector=False)
    got = {f.signal for f in s.red_flags if f.origin == "presale" and f.signal != "night_first_contact"}
    assert got == expected


def test_hard_negatives_keep_a_complete_lead_at_proceed() -> None:
    brief = (
        "Goal: more bookings for the studio. KPI: 40 new members a month by June.\n"
        "Audience: women 30-50 in Leeds. Budget: GBP 800 a month. Start: March 1.\n"
        "Materials: we'll share photos and the logo. Approvals: I approve all posts.\n"
        "Current state: 900 followers on Instagram. Channels: Instagram and Facebook.\n"
    )
    msgs = [
        LeadMessage("Please send the contract, our lawyer will review it."),
        LeadMessage("Let's schedule a call tomorrow morning."),
    ]
    s = screen(msgs, brief, detector=False)
    assert len(s.found_parts) == 9
    assert s.recommendation.action == "proceed"
