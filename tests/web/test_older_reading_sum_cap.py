"""The client page's "read otherwise by an older version" notice words a late-fee sum cap."""

from __future__ import annotations

from clientguard.contracts.terms import SumCap
from clientguard.web.older_reading import value_text


def test_a_sum_cap_is_worded_not_printed_raw() -> None:
    # before: "10000 RUB" (the cap's plain str), beside worded sums everywhere else on the page
    assert value_text("late_fee_cap_sum", SumCap(10000.0, "RUB"), "ru") == "не более 10\u00a0000\u00a0₽ всего"
    assert value_text("late_fee_cap_sum", SumCap(500.0, "USD"), "en") == "at most 500\u00a0USD in total"
