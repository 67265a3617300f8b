"""Payment reminders assert an invoice only when one is on file or named (QA pass 6 follow-up, G1).

``reply payment_reminder_friendly|payment_reminder_firm --client X`` for a client with no
invoice said "по выставленному счёту" / "the invoice I sent" and offered to resend a lost
invoice. Like the formal claim (``test_claim_needs_invoice.py``), the reminders now ask for
payment of the work done and offer the payment details; with an invoice nothing changes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playbook_cases import reply_with_no_invoice

from clientguard.playbook import ReplyFacts, render_reply
from clientguard.playbook.situations import TONES

REMINDERS = ("payment_reminder_friendly", "payment_reminder_firm")
# Every way the reminders said an invoice exists ("invoice the penalty" is a future act).
ASSERTED = {"ru": ("счёт", "счет"), "en": ("the invoice", "invoices", "invoice i sent")}


@pytest.mark.parametrize("situation", REMINDERS)
@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_without_an_invoice_no_invoice_is_asserted(situation: str, tone: str, lang: str) -> None:
    for facts in (
        ReplyFacts(client_name="Игорь"),
        ReplyFacts(client_name="Игорь", amount=40000.0, penalty_percent_per_day=0.1, penalty_cap_percent=10),
    ):
        text = render_reply(situation, facts, tone, lang).lower()
        for phrase in ASSERTED[lang]:
            assert phrase not in text, text
        assert ("выполненн" if lang == "ru" else "work done") in text
    amount = render_reply(situation, ReplyFacts(amount=40000.0), tone, lang)
    assert ("40 000 ₽" if lang == "ru" else "40,000 RUB") in amount.replace("\u00a0", " ")


@pytest.mark.parametrize("situation", REMINDERS)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_with_an_invoice_it_is_named(situation: str, lang: str) -> None:
    text = render_reply(situation, ReplyFacts(invoice_id="7", amount=40000.0), "neutral", lang)
    assert ("счёт" if lang == "ru" else "invoice\u00a07") in text
    dated = render_reply(situation, ReplyFacts(due_date=date(2026, 9, 9)), "firm", lang)
    assert ("счёт" if lang == "ru" else "the invoice") in dated


@pytest.mark.parametrize("situation", REMINDERS)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_reminder_from_the_store_without_an_invoice(
    tmp_path: Path, tmp_home: Path, situation: str, lang: str
) -> None:
    out = reply_with_no_invoice(tmp_path, situation, lang)
    for phrase in ASSERTED[lang]:
        assert phrase not in out.lower(), out
