"""Scoring presale screening on a labelled folder of leads (``dev-lead-NN/``).

Each lead folder holds ``messages.txt``, an optional ``brief.md`` and ``labels.json``
with ``brief`` (part → bool), ``signals`` and ``expected_recommendation``. We report
decision accuracy, per-part and macro F1 of brief completeness (a part found is a
positive) and micro F1 of red flags over the message-signal ids only (presale timing
flags have no gold labels).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from clientguard.errors import InputError, Where
from clientguard.labelfile import read_labels
from clientguard.metrics import PRF
from clientguard.presale.flags import Detector
from clientguard.presale.inputs import read_brief, read_messages
from clientguard.presale.pipeline import screen
from clientguard.taxonomy import ACTIONS, BRIEF_PARTS, SIGNALS


class LeadLabels(BaseModel):
    """What ``eval leads`` reads from a lead's ``labels.json`` (``spec/contracts.md``)."""

    lang: Literal["ru", "en"] | None = None
    brief: dict[str, bool]
    signals: list[str] = Field(default_factory=list)
    expected_recommendation: str

    @field_validator("brief")
    @classmethod
    def _parts(cls, v: dict[str, bool]) -> dict[str, bool]:
        unknown = [k for k in v if k not in BRIEF_PARTS]
        if unknown:
            raise ValueError(f"unknown brief parts {unknown}; expected ids among {list(BRIEF_PARTS)}")
        return v

    @field_validator("signals")
    @classmethod
    def _signals(cls, v: list[str]) -> list[str]:
        unknown = [s for s in v if s not in SIGNALS]
        if unknown:
            raise ValueError(f"unknown signal ids {unknown}")
        return v

    @field_validator("expected_recommendation")
    @classmethod
    def _action(cls, v: str) -> str:
        if v not in ACTIONS:
            raise ValueError(f"expected one of {list(ACTIONS)}, got {v!r}")
        return v


@dataclass(frozen=True)
class LeadResult:
    """One lead: gold and predicted decision, parts and flags."""

    id: str
    lang: str
    gold_action: str
    action: str
    gold_parts: frozenset[str]
    parts: frozenset[str]
    gold_signals: frozenset[str]
    signals: frozenset[str]


@dataclass(frozen=True)
class LeadsReport:
    """The evaluation summary of ``clientguard eval leads``."""

    mode: str
    leads: tuple[LeadResult, ...]
    parts: dict[str, PRF] = field(default_factory=dict)
    flags: PRF = field(default_factory=PRF)

    @property
    def accuracy(self) -> float:
        return sum(r.action == r.gold_action for r in self.leads) / len(self.leads) if self.leads else 0.0

    @property
    def macro_f1(self) -> float:
        return sum(p.f1 for p in self.parts.values()) / len(self.parts) if self.parts else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "leads": len(self.leads),
            "decision_accuracy": round(self.accuracy, 3),
            "brief_macro_f1": round(self.macro_f1, 3),
            "brief_parts": {k: v.to_dict() for k, v in self.parts.items()},
            "by_lang": {
                lang: {
                    "leads": len(rs),
                    "decision_accuracy": round(sum(r.action == r.gold_action for r in rs) / len(rs), 3),
                }
                for lang in sorted({r.lang for r in self.leads})
                for rs in [[r for r in self.leads if r.lang == lang]]
            },
            "red_flags": self.flags.to_dict(),
            "errors": [
                {
                    "id": r.id,
                    "gold": r.gold_action,
                    "got": r.action,
                    "parts_missed": sorted(r.gold_parts - r.parts),
                    "parts_extra": sorted(r.parts - r.gold_parts),
                    "flags_missed": sorted(r.gold_signals - r.signals),
                    "flags_extra": sorted(r.signals - r.gold_signals),
                }
                for r in self.leads
                if r.action != r.gold_action or r.parts != r.gold_parts or r.signals != r.gold_signals
            ],
        }


def lead_dirs(root: Path) -> Iterator[Path]:
    """Lead folders: sub-folders holding ``labels.json`` and ``messages.txt``."""
    for d in sorted(root.iterdir()):
        if d.is_dir() and (d / "labels.json").is_file() and (d / "messages.txt").is_file():
            yield d


def evaluate_leads(
    root: str | Path, *, oracle: bool = False, detector: Detector | bool | None = True
) -> LeadsReport:
    """Screen every lead of ``root`` and score it against its labels."""
    base = Path(root)
    if not base.is_dir():
        raise InputError("expected a folder of lead folders", Where(str(base)))
    results = []
    for d in lead_dirs(base):
        labels = read_labels(d / "labels.json", LeadLabels)[1]
        brief = read_brief(d / "brief.md") if (d / "brief.md").is_file() else ""
        s = screen(
            read_messages(d / "messages.txt"),
            brief,
            detector=detector,
            oracle_signals=labels.get("signals", []) if oracle else None,
        )
        results.append(
            LeadResult(
                id=d.name,
                lang=s.lang,
                gold_action=str(labels["expected_recommendation"]),
                action=s.recommendation.action,
                gold_parts=frozenset(k for k, v in labels["brief"].items() if v),
                parts=frozenset(s.found_parts),
                gold_signals=frozenset(labels.get("signals", [])),
                signals=frozenset(f.signal for f in s.red_flags if f.signal in SIGNALS),
            )
        )
    if not results:
        raise InputError("no lead folders (with labels.json and messages.txt) found", Where(str(base)))
    parts = {}
    for pid in BRIEF_PARTS:
        prf = PRF()
        for r in results:
            prf = prf.add(pid in r.parts, pid in r.gold_parts)
        parts[pid] = prf
    flags = PRF()
    for r in results:
        for sig in SIGNALS:
            flags = flags.add(sig in r.signals, sig in r.gold_signals)
    mode = "oracle" if oracle else ("detector" if detector else "rules-only")
    return LeadsReport(mode, tuple(results), parts, flags)
