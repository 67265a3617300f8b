"""The line ``analyze FILE`` prints about the store: grammatical for every count.

QA3 F6: "База: 2 новых сообщений, 0 уже были" and "Store: 1 new messages": the counts
were put before a noun in one fixed form. The sentence now names the count after the noun.
"""

from __future__ import annotations

import pytest

from clientguard.report.i18n import t


@pytest.mark.parametrize("n", [0, 1, 2, 5, 21, 22, 111])
def test_store_line_reads_right_for_any_count(n: int) -> None:
    ru = t("ui", "stored", "ru").format(new=n, old=n)
    en = t("ui", "stored", "en").format(new=n, old=n)
    assert ru == f"База: новых сообщений — {n}, уже были в базе — {n}"
    assert en == f"Store: {n} new, {n} already stored"
