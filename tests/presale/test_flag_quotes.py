"""The quote beside a detector's red flag is about that flag (QA pass 7).

A one-paragraph English lead was screened: the statistical layer's evidence (the whole
message) came first, so the reasons read "red flag 'payment delay': Hi! We're a small
skincare brand launching next month…", words with nothing about payment, though a rule had
marked "pay once" further on. A rule's span now wins over the model's whole message, and a
flag only the model raised is quoted by the sentence holding the words it weighed most.
"""

from __future__ import annotations

from collections.abc import Sequence

from clientguard.domain import Evidence, MessageAnalysis
from clientguard.presale import screen
from clientguard.presale.model import LeadMessage

LEAD = (
    "Hi! We're a small skincare brand launching next month. We need someone to run our Instagram "
    "ASAP. Budget is flexible but honestly we can't pay much upfront, we'd rather pay once we see "
    "results. My daughter has great ideas about content too."
)
PAY = LEAD.index("pay once")
MODEL = "model.signals_lr.v1"


def _flag(evidence: dict[str, tuple[Evidence, ...]]) -> str:
    def detector(texts: Sequence[str]) -> list[MessageAnalysis]:
        return [MessageAnalysis(tuple(evidence), {k: 0.9 for k in evidence}, evidence, "en") for _ in texts]

    s = screen([LeadMessage(LEAD)], detector=detector)
    flag = next(f for f in s.red_flags if f.signal == "payment_delay")
    assert flag.evidence is not None
    ev = flag.evidence
    assert LEAD[ev.start : ev.end] == ev.text  # still a verbatim span of the message
    return ev.text


def test_a_rules_span_wins_over_the_models_whole_message() -> None:
    whole = Evidence(0, len(LEAD), MODEL)
    rule = Evidence(PAY, PAY + len("pay once"), "en.payment_delay.postpone")
    assert _flag({"payment_delay": (whole, rule)}) == "pay once"


def test_a_model_only_flag_is_quoted_by_its_sentence() -> None:
    text = _flag({"payment_delay": (Evidence(0, len(LEAD), MODEL),)})
    assert "pay" in text and "skincare" not in text and "daughter" not in text, text
    assert text.startswith("Budget is flexible") and text.endswith("results."), text
