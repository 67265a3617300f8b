"""Sentence cuts of the presale rules: initials and abbreviations end no sentence (QA F37).

The approver quote stopped at "главный врач С." because every dot before a capital
letter ended a sentence. One line per case, ``|`` marks the cuts (as razdel's tests).
"""

from __future__ import annotations

import pytest

from clientguard.presale.model import LeadMessage
from clientguard.presale.pipeline import screen
from clientguard.presale.text import sentences

CASES = [
    # initials
    "Бюджет и договор — главный врач С. П. Малахов.",
    "Согласует главный врач С. Петрова.|Бюджет 50 тыс. руб. в месяц.",
    "Утверждает А. В. Иванов, директор.|Старт в марте.",
    "Контакт — Иванова А.В. Подробности ниже.",
    "Approver: Dr. J. Smith, head of marketing.|Budget is 2k.",
    "Signed off by J. R. R. Tolkien himself.|Thanks!",
    # abbreviations before a name or a number
    "Офис в г. Самара, ул. Ленина, д. 5.|Приходите.",
    "См. Приложение 1.|Остальное потом.",
    "Срок до 1 янв. 2025 г.|Всё.",
    "See No. 5 please.|Ok.",
    "We are on St. Mary Street.|Come by.",
    # real ends that look like abbreviations
    "Сделайте сайт.|И т. д.|Оплата потом.",
    "Старт в 2025 г.|Бюджет 50 тыс.|Старт в марте.",
    "Say no.|Then go.",
    "Нужно вчера!|Срочно?|Да.",
]


@pytest.mark.parametrize("case", CASES)
def test_cuts(case: str) -> None:
    assert sentences(case.replace("|", " ")) == case.split("|")


def test_the_approver_quote_keeps_the_name() -> None:
    brief = "Кто согласует: контент — управляющая Анна Ершова; бюджет и договор — главный врач С. П. Малахов."
    s = screen([LeadMessage("Здравствуйте, бриф прикладываю.")], brief, detector=False)
    approver = next(p for p in s.brief if p.id == "approver")
    assert approver.evidence is not None and approver.evidence.text.endswith("главный врач С. П. Малахов.")
