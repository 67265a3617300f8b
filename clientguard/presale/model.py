"""Typed results of a presale screening.

A screening is read by people (the CLI table), by programs (``--json``) and by the
evaluation, so every verdict is a frozen dataclass that carries the quoted span it rests
on: a user must be able to see *why* a brief part counts as given or a flag fired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

# Presale-only flag ids (timing and combinations that no single message shows). They
# complement the message-signal ids of ``taxonomy.SIGNALS``/``CONVERSATION_SIGNALS``
# and are kept here until the shared taxonomy adopts them.
PRESALE_FLAGS: Final[dict[str, str]] = {
    "night_first_contact": "info",
    "demand_before_price": "medium",
    "urgent_without_inputs": "high",
    "unrealistic_kpi": "medium",
}


@dataclass(frozen=True)
class LeadMessage:
    """One message of the lead, in order; ``timestamp`` is the lead's local time if known."""

    text: str
    timestamp: datetime | None = None


@dataclass(frozen=True)
class Span:
    """A quoted piece of the input: ``source`` is ``brief`` or ``message N`` (1-based)."""

    source: str
    start: int
    end: int
    text: str
    rule: str = ""


@dataclass(frozen=True)
class BriefPart:
    """One of the nine brief parts: found or not, and the span that shows it."""

    id: str
    found: bool
    evidence: Span | None = None


@dataclass(frozen=True)
class RedFlag:
    """A warning sign with its severity (``high``/``medium``/``low``/``info``) and evidence.

    ``origin`` tells where it came from: ``signals`` (the message-signal detector),
    ``labels`` (gold labels in oracle evaluation) or ``presale`` (timing and brief rules).
    ``confidence`` is the detector's calibrated probability (1.0 for rules and labels).
    """

    signal: str
    severity: str
    evidence: Span | None
    origin: str = "presale"
    confidence: float = 1.0


@dataclass(frozen=True)
class Safeguards:
    """Concrete terms for working with a risky lead; empty for ``decline``.

    For ``proceed`` only ``clauses``/``notes``, and only with a draft contract: its weak
    and missing clauses.
    """

    prepayment_percent: int | None = None
    pilot: str | None = None
    pilot_weeks: int | None = None
    clauses: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "prepayment_percent": self.prepayment_percent,
            "pilot": ({"scope": self.pilot, "weeks": self.pilot_weeks} if self.pilot is not None else None),
            "clauses": list(self.clauses),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Recommendation:
    """The action (an id of ``taxonomy.ACTIONS``) with human reasons and safeguards."""

    action: str
    reasons: tuple[str, ...]
    safeguards: Safeguards = field(default_factory=Safeguards)
    score: float = 0.0


@dataclass(frozen=True)
class Screening:
    """Everything ``clientguard screen`` says about one lead."""

    lang: str
    recommendation: Recommendation
    brief: tuple[BriefPart, ...]
    red_flags: tuple[RedFlag, ...]
    reply: str
    rules_version: str = ""
    ui_lang: str = ""  # the language of the action's name and the reasons ("" = ``lang``)

    @property
    def found_parts(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.brief if p.found)

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` shape; key names are fixed by the issue and must not change."""
        return {
            "recommendation": {
                "action": self.recommendation.action,
                "reasons": list(self.recommendation.reasons),
                "safeguards": self.recommendation.safeguards.to_dict(),
            },
            "brief": {
                p.id: {"found": p.found, "evidence": p.evidence.text if p.evidence else None}
                for p in self.brief
            },
            "red_flags": [
                {"signal": f.signal, "evidence": f.evidence.text if f.evidence else None}
                for f in self.red_flags
            ],
            "reply": self.reply,
        }
