"""A lead with inflated expectations starts with a paid pilot.

Fresh tuning chats written by people who never saw the rules labelled two leads who want
guaranteed results, more work inside the fee and call every forecast too modest
(``insatiable``) ``pilot_first``: a fitness studio's owner (t16-conv-08, alone) and a lead
who also could not commit (t14-conv-10). The analyser said "proceed with safeguards" for
the first. The seeds' reason for pilots and stages is this client: the client sees the
progress and claims do not pile up. Every other presale pattern keeps its action.
"""

from __future__ import annotations

from clientguard.analysis.model import Risk
from clientguard.analysis.recommend import Situation, decide

HIGH = Risk(60, "high", "stable", 0, 0)


def test_a_presale_insatiable_lead() -> None:
    cases = [
        ({"insatiable"}, "presale.expectations", "pilot_first"),
        ({"insatiable", "penny_pincher"}, "presale.expectations", "pilot_first"),
        # the harder reasons to say no, and the other unstructured leads, come first
        ({"insatiable", "anti_contract"}, "presale.hostile_or_no_paper", "decline"),
        ({"insatiable", "bad_payer"}, "presale.unpaid", "decline"),
        ({"insatiable", "indecisive"}, "presale.unstructured", "pilot_first"),
    ]
    got = [decide(Situation("presale", frozenset(a), HIGH)) for a, _, _ in cases]
    assert got == [(rule, action) for _, rule, action in cases]
    # after the contract is signed it is a matter of terms, as before
    assert decide(Situation("contract", frozenset({"insatiable"}), HIGH))[1] == "renegotiate"
