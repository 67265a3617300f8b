"""The days of an overdue invoice in the report's record signals are worded by count (QA7).

The English report said "invoice INV-0901: overdue, 1 days overdue" (and "overdue" twice);
the Russian one "дней просрочки 1". The count now takes its word form in both languages.
"""

from __future__ import annotations

import pytest

from clientguard.report.html import detail_text


@pytest.mark.parametrize(
    ("days", "status", "lang", "said"),
    [("1", "overdue", "en", "invoice 7: overdue by 1 day"),
     ("10", "overdue", "en", "invoice 7: overdue by 10 days"),
     ("3", "paid_late", "en", "invoice 7: paid late by 3 days"),
     ("1", "overdue", "ru", "счёт 7: просрочен на 1 день"),
     ("3", "overdue", "ru", "счёт 7: просрочен на 3 дня"),
     ("11", "overdue", "ru", "счёт 7: просрочен на 11 дней"),
     ("21", "partly_paid_overdue", "ru", "счёт 7: частично, просрочен на 21 день")],
)  # fmt: skip
def test_overdue_days_are_worded_by_count(days: str, status: str, lang: str, said: str) -> None:
    assert detail_text({"invoice": "7", "days_overdue": days, "status": status}, lang) == said
