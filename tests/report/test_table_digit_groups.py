"""Russian texts of the string tables group thousands with a no-break space.

Why: a Russian "1 000" written with a plain space breaks at it when Rich wraps an error box
("… например 1000 или 1" / "000; …"); numbers the code formats already carry U+00A0
(:func:`clientguard.report.i18n.number`), the examples typed into the tables must too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import clientguard

DATA = Path(clientguard.__file__).parent / "report" / "data"
PLAIN_GROUP = re.compile(r"\d \d{3}(?!\d)")


def _russian(node: object) -> list[str]:
    if isinstance(node, dict):
        out = [v for k, v in node.items() if k == "ru" and isinstance(v, str)]
        return out + [s for v in node.values() for s in _russian(v)]
    if isinstance(node, list):
        return [s for v in node for s in _russian(v)]
    return []


@pytest.mark.parametrize("table", sorted(DATA.glob("*.yaml")), ids=lambda p: p.name)
def test_russian_digit_groups_do_not_break(table: Path) -> None:
    texts = _russian(yaml.safe_load(table.read_text(encoding="utf-8")))
    bad = [t for t in texts if PLAIN_GROUP.search(t)]
    assert not bad, f"{table.name}: a plain space groups digits in {bad}"
