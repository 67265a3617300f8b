"""A revision limit written as a list entry: "Правки — 2 итерации", "Revisions: 2 iterations".

QA pass 7: a freelancer's contract or price list puts the count after a dash or a colon.
``contract check`` said "Лимит правок: нет — каждая новая правка бесплатна" / "No limit on
revisions", and ``contract add`` stored no limit, so revision rounds were never counted
against one. A number that is a turnaround time ("Правки — 3 рабочих дня") stays no limit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts.checker import check_contract

HEAD = {
    "ru": "# Договор\n\n1. Исполнитель ведёт аккаунт Заказчика в Instagram.\n\n2. {}\n",
    "en": "# Agreement\n\n1. The Contractor manages the Client's Instagram account.\n\n2. {}\n",
}


def _check(tmp_path: Path, lang: str, text: str) -> tuple[str, int | None]:
    path = tmp_path / "c.md"
    path.write_text(HEAD[lang].format(text), encoding="utf-8")
    report = check_contract(path)
    hit = next(c for c in report.clauses if c.id == "revision_limit")
    return hit.status, report.extracted.revision_limit


@pytest.mark.parametrize(
    ("lang", "text", "limit"),
    [
        ("ru", "Правки — 2 итерации на каждый материал.", 2),
        ("ru", "Количество правок: 3.", 3),
        ("ru", "Правки - два раунда по каждому посту.", 2),
        ("en", "Revisions: 2 iterations per deliverable.", 2),
        ("en", "Number of revisions: three.", 3),
        ("en", "Revision rounds: 2.", 2),
    ],
)
def test_a_listed_revision_count_is_the_limit(tmp_path: Path, lang: str, text: str, limit: int) -> None:
    assert _check(tmp_path, lang, text) == ("present", limit)


@pytest.mark.parametrize(
    ("lang", "listed", "not_a_limit"),
    [
        ("ru", "Правки — 2 итерации.", "Правки — 3 рабочих дня на внесение."),
        ("en", "Revisions: 2 iterations.", "Revisions: 3 business days per round."),
    ],
)
def test_a_turnaround_time_after_the_dash_is_no_limit(
    tmp_path: Path, lang: str, listed: str, not_a_limit: str
) -> None:
    assert _check(tmp_path, lang, listed) == ("present", 2)
    assert _check(tmp_path, lang, not_a_limit) == ("missing", None)


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("В стоимость входят две правки по каждому посту.", 2),
        ("В стоимость входят 3 правки по каждому макету.", 3),
    ],
)
def test_a_count_of_pravki_is_the_limit(tmp_path: Path, text: str, limit: int) -> None:
    """Twenty-first session: "две правки по каждому посту" made the clause present but stored
    no limit: the number was looked for only before "правок"/"раунд"/"итерац"."""
    assert _check(tmp_path, "ru", text) == ("present", limit)
