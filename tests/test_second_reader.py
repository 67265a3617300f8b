"""The second reader's labels (bench/eval_agreement.py) cover exactly the gold messages.

The agreement figure is only meaningful if reader 2 labelled the same messages as gold,
with ids of the taxonomy: a missing file or id would silently count as "neutral".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clientguard.taxonomy import SIGNALS

TUNE = Path(__file__).resolve().parent / "fixtures" / "tune_sets"
POOLS = ("conversations_s14", "conversations_s16")
GOLD = sorted(p for pool in POOLS for p in (TUNE / pool).glob("*.labels.json"))


def test_there_is_a_second_reading_for_every_s14_and_s16_tuning_chat() -> None:
    names = {p.name.replace(".labels.json", ".labels2.json") for p in GOLD}
    assert len(GOLD) == 26
    assert names == {p.name for p in (TUNE / "second_reader").glob("*.labels2.json")}


@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_second_reading_covers_the_gold_messages_with_known_signals(gold: Path) -> None:
    second = TUNE / "second_reader" / gold.name.replace(".labels.json", ".labels2.json")
    want = json.loads(gold.read_text(encoding="utf-8"))["message_labels"]
    got = json.loads(second.read_text(encoding="utf-8"))["message_labels"]
    assert set(got) == set(want)
    assert {s for labels in got.values() for s in labels} <= set(SIGNALS)
