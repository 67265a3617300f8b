"""Without an archetype, one or two labels do not make the action: the steady risk.

On chats written by people the message layer was never tuned on, one or two of its labels
are often wrong, and in a chat of a dozen messages one wrong medium label plus a few
evening messages lifted a clean client to "elevated" and the advice to "proceed with
safeguards" (dev-conv-17: one 'unrealistic_expectations' on a plain question). The
"elevated or rising" step reads the risk without its two heaviest labelled messages
(``risk.steady``); risk spread over more messages still gets the safeguards, the shown
score does not change, and a reason names the messages the raised risk rests on.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from analysis_helpers import MSK, make_case, make_msg

from clientguard.analysis.model import AnalyzedMessage, Risk
from clientguard.analysis.profile import build_profile
from clientguard.analysis.recommend import Situation, decide
from clientguard.analysis.risk import steady

MONDAY = datetime(2026, 4, 6, 11, 0, tzinfo=MSK)  # a working Monday, 11:00, no holiday near


def _chat(labelled: dict[int, tuple[str, ...]], evening: int = 4) -> list[AnalyzedMessage]:
    """Twelve client messages, one per working day; the first ``evening`` sent at 21:00."""
    days = [MONDAY + timedelta(days=d) for d in range(20)]
    weekdays = [d for d in days if d.weekday() < 5]
    out = []
    for i in range(12):
        when = weekdays[i].replace(hour=21) if i < evening else weekdays[i]
        out.append(make_msg(i + 1, when, f"сообщение {i + 1}", labelled.get(i + 1, ())))
    return out


def test_one_label_on_a_clean_chat_does_not_call_for_safeguards() -> None:
    profile = build_profile(_chat({7: ("unrealistic_expectations",)}), make_case(stage="contract"))
    assert profile.archetypes == ()
    assert profile.risk.level == "elevated"  # the score shown is the full one
    rec = profile.recommendation
    assert (rec.rule, rec.action) == ("contract.clean", "proceed")
    thin = [r for r in rec.reasons if r.id == "thin_risk"]
    assert len(thin) == 1 and thin[0].evidence == ("7",)
    assert "одном-двух" in thin[0].ru and "one or two" in thin[0].en


def test_risk_spread_over_several_messages_still_gets_safeguards() -> None:
    labels = {3: ("discount_request",), 6: ("unrealistic_expectations",), 9: ("dissatisfaction",)}
    labels[11] = ("meeting_pressure",)  # two medium and two low labels, no pattern twice
    profile = build_profile(_chat(labels), make_case(stage="contract"))
    assert profile.archetypes == ()
    assert profile.recommendation.action == "proceed_with_safeguards"
    assert "thin_risk" not in {r.id for r in profile.recommendation.reasons}


def test_steady_leaves_out_the_two_heaviest_labelled_messages() -> None:
    msgs = _chat({2: ("deadline_pressure",), 5: ("manipulation",), 8: ("arrogance",), 10: ("indecision",)})
    result = steady(msgs, {}, 0.0, None)
    assert result.left_out == ("5", "8")  # high (3), then medium (2); low ones stay
    assert result.risk.weight == 2 * 1.0  # the two low labels (no conversation signals passed)


def test_a_trend_that_rises_only_without_the_labels_is_not_rising() -> None:
    full = Risk(10, "low", "stable", 1.0, 0.1)
    only_steady = Risk(10, "low", "rising", 1.0, 0.1)
    assert decide(Situation("contract", frozenset(), full, steady=only_steady))[1] == "proceed"
    elevated = Risk(30, "elevated", "stable", 4.0, 0.33)
    assert (
        decide(Situation("contract", frozenset(), elevated, steady=elevated))[1] == "proceed_with_safeguards"
    )
    assert decide(Situation("presale", frozenset(), elevated, steady=full))[1] == "proceed"
    high = Risk(60, "high", "stable", 9.0, 0.9)  # high is read on the full risk
    assert decide(Situation("presale", frozenset(), high, steady=full))[1] == "pilot_first"
