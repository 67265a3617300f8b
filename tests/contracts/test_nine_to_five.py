"""Working hours typed the English way, "Mon-Fri 9-5", are read as 09:00-05:00 and refused;
the refusal now names the fix ("for 5 pm write 17:00 or 5pm"), and only when it is one
(helper 128, English day)."""

from __future__ import annotations

import pytest

from clientguard.contracts.validate import hours_span


@pytest.mark.parametrize(
    ("start", "end", "hint"),
    [
        ("09:00", "05:00", "for 5 pm write 17:00 or 5pm"),
        ("10:00", "06:30", "for 6 pm write 18:30 or 6pm"),
        ("22:00", "06:00", None),  # 18:00 would not be after 22:00 either: no hint
        ("09:00", "00:00", None),
    ],
)
def test_an_end_before_the_start_names_the_pm_fix(start: str, end: str, hint: str | None) -> None:
    with pytest.raises(ValueError, match="hours over midnight are not supported") as err:
        hours_span(start, end)
    assert (hint in str(err.value)) if hint else ("pm" not in str(err.value))


def test_a_right_span_passes() -> None:
    assert hours_span("09:00", "17:30") == ("09:00", "17:30")
