"""Language packs and reply templates: complete for every id, rendered for every action."""

from __future__ import annotations

import pytest

from clientguard.presale.decide import decide
from clientguard.presale.flags import severity
from clientguard.presale.model import BriefPart, RedFlag
from clientguard.presale.reply import load_pack, pilot_text, render_reasons, render_reply
from clientguard.taxonomy import BRIEF_PARTS, CLAUSES

REASON_KEYS = {
    "many_high", "score", "decline_signal", "decline_signal_partial", "combo", "unclear", "unneutralisable",
    "key_missing", "thin_brief", "neutralisable", "gaps", "unsure", "clean", "brief", "brief_complete",
    "flag", "flag_noquote", "no_detector", "detector_failed", "contract_present", "contract_gaps",
}  # fmt: skip


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_pack_is_complete(lang: str) -> None:
    pack = load_pack(lang)
    assert set(pack.parts) == set(BRIEF_PARTS)
    assert set(pack.questions) == set(BRIEF_PARTS)
    assert set(pack.clauses) == set(CLAUSES)
    assert set(pack.actions) == {"proceed", "proceed_with_safeguards", "pilot_first", "decline"}
    assert set(pack.reasons) == REASON_KEYS


CASES = {
    "proceed": ((), ()),
    "proceed_with_safeguards": (("discount_request", "scope_creep"), ("approver",)),
    "pilot_first": (("vague_requirements",), ("channels", "kpi")),
    "decline": (("insult", "obscenity"), ()),
}


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("action", list(CASES))
def test_every_action_renders(lang: str, action: str) -> None:
    signals, missing = CASES[action]
    parts = [BriefPart(p, p not in missing) for p in BRIEF_PARTS]
    flags = [RedFlag(s, severity(s), None) for s in signals]
    verdict = decide(flags, parts)
    assert verdict.action == action
    pack = load_pack(lang)
    pilot = pilot_text(verdict, parts, pack)
    reply = render_reply(verdict, parts, flags, pack, pilot, verdict.clauses)
    reasons = render_reasons(verdict, pack)
    assert reply and reasons
    assert "{" not in reply and "{" not in " ".join(reasons)
    for m in missing:
        assert (pack.questions[m] in reply) == (action != "decline")
    if action == "pilot_first":
        assert pilot is not None and pilot in reply
    if action == "proceed_with_safeguards":
        assert pack.signal_lines["scope_creep"] in reply
        assert all(pack.clauses[c] in reply for c in verdict.clauses)


def test_pilot_offer_is_grammatical_in_russian() -> None:
    """QA pass 5, N6: "Предлагаю начать с платный пилот на 2 недели" (a nominative after «с»)."""
    signals, missing = CASES["pilot_first"]
    parts = [BriefPart(p, p not in missing) for p in BRIEF_PARTS]
    flags = [RedFlag(s, severity(s), None) for s in signals]
    verdict = decide(flags, parts)
    pack = load_pack("ru")
    pilot = pilot_text(verdict, parts, pack)
    assert pilot is not None and pilot.startswith("платный пилот")
    reply = render_reply(verdict, parts, flags, pack, pilot, verdict.clauses)
    assert "начать с платный" not in reply
    assert f"Предлагаю для начала {pilot}." in reply
