"""Evaluation over a conversation set: archetype F1, recommendation accuracy, message F1.

Two label sources: ``oracle`` (gold ``message_labels``, to measure the profile logic
alone) and ``predicted`` (``clientguard.analyze_texts``, the product end to end).
Archetypes are scored per conversation (the union over contacts, as in the labels);
message-signal F1 is micro-averaged over (client message, label) pairs in context.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from clientguard.analysis.calls import calls_from_events
from clientguard.analysis.dataset import LabelledConversation, iter_conversations, to_analyzed
from clientguard.analysis.model import AnalyzedMessage, ClientProfile
from clientguard.analysis.profile import build_profile
from clientguard.analysis.source import predict
from clientguard.domain import Role
from clientguard.errors import ConfigError, msg
from clientguard.metrics import PRF
from clientguard.taxonomy import ARCHETYPES, SIGNALS


def analyzed(conv: LabelledConversation, oracle: bool) -> list[AnalyzedMessage]:
    if oracle:
        gold = [conv.gold_labels.get(m.source_id, ()) if m.role is Role.CLIENT else () for m in conv.messages]
        return to_analyzed(conv.messages, gold)
    return predict(conv.messages)


def prf(pairs: Iterable[tuple[set[str], set[str]]], label: str) -> PRF:
    tp = fp = fn = 0
    for pred, gold in pairs:
        tp += label in pred and label in gold
        fp += label in pred and label not in gold
        fn += label not in pred and label in gold
    return PRF(tp, fp, fn)


@dataclass(frozen=True)
class ConversationResult:
    id: str
    gold_archetypes: tuple[str, ...]
    pred_archetypes: tuple[str, ...]
    expected: str | None
    predicted: str
    risk: int
    level: str


@dataclass
class EvalReport:
    mode: str
    conversations: list[ConversationResult] = field(default_factory=list)
    archetype: dict[str, PRF] = field(default_factory=dict)
    message: dict[str, PRF] = field(default_factory=dict)
    message_micro: PRF = field(default_factory=PRF)

    @property
    def archetype_macro_f1(self) -> float:
        return sum(p.f1 for p in self.archetype.values()) / len(self.archetype) if self.archetype else 0.0

    @property
    def recommendation_accuracy(self) -> float:
        scored = [c for c in self.conversations if c.expected]
        return sum(c.expected == c.predicted for c in scored) / len(scored) if scored else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "conversations": len(self.conversations),
            "archetype_macro_f1": round(self.archetype_macro_f1, 4),
            "recommendation_accuracy": round(self.recommendation_accuracy, 4),
            "message_micro_f1": round(self.message_micro.f1, 4),
            "archetypes": {
                k: {
                    "p": round(v.precision, 3),
                    "r": round(v.recall, 3),
                    "f1": round(v.f1, 3),
                    "tp": v.tp,
                    "fp": v.fp,
                    "fn": v.fn,
                }
                for k, v in self.archetype.items()
            },
            "message_signals": {
                k: {"p": round(v.precision, 3), "r": round(v.recall, 3), "f1": round(v.f1, 3)}
                for k, v in self.message.items()
            },
            "per_conversation": [
                {
                    "id": c.id,
                    "gold": list(c.gold_archetypes),
                    "pred": list(c.pred_archetypes),
                    "expected": c.expected,
                    "predicted": c.predicted,
                    "risk": c.risk,
                    "level": c.level,
                }
                for c in self.conversations
            ],
        }


def evaluate(folder: Path, oracle: bool = False) -> EvalReport:
    """Score every labelled conversation in ``folder``."""
    convs = list(iter_conversations(folder))
    if not convs:
        raise ConfigError(msg("evaluate.no_conversations", folder=str(folder)))
    report = EvalReport("oracle" if oracle else "predicted")
    arch_pairs: list[tuple[set[str], set[str]]] = []
    msg_pairs: list[tuple[set[str], set[str]]] = []
    for conv in convs:
        msgs = analyzed(conv, oracle)
        profile: ClientProfile = build_profile(
            msgs, conv.case, label_source=report.mode, calls=calls_from_events(conv.events)
        )
        pred = tuple(a.id for a in profile.archetypes)
        arch_pairs.append((set(pred), set(conv.gold_archetypes)))
        for m in profile.messages:  # read in context (send time), as the profile reads them
            if m.id in conv.gold_labels:
                msg_pairs.append((set(m.labels), set(conv.gold_labels[m.id])))
        report.conversations.append(
            ConversationResult(
                conv.id,
                conv.gold_archetypes,
                pred,
                conv.expected_recommendation,
                profile.recommendation.action,
                profile.risk.score,
                profile.risk.level,
            )
        )
    report.archetype = {a: prf(arch_pairs, a) for a in ARCHETYPES}
    report.message = {s: prf(msg_pairs, s) for s in SIGNALS}
    tp = sum(p.tp for p in report.message.values())
    fp = sum(p.fp for p in report.message.values())
    fn = sum(p.fn for p in report.message.values())
    report.message_micro = PRF(tp, fp, fn)
    return report
