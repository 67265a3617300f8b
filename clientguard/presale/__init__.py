"""Presale screening: brief completeness, red flags, a decision and a draft reply.

Public API::

    screen(messages, brief, *, lang=None, contract=None, detector=True) -> Screening
    screen_files(messages_path, brief_path, *, lang=None, contract=None) -> Screening
    read_brief(path) -> str            # .md/.txt/.docx/.pdf
    read_messages(path) -> list[LeadMessage]   # plain text or a chat export
    evaluate_leads(folder, *, oracle=False, detector=True) -> LeadsReport

Rules (``rules/{ru,en}.yaml``), the decision policy (``rules/policy.yaml``) and every
word of the output (``templates/``) are data files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from clientguard.presale.evaluate import LeadsReport, evaluate_leads
    from clientguard.presale.inputs import read_brief, read_messages
    from clientguard.presale.model import (
        BriefPart,
        LeadMessage,
        Recommendation,
        RedFlag,
        Safeguards,
        Screening,
        Span,
    )
    from clientguard.presale.pipeline import screen, screen_files

# Lazy re-exports: ``clientguard screen`` should not pay for the evaluation code.
_WHERE = {
    "LeadsReport": "evaluate",
    "evaluate_leads": "evaluate",
    "read_brief": "inputs",
    "read_messages": "inputs",
    "BriefPart": "model",
    "LeadMessage": "model",
    "Recommendation": "model",
    "RedFlag": "model",
    "Safeguards": "model",
    "Screening": "model",
    "Span": "model",
    "screen": "pipeline",
    "screen_files": "pipeline",
}

__all__ = [
    "BriefPart",
    "LeadMessage",
    "LeadsReport",
    "Recommendation",
    "RedFlag",
    "Safeguards",
    "Screening",
    "Span",
    "evaluate_leads",
    "read_brief",
    "read_messages",
    "screen",
    "screen_files",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"clientguard.presale.{_WHERE[name]}"), name)
    raise AttributeError(name)
