"""The JSON shape of a profile (``clientguard analyze --json``): a stable contract.

The top-level names ``client``, ``risk``, ``archetypes``, ``recommendation``,
``contacts``, ``conversation_signals`` and ``messages`` are promised to users and
tests; more keys may be added, none of these renamed. Texts appear in the chosen
language under ``text`` and in both languages under ``ru``/``en``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from clientguard.analysis.model import ArchetypeHit, ClientProfile, Risk


def _risk(r: Risk) -> dict[str, Any]:
    return {
        "score": r.score,
        "level": r.level,
        "trend": r.trend,
        "weight": r.weight,
        "density": r.density,
        "recent_density": r.recent_density,
        "baseline_density": r.baseline_density,
    }


def _arch(a: ArchetypeHit) -> dict[str, Any]:
    return {
        "id": a.id,
        "confidence": a.confidence,
        "evidence": list(a.evidence),
        "support": a.support,
        "rate": a.rate,
        "kinds": list(a.kinds),
        "emerging": a.emerging,
    }


def profile_to_dict(p: ClientProfile, lang: str = "ru") -> dict[str, Any]:
    """A JSON-ready dict of the profile (see the module docstring for the contract)."""
    rec = p.recommendation
    return {
        "client": p.client,
        "company": p.company,
        "stage": p.stage,
        "stage_assumed": "stage" in p.assumed_defaults,  # no case file set it: the default
        "label_source": p.label_source,
        "reference_time": p.reference_time.isoformat() if p.reference_time else None,
        "assumed_defaults": list(p.assumed_defaults),
        "timezone": p.timezone,
        "country": p.country,
        "risk": _risk(p.risk),
        "archetypes": [_arch(a) for a in p.archetypes],
        # a high/critical risk no archetype explains: its leading pattern(s), below the rule
        "emerging_archetypes": [_arch(a) for a in p.emerging],
        "recommendation": {
            "action": rec.action,
            "rule": rec.rule,
            "switch_to_contact": rec.switch_to_contact,
            "reasons": [
                {
                    "id": r.id,
                    "text": r.ru if lang == "ru" else r.en,
                    "ru": r.ru,
                    "en": r.en,
                    "evidence": list(r.evidence),
                }
                for r in rec.reasons
            ],
            "steps": [
                {"id": s.id, "text": s.ru if lang == "ru" else s.en, "ru": s.ru, "en": s.en}
                for s in rec.steps
            ],
        },
        "contacts": [
            {
                "from_id": c.from_id,
                "name": c.name,
                "messages": c.client_messages,
                "risk": _risk(c.risk),
                "archetypes": [_arch(a) for a in c.archetypes],
                "signals": c.signal_counts,
            }
            for c in p.contacts
        ],
        "conversation_signals": [
            {
                "id": s.id,
                "count": s.count,
                "evidence": list(s.evidence),
                "details": [dict(d) for d in s.details],
            }
            for s in p.conversation_signals
        ],
        "message_signals": p.message_signals,
        "response_latency_hours": p.response_latency_hours,
        "revisions": [asdict(r) for r in p.revisions],
        "invoices": [asdict(i) for i in p.invoices],
        "weekly": [asdict(w) for w in p.weekly],
        "messages": [
            {
                "id": m.id,
                "from_id": m.sender_key,
                "role": m.role.value,
                "timestamp": m.timestamp.isoformat() if m.timestamp else None,
                "labels": list(m.labels),
                # a client's forward: its labels are shown, not counted (AnalyzedMessage.counted)
                "forwarded_from": m.forwarded_from,
                "counted": m.counted,
            }
            for m in p.messages
        ],
    }
