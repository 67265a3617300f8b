"""The urgency decline reason names what is missing, not "no inputs at all" (QA pass 6, CLI N15).

'screen --messages lead.txt --brief brief.docx' with a brief of 7 of 9 parts (goal,
audience, budget, dates, approver…) declined with '«срочно без вводных»: срочность без
каких-либо вводных', which the brief beside it contradicts: the flag fires because the
materials and accesses are missing. The reason now names the missing parts whenever any
part is there, and keeps "no inputs at all" for a lead that gave none.
"""

from __future__ import annotations

import pytest

from clientguard.presale.decide import decide
from clientguard.presale.model import BriefPart, RedFlag
from clientguard.presale.reply import load_pack, render_reasons
from clientguard.taxonomy import BRIEF_PARTS

URGENT = RedFlag("urgent_without_inputs", "high", None)
WORDS = {
    "ru": ("срочность, а не хватает: материалы и доступы", "срочность без каких-либо вводных"),
    "en": ("urgency, but missing: materials and access", "urgency with no inputs at all"),
}


def _parts(found: set[str]) -> list[BriefPart]:
    return [BriefPart(p, p in found, None) for p in BRIEF_PARTS]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_brief_with_parts_names_what_is_missing(lang: str) -> None:
    partial, nothing = WORDS[lang]
    most = set(BRIEF_PARTS) - {"materials"}
    reasons = render_reasons(decide([URGENT], _parts(most)), load_pack(lang))
    assert any(r.endswith(partial) for r in reasons) and not any(nothing in r for r in reasons)
    bare = render_reasons(decide([URGENT], _parts(set())), load_pack(lang))
    assert any(r.endswith(nothing) for r in bare)
