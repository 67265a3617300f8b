"""Score the checker on a labelled folder (the format of shared/data/contracts/dev).

Every copy of a contract (.md, .docx, .pdf) is checked and scored on its own, per format,
and copies are compared with each other: the rules are meant to be format-blind, so any
difference between copies is reported as an inconsistency.

Extracted terms are scored by exact match. For the list-valued ``scope`` the specs do not
say what "exact" means, so two figures are reported: **strict** (the same strings, case-
and "ё"-folded, in the same order) and **normalised** (the same deliverables item for
item, order-free, compared as lemma/number multisets; see
:mod:`clientguard.contracts.scope_compare`). The scalar terms are compared the same way in
both; ``terms_exact`` is the strict figure, ``terms_normalised`` the normalised one.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from clientguard.contracts.checker import ContractReport, check_contract
from clientguard.contracts.clauses import normalize
from clientguard.contracts.scope_compare import scope_equal
from clientguard.errors import InputError, Where
from clientguard.labelfile import read_labels
from clientguard.taxonomy import CLAUSE_STATUSES, CLAUSES

ClauseStatus = Literal["present", "weak", "missing"]


class ClauseLabel(BaseModel):
    """Gold status of one clause (``spec/contracts.md``); the quote is informative only."""

    status: ClauseStatus
    quote: str | None = None


class ContractLabels(BaseModel):
    """What ``eval contracts`` reads from ``<id>.labels.json``: every clause, the terms."""

    lang: Literal["ru", "en"] | None = None
    clauses: dict[str, ClauseLabel]
    extracted: dict[str, Any] = Field(default_factory=dict)

    @field_validator("clauses")
    @classmethod
    def _every_clause(cls, v: dict[str, ClauseLabel]) -> dict[str, ClauseLabel]:
        missing = [c for c in CLAUSES if c not in v]
        unknown = [c for c in v if c not in CLAUSES]
        if missing or unknown:
            raise ValueError(
                f"expected the 15 clause ids of spec/contracts.md; missing {missing}, unknown {unknown}"
            )
        return v

    @field_validator("extracted")
    @classmethod
    def _scope_list(cls, v: dict[str, Any]) -> dict[str, Any]:
        scope = v.get("scope")
        if scope is not None and not (isinstance(scope, list) and all(isinstance(x, str) for x in scope)):
            raise ValueError("scope: expected a list of strings or null")
        return v


FORMATS = (".md", ".docx", ".pdf", ".txt")
TERM_FIELDS = ("revision_limit", "payment_due_days", "price", "currency", "working_hours", "scope")
SCALAR_FIELDS = TERM_FIELDS[:-1]


@dataclass(frozen=True)
class FormatScore:
    """Scores of all copies in one format."""

    fmt: str
    files: int
    clause_accuracy: float
    clause_macro_f1: float
    per_clause_f1: dict[str, float]
    per_status_f1: dict[str, float]
    terms_exact: float
    terms_scalar_exact: float
    per_field_exact: dict[str, float]
    scope_item_f1: float
    terms_normalised: float = 0.0
    scope_normalised: float = 0.0


@dataclass(frozen=True)
class EvalResult:
    """The whole evaluation: per format, overall, consistency across copies, and errors."""

    overall: FormatScore
    by_format: dict[str, FormatScore]
    consistent_copies: int
    copies_compared: int
    inconsistencies: tuple[str, ...]
    errors: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        def fs(s: FormatScore) -> dict[str, Any]:
            return {k: v for k, v in s.__dict__.items()}

        return {
            "overall": fs(self.overall),
            "by_format": {k: fs(v) for k, v in self.by_format.items()},
            "consistent_copies": self.consistent_copies,
            "copies_compared": self.copies_compared,
            "inconsistencies": list(self.inconsistencies),
            "errors": list(self.errors),
        }


def _f1(gold: Sequence[str], pred: Sequence[str], label: str) -> float | None:
    tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
    fp = sum(p == label and g != label for g, p in zip(gold, pred, strict=True))
    fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
    if tp + fp + fn == 0:
        return None
    return 2 * tp / (2 * tp + fp + fn)


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Mean F1 over the statuses that occur in gold or prediction."""
    scores = [s for s in (_f1(gold, pred, lab) for lab in CLAUSE_STATUSES) if s is not None]
    return sum(scores) / len(scores) if scores else 1.0


def _item_key(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-zа-я0-9]+", normalize(text)) if len(w) > 2 or w.isdigit()}


