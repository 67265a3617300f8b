"""Precision, recall and F1 from counts, shared by the evaluation commands.

A label with no gold and no predicted instance scores 1.0 (nothing to find, nothing
wrongly found): the convention of ``eval conversations`` and ``eval leads``, so a rare
archetype absent from a small set does not drag the macro average down for no reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PRF:
    """Counts of one label and the scores derived from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, pred: bool, gold: bool) -> PRF:
        """These counts plus one decision."""
        return PRF(self.tp + (pred and gold), self.fp + (pred and not gold), self.fn + (gold and not pred))

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "p": round(self.precision, 3),
            "r": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }
