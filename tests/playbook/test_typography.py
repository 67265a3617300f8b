"""Numbers in the reply drafts are set as a careful writer sets them (helper 148).

The drafts grouped thousands with a plain space ("12 345 ₽"), so a messenger or a mail
client that wrapped the letter could end a line on "12" and start the next with "345 ₽";
"№", "до" and "by" could end a line with their number or date on the next one. Now a sum
(its thousands and its currency), a date (day, month, year), a count and its noun, "№ 12",
"п. 3.2", "No. 12", "clause 4.1" and a preposition before a date are tied with a no-break
space (U+00A0), and a percent is "0,1 %" in Russian and "0.05%" in English.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from datetime import date
from pathlib import Path

import jinja2
import pytest

from clientguard.playbook import ReplyFacts, render_reply, situation_ids
from clientguard.playbook import formatting as fmt
from clientguard.playbook.facts import InvoiceFact
from clientguard.playbook.render import _Ties, reflow
from clientguard.playbook.situations import LANGS, TONES

sys.path.insert(0, str(Path(__file__).parent))
from playbook_cases import CASES

NB = "\u00a0"
#: Every month name a draft's date may say, in both languages.
_MONTHS = "|".join(fmt.day(date(2025, m, 1), lang).split()[1] for lang in LANGS for m in range(1, 13))
_DATE_PREP = rf"(?<!\w)(?:до|от|by|of|on) \d{{1,2}}{NB}(?:{_MONTHS})"

#: Where a plain space must not be: each pattern finds a line break a reader could meet.
BREAKS = [
    (re.compile(r"\d \d{3}(?!\d)"), "a space inside a number"),
    (re.compile(r"\d (?:₽|RUB|EUR|USD|GBP|%)"), "a space between a number and its currency or %"),
    (re.compile(rf"\d{{1,2}} (?:{_MONTHS})\b|\b(?:{_MONTHS}) \d{{4}}"), "a space inside a date"),
    (re.compile(_DATE_PREP), "a space after a date's preposition"),
    (re.compile(r"(?:№|No\.|(?<!\w)[пП]\.|Пункт|(?<!\w)[cC]lause|(?<!\w)invoice) \S*\d"), "a space after №"),
    (re.compile(r"\d (?:день|дня|дней|days?|раунд\w*|rounds?)\b"), "a space between a count and its noun"),
    (re.compile(r"\d-[мй] раунд"), "a space after an ordinal"),
    (re.compile(rf" {NB}|{NB} |^{NB}|{NB}$", re.M), "a no-break space beside a space or a line break"),
    (re.compile(r"~"), "a template tie left as a tilde"),
]


def breaks(text: str) -> list[str]:
    """Each misplaced plain space as "<what>: <context>"."""
    found = []
    for rx, what in BREAKS:
        for m in rx.finditer(text):
            found.append(f"{what}: {text[max(0, m.start() - 25) : m.end() + 10]!r}")
    return found


def _variants(lang: str) -> dict[str, ReplyFacts]:
    """The case facts with big, decimal and small sums, and with two overdue invoices."""
    base = CASES[lang]
    big = {"amount": 1250000, "paid_amount": 250000, "extra_price": 125000, "pilot_price": 350000,
           "settle_amount": 1000000, "penalty_cap_percent": 10, "days_overdue": 21, "revision_limit": 11,
           "revision_count": 21, "pilot_days": 21}  # fmt: skip
    decimal = {"amount": 1234.5, "extra_price": 2500.75, "pilot_price": 12345.6, "settle_amount": 98765.43,
               "penalty_percent_per_day": 0.25, "penalty_cap_percent": 7.5}  # fmt: skip
    small = {"amount": 500, "extra_price": 50, "pilot_price": 900, "settle_amount": 300, "days_overdue": 1,
             "pilot_days": 2}  # fmt: skip
    return {
        "big": dataclasses.replace(base, **big),
        "decimal": dataclasses.replace(base, **decimal),
        "small": dataclasses.replace(base, **small),
        "two_invoices": dataclasses.replace(
            base,
            invoice_id="12",
            amount=1000000,
            overdue_invoices=(
                InvoiceFact("12", date(2025, 9, 1), date(2025, 9, 15), 1250000, 250000, 1000000, 40, 1234.5),
                InvoiceFact("13", date(2025, 10, 1), date(2025, 10, 5), 1500, None, 1500, 5, 7.5, "USD"),
            ),
        ),
    }


ALL = [(s, lang, tone) for s in situation_ids() for lang in LANGS for tone in TONES]


@pytest.mark.parametrize(("situation", "lang", "tone"), ALL)
def test_no_draft_breaks_a_number_a_sum_or_a_date(situation: str, lang: str, tone: str) -> None:
    for name, facts in _variants(lang).items():
        text = render_reply(situation, facts, tone, lang)
        assert not breaks(text), (name, breaks(text))


@pytest.mark.parametrize("lang", LANGS)
def test_the_sums_of_the_drafts_are_whole(lang: str) -> None:
    """The variants do reach the drafts: a big sum, kopecks or cents, a small sum."""
    v = _variants(lang)
    claim = render_reply("payment_formal_claim", v["big"], "neutral", lang)
    pilot = render_reply("pilot_proposal", v["decimal"], "neutral", lang)
    rev = render_reply("revision_limit_reached", v["small"], "neutral", lang)
    big, dec, small = (
        ("1\u00a0250\u00a0000\u00a0₽", "12\u00a0345,60\u00a0₽", "50\u00a0₽")
        if lang == "ru"
        else ("1,250,000\u00a0EUR", "12,345.60\u00a0EUR", "50\u00a0EUR")
    )
    assert big in claim and dec in pilot and small in rev


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "said"),
    [
        (1250000, "RUB", "ru", "1\u00a0250\u00a0000\u00a0₽"),
        (1234.5, "RUB", "ru", "1\u00a0234,50\u00a0₽"),
        (500, "RUB", "ru", "500\u00a0₽"),
        (12345, "USD", "ru", "12\u00a0345\u00a0USD"),
        (1250000, "EUR", "en", "1,250,000\u00a0EUR"),
        (1234.5, "RUB", "en", "1,234.50\u00a0RUB"),
        (500, "GBP", "en", "500\u00a0GBP"),
    ],
)
def test_a_sum_is_one_line(amount: float, currency: str, lang: str, said: str) -> None:
    assert fmt.money(amount, currency, lang) == said


def test_dates_percents_and_counts_are_one_line() -> None:
    assert fmt.day(date(2025, 12, 5), "ru") == "5\u00a0декабря\u00a02025"
    assert fmt.day(date(2025, 12, 5), "en") == "5\u00a0December\u00a02025"
    assert fmt.percent(0.1, "ru") == "0,1\u00a0%" and fmt.percent(0.05, "en") == "0.05%"
    assert fmt.count(30, "дней") == "30\u00a0дней"


def test_preposition_number_sign_and_hours_are_tied() -> None:
    facts = ReplyFacts(invoice_id="12", amount=45000, due_date=date(2025, 12, 5), pay_by=date(2025, 12, 20))
    ru = render_reply("payment_formal_claim", facts, "neutral", "ru")
    assert "счёт №\u00a012" in ru and "до\u00a05\u00a0декабря\u00a02025" in ru
    en = render_reply("payment_formal_claim", facts, "neutral", "en")
    assert "invoice\u00a012" in en and "by\u00a05\u00a0December\u00a02025" in en
    off = render_reply("off_hours_reply", CASES["ru"], "neutral", "ru")
    assert "с\u00a010:00 до\u00a019:00" in off


def test_the_tie_marker_is_text_only() -> None:
    """``~`` between tags is a no-break space; inside a tag it is still Jinja's ``~``."""
    env = jinja2.Environment(extensions=[_Ties])
    assert env.from_string("№~{{ a ~ b }}").render(a="1", b="2") == "№\u00a012"


def test_a_tie_at_the_end_of_a_template_line_joins_without_a_space() -> None:
    assert reflow("по договору №\u00a0\n14/25\n") == "по договору №\u00a014/25\n"


def test_no_break_spaces_the_user_typed_are_kept() -> None:
    facts = ReplyFacts(
        out_of_scope_item="лендинг\nза 50\u00a0000\u00a0₽", quoted_message="Оплачу 50\u00a0000\u00a0₽\nзавтра"
    )
    text = render_reply("scope_boundary", facts, "neutral", "ru")
    assert "«лендинг за 50\u00a0000\u00a0₽»" in text and "«Оплачу 50\u00a0000\u00a0₽ завтра»" in text
    assert fmt.quote("x" * 215 + " 50\u00a0000\u00a0₽ y", limit=220) == "x" * 215 + "…"