def scope_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Item-level F1 with a loose match (half the word stems shared): wording may differ."""
    if not gold and not pred:
        return 1.0
    used: set[int] = set()
    tp = 0
    for g in gold:
        gk = _item_key(g)
        for i, p in enumerate(pred):
            pk = _item_key(p)
            if i not in used and gk and len(gk & pk) / max(len(gk), len(pk)) >= 0.5:
                used.add(i)
                tp += 1
                break
    return 2 * tp / (len(gold) + len(pred)) if gold or pred else 1.0


def _field_equal(name: str, gold: Any, pred: Any) -> bool:
    if name == "price":
        return gold == pred or (
            gold is not None and pred is not None and abs(float(gold) - float(pred)) < 0.005
        )
    if name == "scope":
        # strict: the labelled strings in the labelled order (case and "ё" folded only)
        return [normalize(x).strip() for x in gold or []] == [normalize(x).strip() for x in pred or []]
    return bool(gold == pred)


def _score(fmt: str, rows: list[tuple[dict[str, Any], ContractReport]]) -> FormatScore:
    gold_s: list[str] = []
    pred_s: list[str] = []
    per_clause: dict[str, tuple[list[str], list[str]]] = {c: ([], []) for c in CLAUSES}
    field_hits: dict[str, int] = defaultdict(int)
    scope_scores: list[float] = []
    scope_norm = 0
    for labels, report in rows:
        for c in CLAUSES:
            g = labels["clauses"][c]["status"]
            p = report.status(c)
            gold_s.append(g)
            pred_s.append(p)
            per_clause[c][0].append(g)
            per_clause[c][1].append(p)
        ext = report.extracted.as_json()
        for f in TERM_FIELDS:
            field_hits[f] += _field_equal(f, labels["extracted"].get(f), ext.get(f))
        scope_scores.append(scope_f1(labels["extracted"].get("scope") or [], report.extracted.scope))
        scope_norm += scope_equal(labels["extracted"].get("scope"), report.extracted.scope)
    n = len(rows) or 1
    status_f1 = {s: _f1(gold_s, pred_s, s) for s in CLAUSE_STATUSES}
    return FormatScore(
        fmt=fmt,
        files=len(rows),
        clause_accuracy=round(
            sum(g == p for g, p in zip(gold_s, pred_s, strict=True)) / max(1, len(gold_s)), 4
        ),
        clause_macro_f1=round(macro_f1(gold_s, pred_s), 4),
        per_clause_f1={c: round(macro_f1(*per_clause[c]), 4) for c in CLAUSES},
        per_status_f1={s: round(v, 4) for s, v in status_f1.items() if v is not None},
        terms_exact=round(sum(field_hits.values()) / (n * len(TERM_FIELDS)), 4),
        terms_scalar_exact=round(sum(field_hits[f] for f in SCALAR_FIELDS) / (n * len(SCALAR_FIELDS)), 4),
        per_field_exact={f: round(field_hits[f] / n, 4) for f in TERM_FIELDS},
        scope_item_f1=round(sum(scope_scores) / n, 4),
        terms_normalised=round(
            (sum(field_hits[f] for f in SCALAR_FIELDS) + scope_norm) / (n * len(TERM_FIELDS)), 4
        ),
        scope_normalised=round(scope_norm / n, 4),
    )


def _signature(report: ContractReport, with_scope: bool) -> tuple[Any, ...]:
    ext = report.extracted.as_json()
    if not with_scope:
        ext.pop("scope")
    return (tuple(c.status for c in report.clauses), json.dumps(ext, sort_keys=True, ensure_ascii=False))


def evaluate_dir(folder: Path) -> EvalResult:
    """Check every labelled contract copy under ``folder`` and score it."""
    label_files = sorted(folder.glob("*.labels.json"))
    if not label_files:
        raise InputError("no *.labels.json files (expected the contracts dev-set layout)", Where(str(folder)))
    by_fmt: dict[str, list[tuple[dict[str, Any], ContractReport]]] = defaultdict(list)
    everything: list[tuple[dict[str, Any], ContractReport]] = []
    errors: list[str] = []
    inconsistencies: list[str] = []
    compared = consistent = 0
    for lab in label_files:
        labels = read_labels(lab, ContractLabels)[1]
        stem = lab.name[: -len(".labels.json")]
        reports: list[ContractReport] = []
        if not any((folder / f"{stem}{ext}").is_file() for ext in FORMATS):
            # a label without its contract (renamed, not copied) was silently left out, and
            # a folder of such labels scored "macro F1 1.000" over no file at all (QA pass 7)
            errors.append(f"{lab.name}: no contract beside it ({', '.join(stem + e for e in FORMATS)})")
        for ext in FORMATS:
            path = folder / f"{stem}{ext}"
            if not path.is_file():
                continue
            try:
                report = check_contract(path, lang=labels.get("lang"))
            except Exception as exc:  # a broken copy is an eval finding, not a crash
                errors.append(f"{path.name}: {exc}")
                continue
            reports.append(report)
            by_fmt[ext.lstrip(".")].append((labels, report))
            everything.append((labels, report))
        for other in reports[1:]:
            compared += 1
            if _signature(other, True) == _signature(reports[0], True):
                consistent += 1
            else:
                diff = [
                    f"{a.id}: {a.status}≠{b.status}"
                    for a, b in zip(reports[0].clauses, other.clauses, strict=True)
                    if a.status != b.status
                ]
                inconsistencies.append(
                    f"{stem}: {reports[0].fmt} vs {other.fmt}: {', '.join(diff) or 'terms differ'}"
                )
    if not everything:
        raise InputError(f"no labelled contract could be scored: {'; '.join(errors)}", Where(str(folder)))
    return EvalResult(
        overall=_score("all", everything),
        by_format={k: _score(k, v) for k, v in sorted(by_fmt.items())},
        consistent_copies=consistent,
        copies_compared=compared,
        inconsistencies=tuple(inconsistencies),
        errors=tuple(errors),
    )
