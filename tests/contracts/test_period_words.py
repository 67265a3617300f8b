"""A payment period written in words: "в течение пяти (5) рабочих дней" (QA pass 7).

Russian contracts write the count of days in words as often as in digits, usually with the
digit in brackets after it. Only "5 (пяти)" was read: "Оплата — в течение пяти (5) рабочих
дней с даты счёта" made ``contract check`` say there were no payment terms at all ("Нет
цены и срока оплаты — не с чего считать просрочку") and ``contract add`` stored no period.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts.checker import check_contract

HEAD = "# Договор\n\n1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.\n\n2. {}\n"


def _check(tmp_path: Path, text: str) -> tuple[str, int | None]:
    path = tmp_path / "c.md"
    path.write_text(HEAD.format(text), encoding="utf-8")
    report = check_contract(path)
    status = next(c.status for c in report.clauses if c.id == "payment_terms")
    return status, report.extracted.payment_due_days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Оплата — в течение пяти (5) рабочих дней с даты счёта.", 5),
        ("Заказчик оплачивает счёт в течение пяти рабочих дней.", 5),
        ("Заказчик оплачивает счёт в течение десяти календарных дней с даты его получения.", 10),
        ("Оплата производится не позднее трёх банковских дней после подписания акта.", 3),
        ("Оплата в течение пятнадцати дней с даты счёта.", 15),
    ],
)
def test_a_period_in_words_is_the_payment_period(tmp_path: Path, text: str, days: int) -> None:
    assert _check(tmp_path, text) == ("present", days)


def test_a_word_that_counts_no_days_is_no_period(tmp_path: Path) -> None:
    assert _check(tmp_path, "Заказчик оплачивает счёт в течение двух (2) рабочих дней.") == ("present", 2)
    assert _check(tmp_path, "Заказчик оплачивает счёт в течение всего срока действия договора.")[1] is None
