"""The formal claim needs an overdue invoice on file (QA pass 6 follow-up, F5).

A client with no contract and no invoice, who only wrote "оплатим на следующей неделе",
was offered "Претензия об оплате с неустойкой"; the draft said "выставлен счёт" although
no invoice existed, and named no penalty. The claim is now among the fitting replies only
with an overdue invoice, and asked for by name without an invoice it says the work was done
and not paid, never that an invoice was issued (as the drafts without a contract never
assert one: ``test_no_contract.py``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playbook_cases import reply_with_no_invoice

from clientguard.analysis import build_profile
from clientguard.analysis.pipeline import fitting_replies
from clientguard.domain import Role
from clientguard.playbook import ReplyFacts, render_reply
from clientguard.playbook.situations import TONES, replies_for_profile
from tests.analysis.analysis_helpers import make_case, make_msg

CLAIM = "payment_formal_claim"
MSK = ZoneInfo("Europe/Moscow")


def test_the_claim_fits_only_with_an_overdue_invoice() -> None:
    assert CLAIM not in replies_for_profile("terminate", ["payment_delay", "insult"])
    assert CLAIM not in replies_for_profile("renegotiate", ["payment_delay"], overdue_days=[])
    assert CLAIM in replies_for_profile("renegotiate", ["payment_delay"], overdue_days=[20])
    # a reminder still answers a payment delay in words
    assert "payment_reminder_friendly" in replies_for_profile("renegotiate", ["payment_delay"])


def _payment_delays() -> list[Any]:
    msgs = []
    t = datetime(2025, 3, 3, 11, 0, tzinfo=MSK)
    for i in range(6):
        text = "Оплатим на следующей неделе, денег пока нет"
        msgs.append(make_msg(f"m{i}", t, text, labels=("payment_delay",)))
        msgs.append(make_msg(f"m{i}s", t + timedelta(minutes=20), "Жду оплату", role=Role.SPECIALIST))
        t += timedelta(days=2)
    return msgs


def test_analyze_does_not_offer_the_claim_without_an_invoice() -> None:
    bare = build_profile(_payment_delays(), make_case())
    assert "bad_payer" in {a.id for a in bare.archetypes}
    assert CLAIM not in [sid for sid, _ in fitting_replies(bare, "ru")]
    invoiced = make_case(
        invoices=[{"id": "7", "amount": 40000, "issued": "2025-02-01", "due": "2025-02-06", "paid_on": None}]
    )
    assert CLAIM in [sid for sid, _ in fitting_replies(build_profile(_payment_delays(), invoiced), "ru")]


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize(
    ("lang", "asserted"), [("ru", ("выставлен счёт", "предъявлены к оплате")), ("en", ("invoice",))]
)
def test_asked_for_by_name_without_an_invoice_it_asserts_none(
    tone: str, lang: str, asserted: tuple[str, ...]
) -> None:
    for facts in (ReplyFacts(client_name="Игорь"), ReplyFacts(client_name="Игорь", amount=40000.0)):
        text = render_reply(CLAIM, facts, tone, lang)
        for phrase in asserted:
            assert phrase not in text.lower(), text
    with_invoice = render_reply(CLAIM, ReplyFacts(invoice_id="7", amount=40000.0), tone, lang)
    assert ("выставлен счёт №\u00a07" if lang == "ru" else "invoice\u00a07") in with_invoice


def test_reply_from_the_store_without_an_invoice(tmp_path: Path, tmp_home: Path) -> None:
    out = reply_with_no_invoice(tmp_path, CLAIM, "ru")
    assert "выставлен счёт" not in out and "Оплата за них не поступила" in out
