"""Revision rounds per deliverable, counted from the conversation against the contract limit.

A round is: the specialist delivers something, then the client asks for changes (one or
several messages until the next delivery count as ONE round, as contracts usually define
a round as one consolidated set of comments). An approval closes the deliverable. The
phrases live in ``rules/revisions_<lang>.yaml``; the message-signal detector is not used
here, so this works before it exists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from clientguard.contracts.clauses import detect_lang, normalize
from clientguard.domain import Message, Role

RULES_DIR = Path(__file__).resolve().parent / "rules"


@dataclass(frozen=True)
class PhraseTable:
    """Compiled delivery / change-request / approval phrases of one language."""

    version: str
    delivery: tuple[re.Pattern[str], ...]
    change_request: tuple[re.Pattern[str], ...]
    approval: tuple[re.Pattern[str], ...]


@cache
def load_phrases(lang: str) -> PhraseTable:
    data: dict[str, Any] = yaml.safe_load((RULES_DIR / f"revisions_{lang}.yaml").read_text(encoding="utf-8"))

    def comp(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in data.get(key) or ())

    return PhraseTable(str(data["version"]), comp("delivery"), comp("change_request"), comp("approval"))


@dataclass(frozen=True)
class Deliverable:
    """One deliverable's history: when delivered, how many rounds, whether approved."""

    name: str
    delivered_at: datetime | None
    rounds: int
    limit: int | None
    approved: bool
    evidence: tuple[str, ...] = field(default=())  # source ids of the change-request messages

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.rounds > self.limit

    def as_json(self) -> dict[str, object]:
        return {
            "deliverable": self.name,
            "delivered_at": self.delivered_at.isoformat() if self.delivered_at else None,
            "rounds": self.rounds,
            "limit": self.limit,
            "over_limit": self.over_limit,
            "approved": self.approved,
            "evidence": list(self.evidence),
        }


def classify(text: str, lang: str | None = None, role: Role = Role.CLIENT) -> str | None:
    """Read one message as "delivery", "change_request", "approval" or None.

    The author decides the reading: "внесла правки, отправляю" from the specialist is a
    delivery; "правки: ..." from the client is a change request.
    """
    lang = lang or detect_lang(text)
    table = load_phrases(lang if lang in ("ru", "en") else "ru")
    norm = normalize(text)
    if role == Role.SPECIALIST:
        return "delivery" if any(p.search(norm) for p in table.delivery) else None
    if any(p.search(norm) for p in table.approval):
        return "approval"
    if any(p.search(norm) for p in table.change_request):
        return "change_request"
    return None


def _kind(text: str, lang: str) -> str | None:
    from clientguard.contracts.scope import _canon, _lemmas

    kinds = sorted(t[1:] for t in _canon(_lemmas(text, lang), lang) if t.startswith("@"))
    return kinds[0] if kinds else None


@dataclass
class _Open:
    name: str
    delivered_at: datetime | None
    rounds: int = 0
    awaiting: bool = True  # delivered, no comments yet since the last delivery
    approved: bool = False
    evidence: list[str] = field(default_factory=list)


def count_rounds(messages: Sequence[Message], limit: int | None = None) -> list[Deliverable]:
    """Deliverables with their revision rounds, in order of first delivery.

    A delivery naming a kind ("макет", "video") continues the open deliverable of that kind
    if it had change requests, else starts a new one; an unnamed delivery continues the
    latest open deliverable that is waiting for a fix.
    """
    items: list[_Open] = []
    counter = 0
    for msg in messages:
        if not msg.text.strip():
            continue
        lang = detect_lang(msg.text)
        kind = classify(msg.text, lang, msg.role)
        if kind is None:
            continue
        if msg.role == Role.SPECIALIST and kind == "delivery":
            name = _kind(msg.text, lang)
            target = next(
                (
                    i
                    for i in reversed(items)
                    if not i.approved and not i.awaiting and (name is None or i.name.startswith(name))
                ),
                None,
            )
            if target is None:
                counter += 1
                items.append(_Open(f"{name or 'deliverable'} #{counter}", msg.timestamp))
            else:
                target.awaiting = True
        elif msg.role == Role.CLIENT and items:
            current = next((i for i in reversed(items) if not i.approved), None)
            if current is None:
                continue
            if kind == "approval":
                current.approved = True
            elif kind == "change_request":
                if current.awaiting:
                    current.rounds += 1
                    current.awaiting = False
                current.evidence.append(msg.source_id)
    return [
        Deliverable(i.name, i.delivered_at, i.rounds, limit, i.approved, tuple(i.evidence)) for i in items
    ]
