"""Numbers in presale reasons are written by ``clientguard.numbers`` in either language.

The reasons formatted their own floats with ``:g``: a score or a limit of 100 000 read
"1e+05" in Russian ("1,25e+06" for 1 250 000), and English printed Python's float ("6.0",
"100000.0"). Grouped thousands and the language's decimal mark now, as every other surface.
"""

from __future__ import annotations

import pytest

from clientguard.presale.decide import Verdict
from clientguard.presale.reply import load_pack, render_reasons

NB = "\u00a0"


def _verdict(score: float, limit: float, confidence: float) -> Verdict:
    why = (
        ("score", {"score": score, "limit": limit}),
        ("unsure", {"signals": ["scope_creep"], "limit": confidence}),
    )
    return Verdict("decline", score, why, None, None, None, ())


@pytest.mark.parametrize(
    ("lang", "score", "unsure"),
    [
        ("ru", f"сумма баллов тревожных сигналов 1{NB}250{NB}000 (порог отказа 100{NB}000)", "ниже 0,65"),
        ("en", "red-flag score 1,250,000 (decline at 100,000)", "below 0.65"),
    ],
)
def test_reason_numbers_are_grouped_and_never_in_exponent_form(lang: str, score: str, unsure: str) -> None:
    lines = render_reasons(_verdict(1250000.0, 100000.0, 0.65), load_pack(lang))
    assert score in lines[0], lines
    assert unsure in lines[1], lines
    assert not any("e+" in line for line in lines), lines


@pytest.mark.parametrize(("lang", "shown"), [("ru", "6"), ("en", "6")])
def test_a_whole_float_reads_as_a_whole_number(lang: str, shown: str) -> None:
    line = render_reasons(_verdict(6.0, 6.0, 0.5), load_pack(lang))[0]
    assert f" {shown} " in line and "6.0" not in line, line
