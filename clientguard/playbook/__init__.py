"""Reply drafts for the situations of the playbook (spec/signals.md §4).

Public API::

    render_reply(situation, facts: ReplyFacts, tone="neutral", lang="ru") -> str
    situations_for(action, signals) -> list[str]     # which replies fit a recommendation
    situation_ids(), get_situation(id), payment_situation(days_overdue)

Templates are data (``templates/<lang>/<situation>.j2``) and the registry is data
(``situations.yaml``). Names are re-exported lazily so that ``analyze`` can ask
:func:`situations_for` without importing Jinja2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from clientguard.playbook.facts import ReplyFacts, facts_from_strings
    from clientguard.playbook.render import render_reply
    from clientguard.playbook.situations import (
        LANGS,
        TONES,
        Situation,
        all_situations,
        get_situation,
        payment_situation,
        situation_ids,
        situations_for,
    )

__all__ = [
    "LANGS",
    "TONES",
    "ReplyFacts",
    "Situation",
    "all_situations",
    "facts_from_strings",
    "get_situation",
    "payment_situation",
    "render_reply",
    "situation_ids",
    "situations_for",
]

_WHERE = {
    "ReplyFacts": "facts",
    "facts_from_strings": "facts",
    "render_reply": "render",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(name)
    import importlib

    module = importlib.import_module(f"clientguard.playbook.{_WHERE.get(name, 'situations')}")
    return getattr(module, name)
