"""A count's prepositional tail is shared only up to a comma.

"12 постов и 8 сторис в месяц, контент-план" gave "12 постов в месяц, контент-план" and
"8 сторис в месяц, контент-план": the tail of the last counted piece (" в месяц") was
taken to the end of the sentence, so the content plan rode along into the posts' item,
and the scope check could not tell the plan apart.
"""

from __future__ import annotations

from pathlib import Path

from clientguard.contracts import check_contract
from clientguard.contracts.scope_items import item_rules, split_enumeration


def test_the_tail_stops_at_a_comma() -> None:
    pieces = split_enumeration(
        "12 постов и 8 сторис в месяц, контент-план", item_rules("ru"), verbs_split=True
    )
    assert pieces == ["12 постов", "8 сторис в месяц, контент-план"]  # "в месяц" comes from clean_item
    # a tail without a comma is still shared
    assert split_enumeration("12 постов и 30 сторис во «ВКонтакте»", item_rules("ru"), verbs_split=True) == [
        "12 постов во «ВКонтакте»",
        "30 сторис во «ВКонтакте»",
    ]


def test_contract_check_keeps_the_plan_out_of_the_posts(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text(
        "# Договор оказания услуг\n\n1. Предмет: 12 постов и 8 сторис в месяц, контент-план.\n"
        "2. Стоимость — 45 000 рублей.\n",
        encoding="utf-8",
    )
    scope = check_contract(path).extracted.scope
    assert "12 постов в месяц" in scope
    assert sum("контент-план" in item for item in scope) == 1
