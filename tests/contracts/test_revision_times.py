"""A revision limit given as a count of times after the remarks (QA pass 6, CLI N5).

"3.1. Заказчик вправе направить замечания не более двух раз по каждому материалу" is how
many Russian contracts limit revisions, yet ``contract check`` said 'Лимит правок: нет —
каждая новая правка бесплатна', ``contract add`` stored no limit and the revision-limit
draft had no number to cite. The count may stand after the verb and the remarks ("не
более двух раз", "не более 2 (двух) раз", "не более одного раза"); a count of payments is
still no revision limit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts.checker import check_contract

# (sentence, expected status, expected extracted limit)
CASES = [
    ("Заказчик вправе направить замечания не более двух раз по каждому материалу.", "present", 2),
    ("Правки по каждому посту вносятся не более трёх раз.", "present", 3),
    ("Исполнитель вносит корректировки не более 2 (двух) раз по каждому макету.", "present", 2),
    ("Заказчик может вернуть материал на доработку не более одного раза.", "present", 1),
    ("Заказчик вправе дважды вернуть материал с замечаниями.", "present", 2),
    ("Оплата производится не более двух раз в месяц.", "missing", None),
]


@pytest.mark.parametrize(("sentence", "status", "limit"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_revision_limit_as_a_count_of_times(
    tmp_path: Path, sentence: str, status: str, limit: int | None
) -> None:
    path = tmp_path / "c.md"
    path.write_text(f"# Договор\n\n1. Исполнитель оказывает услуги.\n\n2. {sentence}\n", encoding="utf-8")
    report = check_contract(path, "ru")
    (row,) = [c for c in report.clauses if c.id == "revision_limit"]
    assert (row.status, report.extracted.revision_limit) == (status, limit)
