"""The situation registry: which replies exist and which recommendation they serve.

The registry is data (``situations.yaml``) so that adding a reply is one YAML entry plus
two templates; this module only loads and validates it against the taxonomy, so a typo
in a signal id fails at import time in tests rather than silently never matching.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from clientguard.errors import ConfigError
from clientguard.playbook.facts import fact_names
from clientguard.taxonomy import ACTIONS, CONVERSATION_SIGNALS, SIGNALS

TONES: tuple[str, ...] = ("soft", "neutral", "firm")
LANGS: tuple[str, ...] = ("ru", "en")


@dataclass(frozen=True)
class Situation:
    """One reply situation: stable id, titles, the facts it uses, what it answers."""

    id: str
    title_ru: str
    title_en: str
    facts: tuple[str, ...]
    actions: tuple[str, ...]
    signals: tuple[str, ...]

    def title(self, lang: str) -> str:
        return self.title_ru if lang == "ru" else self.title_en


def _check_ids(where: str, got: Iterable[str], allowed: Iterable[str]) -> tuple[str, ...]:
    allowed_set = set(allowed)
    items = tuple(got)
    bad = [x for x in items if x not in allowed_set]
    if bad:
        raise ConfigError(f"situations.yaml {where}: unknown ids {bad}; expected ids from the taxonomy")
    return items


def _build(entry: dict[str, Any]) -> Situation:
    sid = str(entry["id"])
    title = entry["title"]
    return Situation(
        id=sid,
        title_ru=str(title["ru"]),
        title_en=str(title["en"]),
        facts=_check_ids(f"{sid}.facts", entry.get("facts") or (), fact_names()),
        actions=_check_ids(f"{sid}.actions", entry.get("actions") or (), ACTIONS),
        signals=_check_ids(f"{sid}.signals", entry.get("signals") or (), SIGNALS + CONVERSATION_SIGNALS),
    )


@cache
def all_situations() -> tuple[Situation, ...]:
    """All situations in registry order (the order replies are suggested in)."""
    raw = resources.files("clientguard.playbook").joinpath("situations.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    return tuple(_build(e) for e in data["situations"])


def situation_ids() -> tuple[str, ...]:
    return tuple(s.id for s in all_situations())


def get_situation(situation_id: str) -> Situation:
    for s in all_situations():
        if s.id == situation_id:
            return s
    raise ConfigError(f"unknown situation {situation_id!r}; expected one of: {', '.join(situation_ids())}")


def situations_for(action: str | None, signals: Iterable[str] = ()) -> list[str]:
    """The replies that fit a recommendation: those serving the action, then the signals.

    Situations come in registry order within each group and appear once. Unknown ids are
    a caller bug worth a clear message, so they raise :class:`ConfigError`.
    """
    if action is not None and action not in ACTIONS:
        raise ConfigError(f"unknown action {action!r}; expected one of: {', '.join(ACTIONS)}")
    sigs = list(signals)
    _known = set(SIGNALS) | set(CONVERSATION_SIGNALS)
    for s in sigs:
        if s not in _known:
            raise ConfigError(f"unknown signal {s!r}; expected an id of spec/signals.md §1 or §2")
    out: list[str] = []
    if action is not None:
        out.extend(s.id for s in all_situations() if action in s.actions)
    wanted = set(sigs)
    out.extend(s.id for s in all_situations() if wanted.intersection(s.signals) and s.id not in out)
    return out


def payment_situation(days_overdue: int) -> str:
    """The rung of the payment reminder ladder for an invoice this many days overdue.

    The ladder is the invoice tracker's (:data:`clientguard.contracts.invoices.STAGES`),
    so ``invoice list`` and the suggested reply never disagree about the stage.
    """
    from clientguard.contracts.invoices import stage_for

    stage = stage_for(max(days_overdue, 1))
    return {
        "friendly": "payment_reminder_friendly",
        "firm": "payment_reminder_firm",
    }.get(stage or "friendly", "payment_formal_claim")


#: The reply that says a revision limit is used up: it fits only when a limit is known.
REVISION_LIMIT_SITUATION = "revision_limit_reached"
#: The claim before court: it fits only with an overdue invoice on file, whose sum, days
#: and late fee it claims (QA pass 6 F5: a client with no invoice and no contract was
#: offered it, and the draft said "выставлен счёт" and named no penalty).
CLAIM_SITUATION = "payment_formal_claim"


def replies_for_profile(
    action: str,
    signals: Iterable[str],
    overdue_days: Iterable[int] = (),
    revision_limit_known: bool = True,
) -> list[str]:
    """The replies ``analyze`` lists: those fitting the action and signals, with the
    payment ladder narrowed to the rung the most overdue invoice has reached.

    With no revision limit known, "revision limit reached" is left out: nitpicking alone
    would offer a letter claiming a limit nobody agreed (its draft, asked for by name,
    then proposes agreeing one instead). With no overdue invoice the formal claim is left
    out: a payment delay in words is answered by a reminder, not by a claim of a debt that
    is on no invoice.
    """
    out = situations_for(action, signals)
    if not revision_limit_known:
        out = [s for s in out if s != REVISION_LIMIT_SITUATION]
    days = max(overdue_days, default=0)
    if days <= 0:
        out = [s for s in out if s != CLAIM_SITUATION]
    ladder = ("payment_reminder_friendly", "payment_reminder_firm", "payment_formal_claim")
    if days > 0:
        rung = payment_situation(days)
        out = [s for s in out if s not in ladder or s == rung]
        if rung not in out:
            out.append(rung)
    return out
