"""An English scope clause with no list or counts is one item: its first sentence, without
the party and its verb (helper 128, English day).

"The Designer will create a logo and a business card design as described in Appendix A. Any
work outside Appendix A is extra work and is quoted separately." was stored whole, and the
scope-boundary reply told the client "The agreed work currently covers: - the Designer will
create a logo … Any work outside Appendix A is extra work …".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts import check_contract


@pytest.mark.parametrize(
    ("clause", "item"),
    [
        (
            "The Designer will create a logo and a business card design as described in Appendix A. "
            "Any work outside Appendix A is extra work and is quoted separately.",
            "a logo and a business card design as described in Appendix A",
        ),
        (
            "The Freelancer shall produce the website copy set out in the Schedule; anything else is "
            "priced on request.",
            "the website copy set out in the Schedule",
        ),
    ],
)
def test_the_scope_item_is_what_is_made(tmp_path: Path, clause: str, item: str) -> None:
    path = tmp_path / "c.md"
    path.write_text(
        f"# Design Services Agreement\n\n1. Scope of work. {clause}\n\n2. Fees. The total fee is £1,250.\n",
        encoding="utf-8",
    )
    assert check_contract(path).extracted.scope == (item,)
