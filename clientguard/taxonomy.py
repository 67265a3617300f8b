"""The stable ids of ``spec/signals.md`` and ``spec/contracts.md``.

Everything that labels, scores, reports or evaluates uses these strings; tests check
that the data files (rules, templates) name only ids from here.
"""

from __future__ import annotations

from typing import Final

SIGNALS: Final[tuple[str, ...]] = (
    "insult",
    "obscenity",
    "arrogance",
    "nitpicking",
    "dissatisfaction",
    "unrealistic_expectations",
    "expertise_dismissal",
    "meeting_pressure",
    "vague_requirements",
    "deadline_pressure",
    "payment_delay",
    "discount_request",
    "scope_creep",
    "manipulation",
    "contract_avoidance",
    "indecision",
    "stonewalling",
    "off_hours_demand",
)

# Severity of each message signal for the risk score (spec §1; tunable).
SEVERITY: Final[dict[str, str]] = {
    **{s: "high" for s in ("insult", "obscenity", "manipulation", "payment_delay", "contract_avoidance")},
    **{
        s: "medium"
        for s in (
            "arrogance",
            "scope_creep",
            "discount_request",
            "expertise_dismissal",
            "stonewalling",
            "off_hours_demand",
            "unrealistic_expectations",
        )
    },
    **{
        s: "low"
        for s in (
            "nitpicking",
            "dissatisfaction",
            "meeting_pressure",
            "vague_requirements",
            "deadline_pressure",
            "indecision",
        )
    },
}

CONVERSATION_SIGNALS: Final[tuple[str, ...]] = (
    "off_hours_message",
    "message_burst",
    "revision_over_limit",
    "overdue_invoice",
    "unanswered_questions",
    "out_of_scope_request",
)

ARCHETYPES: Final[tuple[str, ...]] = (
    "abuser",
    "bad_payer",
    "know_it_all",
    "all_nighter",
    "anti_contract",
    "indecisive",
    "penny_pincher",
    "insatiable",
    "manipulator",
    "micromanager",
    "chaotic",
)

STAGES: Final[tuple[str, ...]] = ("presale", "contract")

ACTIONS: Final[tuple[str, ...]] = (
    "proceed",
    "proceed_with_safeguards",
    "pilot_first",
    "set_boundaries",
    "escalate",
    "renegotiate",
    "terminate",
    "decline",
)

CLAUSES: Final[tuple[str, ...]] = (
    "scope",
    "deadlines",
    "acceptance",
    "revision_limit",
    "change_procedure",
    "extra_work_payment",
    "payment_terms",
    "late_payment_penalty",
    "communication_rules",
    "working_hours",
    "conduct",
    "stages_reporting",
    "written_confirmation",
    "suspension",
    "termination",
)

CLAUSE_STATUSES: Final[tuple[str, ...]] = ("present", "weak", "missing")

BRIEF_PARTS: Final[tuple[str, ...]] = (
    "goal",
    "kpi",
    "audience",
    "budget",
    "timeline",
    "materials",
    "approver",
    "baseline",
    "channels",
)
