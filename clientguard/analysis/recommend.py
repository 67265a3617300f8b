"""Stage-aware recommendation: an ordered rule table, first match wins.

Archetypes are grouped by what they threaten (``spec/signals.md`` §4):
*hostile* (abuser, manipulator) — respect and safety; *money* (bad_payer,
penny_pincher, insatiable) — the commercial terms; *paper* (anti_contract) — the
ability to hold anyone to anything; the rest — the working process.

Contract stage: hostile + any other archetype → terminate; an abuser who is the only
person writing for the client → terminate (abuse that reached the archetype has persisted,
and there is nobody on the client's side to turn to); a bad payer who also brings a
non-money pattern (chaos, nights, pressure) at critical risk → terminate (the work costs
more than it brings and new terms would not be paid either: the spec's "end the work
professionally when toxicity persists"; a bad payer alone, or with other money patterns,
is a matter of terms → renegotiate); hostile alone otherwise → escalate
(one contact among others, or pressure rather than abuse: management or another contact
first); money →
renegotiate; any other archetype → set_boundaries; no archetype but risk high or
worse → set_boundaries, elevated or a rising trend → proceed_with_safeguards; else proceed.

Presale: hostile or paper → decline; a bad payer → decline (a lead who already puts off
or conditions payment before any work refuses the one safeguard, prepayment, that
``proceed_with_safeguards`` rests on); chaotic or indecisive → pilot_first; insatiable →
pilot_first (a lead who wants guaranteed outcomes and more for the fee, and finds every
result too little: a short paid pilot against a measurable goal tests those expectations
before a long commitment, and stages keep claims from piling up; seed 003 §6, and the
s14/s16 tuning leads t14-conv-10, t16-conv-08); any other archetype →
proceed_with_safeguards; no archetype but risk high or worse → pilot_first, elevated or
rising → proceed_with_safeguards; else proceed.

"Elevated or rising" (both stages) is read on the *steady* risk (:func:`.risk.steady`: the
risk without its two heaviest labelled messages), never on one or two readings of text:
every step above it rests on a pattern (an archetype needs two messages and one in five,
"high" needs weight on many), and this one alone could be moved by a single wrong label.
When the steady risk is lower, a reason says so (``thin_risk``) and names the messages the
risk rests on, so the user can read them and judge.

Texts (reasons, steps) are data: ``data/playbook.yaml``, Russian and English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

from clientguard.analysis.model import ArchetypeHit, Reason, Recommendation, Risk, SignalHit, Step
from clientguard.analysis.risk import SteadyRisk

HOSTILE: Final = frozenset({"abuser", "manipulator"})
MONEY: Final = frozenset({"bad_payer", "penny_pincher", "insatiable"})
PAPER: Final = frozenset({"anti_contract"})
UNSTRUCTURED: Final = frozenset({"chaotic", "indecisive"})
_SEVERE_LEVELS: Final = frozenset({"high", "critical"})


@dataclass(frozen=True)
class Situation:
    """What the rules look at."""

    stage: str
    archetypes: frozenset[str]
    risk: Risk
    #: Another contact of the client works fine (see ``recommend``'s ``switch_to``).
    other_contact: bool = False
    #: The risk without its heaviest labelled messages (:func:`.risk.steady`); None: ``risk``.
    steady: Risk | None = None

    @property
    def settled(self) -> Risk:
        """The risk the "elevated or rising" step reads (see the module docstring)."""
        return self.steady if self.steady is not None else self.risk


def _raised(risk: Risk) -> bool:
    return risk.level == "elevated" or risk.trend == "rising"


def _elevated(s: Situation) -> bool:
    """Elevated or rising, on the full risk and on the steady one (leaving older labels out
    can make a trend look rising that the full risk does not show)."""
    return _raised(s.risk) and _raised(s.settled)


Rule = Callable[[Situation], bool]

CONTRACT_RULES: Final[tuple[tuple[str, str, Rule], ...]] = (
    ("hostile_plus", "terminate", lambda s: bool(s.archetypes & HOSTILE) and len(s.archetypes) >= 2),
    ("abuser_alone", "terminate", lambda s: "abuser" in s.archetypes and not s.other_contact),
    (
        "unpaid_plus",
        "terminate",
        lambda s: "bad_payer" in s.archetypes and bool(s.archetypes - MONEY) and s.risk.level == "critical",
    ),
    ("hostile", "escalate", lambda s: bool(s.archetypes & HOSTILE)),
    ("money", "renegotiate", lambda s: bool(s.archetypes & MONEY)),
    ("process", "set_boundaries", lambda s: bool(s.archetypes)),
    ("risk_high", "set_boundaries", lambda s: s.risk.level in _SEVERE_LEVELS),
    ("risk_elevated", "proceed_with_safeguards", lambda s: _elevated(s)),
    ("clean", "proceed", lambda s: True),
)

PRESALE_RULES: Final[tuple[tuple[str, str, Rule], ...]] = (
    ("hostile_or_no_paper", "decline", lambda s: bool(s.archetypes & (HOSTILE | PAPER))),
    ("unpaid", "decline", lambda s: "bad_payer" in s.archetypes),
    ("unstructured", "pilot_first", lambda s: bool(s.archetypes & UNSTRUCTURED)),
    ("expectations", "pilot_first", lambda s: "insatiable" in s.archetypes),
    ("other_pattern", "proceed_with_safeguards", lambda s: bool(s.archetypes)),
    ("risk_high", "pilot_first", lambda s: s.risk.level in _SEVERE_LEVELS),
    ("risk_elevated", "proceed_with_safeguards", lambda s: _elevated(s)),
    ("clean", "proceed", lambda s: True),
)


@cache
def playbook() -> dict[str, Any]:
    """The playbook texts (loaded once)."""
    import yaml

    text = resources.files("clientguard.analysis").joinpath("data/playbook.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def decide(situation: Situation) -> tuple[str, str]:
    """(rule id, action) of the first matching rule for the stage."""
    rules = PRESALE_RULES if situation.stage == "presale" else CONTRACT_RULES
    for rule_id, action, test in rules:
        if test(situation):
            return f"{situation.stage}.{rule_id}", action
    raise AssertionError("the last rule always matches")  # pragma: no cover


def _text(entry: dict[str, Any], contract_known: bool = True, **fmt: str) -> tuple[str, str]:
    """The ru and en text of a playbook entry; its ``no_contract`` wording without a contract."""
    if not contract_known and entry.get("no_contract"):
        entry = entry["no_contract"]
    return str(entry["ru"]).format(**fmt), str(entry["en"]).format(**fmt)


def _emerging_reason(e: ArchetypeHit) -> Reason:
    """Why an emerging pattern is named, and why it is not an archetype (playbook ``emerging``)."""
    from clientguard.analysis.archetypes import MIN_RATE
    from clientguard.report.i18n import t

    entry = playbook()["reasons"]["emerging"]
    fmt = {"share": f"{e.rate:.0%}", "threshold": f"{MIN_RATE:.0%}", "confidence": f"{e.confidence:.0%}"}
    ru = str(entry["ru"]).format(name=t("archetypes", e.id, "ru"), **fmt)
    en = str(entry["en"]).format(name=t("archetypes", e.id, "en"), **fmt)
    return Reason(f"emerging:{e.id}", ru, en, e.evidence[:10])


def recommend(
    stage: str,
    archetypes: Sequence[ArchetypeHit],
    risk: Risk,
    signals: Sequence[SignalHit],
    switch_to: tuple[str, str] | None = None,
    message_signals: Mapping[str, int] | None = None,
    contract_known: bool = True,
    emerging: Sequence[ArchetypeHit] = (),
    steady: SteadyRisk | None = None,
) -> Recommendation:
    """The recommendation with reasons (evidence ids) and next steps.

    ``switch_to`` = (good contact name, problem contact name) when one contact is the
    problem and another works fine: the first step is then to move communication.
    ``contract_known`` False (no signed contract): steps and reasons that cite the
    contract take their ``no_contract`` wording ("о чём договорились в переписке").
    ``emerging``: the leading pattern(s) of a high risk no archetype explains; each gets a
    reason saying why it is not an archetype (its share against the threshold), and the
    action stays the one the rule table gives without an archetype.
    ``steady``: the risk without its heaviest labelled messages (:func:`.risk.steady`),
    which the "elevated or rising" step reads; None reads ``risk`` alone.
    """
    pb = playbook()
    situation = Situation(
        stage,
        frozenset(a.id for a in archetypes),
        risk,
        switch_to is not None,
        steady.risk if steady is not None else None,
    )
    rule, action = decide(situation)
    reasons: list[Reason] = []
    for a in archetypes:
        ru, en = _text(pb["reasons"][a.id])
        reasons.append(
            Reason(a.id, f"{ru} ({a.confidence:.0%})", f"{en} ({a.confidence:.0%})", a.evidence[:10])
        )
    for sig in signals:
        if sig.count and sig.id in ("overdue_invoice", "revision_over_limit", "out_of_scope_request"):
            ru, en = _text(pb["reasons"][sig.id], contract_known)
            reasons.append(Reason(sig.id, f"{ru}: {sig.count}", f"{en}: {sig.count}", sig.evidence[:10]))
    if risk.trend == "rising":
        ru, en = _text(pb["reasons"]["rising"])
        reasons.append(Reason("rising", ru, en))
    if not archetypes:
        ru, en = _text(pb["reasons"]["risk_without_archetype" if risk.level != "low" else "no_signals"])
        top = sorted((message_signals or {}).items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        if top and risk.level != "low":
            from clientguard.report.i18n import t

            ru += ": " + ", ".join(f"{t('signals', k, 'ru')} ×{n}" for k, n in top)
            en += ": " + ", ".join(f"{t('signals', k, 'en')} ×{n}" for k, n in top)
        reasons.append(Reason("risk" if risk.level != "low" else "no_signals", ru, en))
    for e in emerging:
        reasons.append(_emerging_reason(e))
    if steady is not None and rule.endswith(".clean") and _raised(risk):
        ru, en = _text(pb["reasons"]["thin_risk"])  # the risk rests on a message or two
        reasons.append(Reason("thin_risk", ru, en, steady.left_out))

    steps: list[Step] = []
    if switch_to is not None:
        ru, en = _text(pb["contact_switch"], name=switch_to[0], bad=switch_to[1])
        steps.append(Step("move_to_contact", ru, en))
        reasons.append(
            Reason(
                "contact_switch",
                f"Проблема в одном контакте: {switch_to[1]}",
                f"The problem is one contact: {switch_to[1]}",
            )
        )
    for s in pb["actions"][action]["steps"]:
        steps.append(Step(str(s["id"]), *_text(s, contract_known)))
    if action not in ("decline", "proceed"):
        for a in archetypes:
            for s in pb["archetype_steps"].get(a.id, ()):
                steps.append(Step(str(s["id"]), *_text(s, contract_known)))
    return Recommendation(action, rule, tuple(reasons), tuple(steps), switch_to[0] if switch_to else None)
