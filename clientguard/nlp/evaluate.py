"""Quality metrics for message signals: per-signal P/R/F1, micro/macro F1, neutral FP rate.

Shared by ``clientguard eval signals``, the benchmark and the regression test so that
every number we quote is computed the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clientguard.errors import MalformedRecordError, Where, msg
from clientguard.jsonl import iter_objects
from clientguard.taxonomy import SIGNALS


@dataclass(frozen=True)
class PRF:
    """Precision, recall, F1 and support of one signal."""

    precision: float
    recall: float
    f1: float
    support: int
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True)
class Report:
    """Evaluation of one labelled set."""

    n: int
    per_signal: dict[str, PRF]
    micro_f1: float
    macro_f1: float
    neutral_fp_rate: float
    n_neutral: int
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "micro_f1": round(self.micro_f1, 4),
            "macro_f1": round(self.macro_f1, 4),
            "neutral_fp_rate": round(self.neutral_fp_rate, 4),
            "n_neutral": self.n_neutral,
            "per_signal": {
                s: {
                    "precision": round(p.precision, 4),
                    "recall": round(p.recall, 4),
                    "f1": round(p.f1, 4),
                    "support": p.support,
                }
                for s, p in self.per_signal.items()
            },
        }


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]]) -> Report:
    """Compare gold and predicted label sets (same order)."""
    if len(gold) != len(pred):
        raise ValueError(f"expected equal lengths, got {len(gold)} gold and {len(pred)} predicted")
    per: dict[str, PRF] = {}
    ttp = tfp = tfn = 0
    neutral = neutral_fp = 0
    gs = [set(g) for g in gold]
    ps = [set(p) for p in pred]
    for g, p in zip(gs, ps, strict=True):
        if not g:
            neutral += 1
            neutral_fp += bool(p)
    present = [s for s in SIGNALS if any(s in g for g in gs)]
    for s in SIGNALS:
        tp = sum(1 for g, p in zip(gs, ps, strict=True) if s in g and s in p)
        fp = sum(1 for g, p in zip(gs, ps, strict=True) if s not in g and s in p)
        fn = sum(1 for g, p in zip(gs, ps, strict=True) if s in g and s not in p)
        pr, rc, f = _f1(tp, fp, fn)
        per[s] = PRF(pr, rc, f, tp + fn, tp, fp, fn)
        ttp, tfp, tfn = ttp + tp, tfp + fp, tfn + fn
    macro = sum(per[s].f1 for s in present) / len(present) if present else 0.0
    fp_rate = neutral_fp / neutral if neutral else 0.0
    return Report(len(gs), per, _f1(ttp, tfp, tfn)[2], macro, fp_rate, neutral)


def read_labelled(path: Path) -> list[dict[str, Any]]:
    """Read a labelled JSONL set (``spec/datasets.md``); malformed lines raise with a line number."""
    out: list[dict[str, Any]] = []
    with path.open("rb") as fh:
        for no, rec in iter_objects(fh, str(path)):
            if not isinstance(rec.get("text"), str):
                raise MalformedRecordError(msg("evaluate.no_text"), Where(str(path), f"line {no}"))
            labels = rec.get("labels")
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise MalformedRecordError(msg("evaluate.labels_not_list"), Where(str(path), f"line {no}"))
            unknown = [x for x in labels if x not in SIGNALS]
            if unknown:
                said = msg("evaluate.unknown_signals", ids=unknown, known=", ".join(SIGNALS))
                raise MalformedRecordError(said, Where(str(path), f"line {no}"))
            out.append(rec)
    return out


def evaluate_records(records: Sequence[dict[str, Any]]) -> Report:
    """Run the analyser over labelled records and score it."""
    from clientguard.nlp.api import analyze_texts

    res = analyze_texts([r["text"] for r in records], [r.get("lang") for r in records])
    rep = score([r["labels"] for r in records], [a.labels for a in res])
    errs = [
        {"id": r.get("id"), "text": r["text"], "gold": sorted(r["labels"]), "pred": sorted(a.labels)}
        for r, a in zip(records, res, strict=True)
        if set(r["labels"]) != set(a.labels)
    ]
    return Report(rep.n, rep.per_signal, rep.micro_f1, rep.macro_f1, rep.neutral_fp_rate, rep.n_neutral, errs)
