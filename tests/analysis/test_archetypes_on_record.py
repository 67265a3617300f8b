"""A pattern the records confirm is an archetype, however long the chat around it.

The case (tuning chat t16-conv-02, retold here in other words): a client writes eighteen
messages, twice ties or refuses payment in writing, and leaves the month's invoice unpaid.
The writer labelled him a bad payer; the analyser did not, because three units in eighteen
messages are below one in five, and only two overdue invoices fired the archetype on
records alone. An unpaid invoice is a fact, not a reading of text: with two messages
saying the same, the pattern is there (``archetypes`` rule 3). One message and one
record stay below it (tuning chat t10-conv-08: one deferral and one late invoice, not a
bad payer), and so do messages alone below the share.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from analysis_helpers import make_case, make_msg

from clientguard.analysis.archetypes import MIN_RATE, Unit, detect
from clientguard.analysis.profile import build_profile
from clientguard.domain import Role

T0 = datetime(2026, 3, 2, 11, 0, tzinfo=ZoneInfo("America/Chicago"))


def _units(messages: int, records: int) -> list[Unit]:
    units = [Unit(f"m{i}", frozenset({"payment_delay"})) for i in range(messages)]
    units += [Unit(f"invoice:{i}", frozenset({"overdue_invoice"}), record=True) for i in range(records)]
    return units


def test_an_unpaid_invoice_and_two_deferrals_make_a_bad_payer_in_a_long_chat() -> None:
    (hit,) = detect(_units(2, 1), 18)
    assert hit.id == "bad_payer" and hit.rate < MIN_RATE
    assert hit.confidence == 0.75  # firm, at the threshold's confidence
    assert hit.evidence == ("m0", "m1", "invoice:0")
    # below it the share still decides
    assert detect(_units(1, 1), 18) == ()  # one message and one record
    assert detect(_units(3, 0), 18) == ()  # three messages in eighteen, no record
    assert [h.id for h in detect(_units(1, 1), 8)] == ["bad_payer"]  # two units in eight


def test_end_to_end_a_client_who_twice_refuses_to_pay_an_overdue_invoice() -> None:
    spec = Role.SPECIALIST
    msgs = []
    for day in range(16):  # sixteen neutral client messages over the month, answered
        t = T0 + timedelta(days=day * 2)
        msgs.append(make_msg(f"s{day}", t, "Here's the draft for this week's posts", role=spec))
        msgs.append(make_msg(f"c{day}", t + timedelta(hours=1), "ok, looks good"))
    late = T0 + timedelta(days=40)
    msgs.append(make_msg("p1", late, "you get paid when I see more people coming in", ("payment_delay",)))
    msgs.append(make_msg("p2", late + timedelta(days=3), "forget about the April money", ("payment_delay",)))
    case = make_case(
        stage="contract",
        timezone="America/Chicago",
        contract={"signed": True, "scope": ["12 posts a month"], "payment_due_days": 7},
        invoices=[{"id": "GB-4", "amount": 1500, "issued": "2026-04-01", "due": "2026-04-08"}],
    )
    profile = build_profile(msgs, case, label_source="oracle")
    assert [a.id for a in profile.archetypes] == ["bad_payer"]
    assert set(profile.archetypes[0].evidence) == {"p1", "p2", "invoice:GB-4"}
    assert profile.recommendation.action == "renegotiate"
