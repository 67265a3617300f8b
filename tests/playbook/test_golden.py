"""Golden tests: every situation × language × tone renders exactly as reviewed.

Regenerate after an intended template change, then review the diff in git:

    CLIENTGUARD_UPDATE_GOLDEN=1 python -m pytest tests/playbook/test_golden.py

Without the variable any difference fails the test. ``golden/<lang>/`` holds drafts with
the full case facts; ``golden/<lang>/sparse/`` the same drafts with no facts at all.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from clientguard.playbook import ReplyFacts, render_reply, situation_ids
from clientguard.playbook.situations import LANGS, TONES

sys.path.insert(0, str(Path(__file__).parent))
from playbook_cases import CASES

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CLIENTGUARD_UPDATE_GOLDEN") == "1"

PARAMS = [(s, lang, tone) for s in situation_ids() for lang in LANGS for tone in TONES]


def _check(path: Path, text: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run with CLIENTGUARD_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs from its golden file"


@pytest.mark.parametrize(("situation", "lang", "tone"), PARAMS)
def test_full_facts_golden(situation: str, lang: str, tone: str) -> None:
    _check(GOLDEN / lang / f"{situation}.{tone}.txt", render_reply(situation, CASES[lang], tone, lang))


@pytest.mark.parametrize(("situation", "lang", "tone"), PARAMS)
def test_sparse_facts_golden(situation: str, lang: str, tone: str) -> None:
    text = render_reply(situation, ReplyFacts(), tone, lang)
    _check(GOLDEN / lang / "sparse" / f"{situation}.{tone}.txt", text)


def test_no_stale_golden_files() -> None:
    expected = {f"{s}.{t}.txt" for s in situation_ids() for t in TONES}
    for lang in LANGS:
        for sub in (GOLDEN / lang, GOLDEN / lang / "sparse"):
            found = {p.name for p in sub.glob("*.txt")}
            assert found == expected or UPDATE, f"stale or missing golden files in {sub}"
