"""Rule pass 16b guards that damp the statistical layer's weight, checked with every layer.

The rule-pass cases (``test_rules_passes.py``) run the rules alone; these guards matter
where the statistical layer alone labelled a neutral chat line on the s16 tuning chats:

* a payment reported done noun first: the layer read a bare "Invoice paid" as a delay
  (p 0.58); ``guard_paid_noun_first_pass16b`` damps it, unless asked or conditional;
* a call booked for a named weekday and hour: the layer read "hop on a call Thursday at 2"
  as meeting pressure (0.54); ``guard_booked_weekday_call_pass16b`` damps it, unless it is
  about a trifle, "now" or a weekend.
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


@pytest.mark.parametrize(
    "text",
    [
        "Can we hop on a call Wednesday at 11? Two logo routes to choose from and I'd rather talk it through",
        "Could we jump on a call Friday at 10 to settle the spring budget?",
    ],
)
def test_booked_weekday_call_is_no_pressure(text: str) -> None:
    from clientguard.nlp.api import analyze_text

    assert "meeting_pressure" not in analyze_text(text, "en").labels


@pytest.mark.parametrize(
    "text",
    [
        "Let's do a call Thursday at 2 about the emoji in post 3",
        "hop on a call now? it's about the comma",
    ],
)
def test_call_about_a_trifle_stays_pressure(text: str) -> None:
    from clientguard.nlp.api import analyze_text

    assert "meeting_pressure" in analyze_text(text, "en").labels
