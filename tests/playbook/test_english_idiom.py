"""English drafts read as written by an English speaker, not translated word for word (QA7).

An English-speaking reviewer read every draft as the client would receive it: "Let us sort it
out together", "I am reachable, and I will come back to you", "changing them one-sidedly",
"Thank you for understanding" and "we sign an acceptance certificate" (the Russian "акт")
are calques of the Russian templates. None of them may appear in any English draft.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from clientguard.playbook import ReplyFacts, render_reply, situation_ids
from clientguard.playbook.situations import TONES

sys.path.insert(0, str(Path(__file__).parent))
from playbook_cases import CASES

CALQUES = ("Let us ", "come back to you", "I am reachable", "one-sidedly", "Thank you for understanding",
           "acceptance certificate")


@pytest.mark.parametrize("situation", situation_ids())
def test_no_calques_in_english_drafts(situation: str) -> None:
    for facts in (CASES["en"], ReplyFacts()):
        for tone in TONES:
            text = render_reply(situation, facts, tone, "en")
            found = [c for c in CALQUES if c in text]
            assert not found, (situation, tone, found)
