"""A payment reported done with the noun first is no payment delay (rule pass 16b).

The statistical layer read a bare "Invoice paid" as a delay (p 0.58 on the s16 tuning
chats); the English guard ``guard_paid_noun_first_pass16b`` damps it. It acts on the
models' weight, so unlike the rule-pass cases (rules only) this check runs every layer.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text", ["Invoice paid", "Payment sent", "the deposit is paid"])
def test_paid_report_is_no_delay(text: str) -> None:
    from clientguard.nlp.api import analyze_text

    assert "payment_delay" not in analyze_text(text, "en").labels


@pytest.mark.parametrize(
    "text",
    [
        "invoice paid when the leads come in, not before",
        "Invoice paid? No, and it won't be until you fix the reel",
    ],
)
def test_conditional_or_denied_payment_keeps_the_delay(text: str) -> None:
    from clientguard.nlp.api import analyze_text

    assert "payment_delay" in analyze_text(text, "en").labels
