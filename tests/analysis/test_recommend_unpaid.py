"""A bad payer's recommendation: terms to renegotiate, unless it cannot be worth it.

Fresh tuning chats (s14) written by someone who never saw the rules labelled a lead who
already puts off payment before any work ``decline`` (the analyser said "proceed with
safeguards", whose first safeguard is the prepayment this lead refuses), and a contract
client who does not pay *and* brings chaos at critical risk ``terminate`` (the analyser
said "renegotiate": new terms the client would not pay for either). A bad payer alone, or
with other money patterns, stays a matter of terms.
"""

from __future__ import annotations

import pytest

from clientguard.analysis.model import Risk
from clientguard.analysis.recommend import Situation, decide

CRITICAL = Risk(90, "critical", "stable", 0, 0)
HIGH = Risk(60, "high", "stable", 0, 0)


@pytest.mark.parametrize(
    ("stage", "archetypes", "risk", "action"),
    [
        # contract: not paying and another, non-money burden at critical risk
        ("contract", {"bad_payer", "chaotic"}, CRITICAL, "terminate"),
        ("contract", {"bad_payer", "all_nighter"}, CRITICAL, "terminate"),
        # ... below critical, or with money patterns only, the terms are what to change
        ("contract", {"bad_payer", "chaotic"}, HIGH, "renegotiate"),
        ("contract", {"bad_payer"}, CRITICAL, "renegotiate"),
        ("contract", {"bad_payer", "penny_pincher"}, CRITICAL, "renegotiate"),
        ("contract", {"insatiable", "micromanager"}, CRITICAL, "renegotiate"),
        # presale: a lead who already defers payment
        ("presale", {"bad_payer"}, HIGH, "decline"),
        ("presale", {"bad_payer", "penny_pincher"}, CRITICAL, "decline"),
        ("presale", {"penny_pincher"}, CRITICAL, "proceed_with_safeguards"),
    ],
)
def test_bad_payer_rules(stage: str, archetypes: set[str], risk: Risk, action: str) -> None:
    assert decide(Situation(stage, frozenset(archetypes), risk))[1] == action


def test_rule_ids_name_why() -> None:
    assert decide(Situation("presale", frozenset({"bad_payer"}), HIGH))[0] == "presale.unpaid"
    rule, _ = decide(Situation("contract", frozenset({"bad_payer", "chaotic"}), CRITICAL))
    assert rule == "contract.unpaid_plus"
