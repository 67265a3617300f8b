"""The bitset candidate filter of ``RuleSet.match`` selects exactly the rules the per-rule path does.

``RuleSet._checks`` (anchor index + required-lemma tests one rule at a time) is the plain
definition; ``match`` filters the same rules with one Python int per lemma.  Both are run
here on every message of the bundled fixtures (real rule sets), and on hand-written edge
cases (prefix anchors, no lemmas, lemmas that anchor nothing).
"""

from __future__ import annotations

import json
from functools import reduce
from itertools import repeat
from operator import or_
from pathlib import Path

import pytest

from clientguard.nlp.normalize import normalize
from clientguard.nlp.rules import RuleSet, load_ruleset
from clientguard.nlp.tokens import token_columns

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nlp"


def _bitset_candidates(rs: RuleSet, lemmas: frozenset[str]) -> set[str]:
    """Rule keys (id + source) the bitsets pass, with the per-rule extra tests applied."""
    mask = reduce(or_, map(rs.anchor_bits.__getitem__, lemmas), rs.always_bits)
    for table, none in rs.test_slots:
        mask &= reduce(or_, map(table.get, lemmas, repeat(0)), none)
    out: set[str] = set()
    for i, (r, extra) in enumerate(rs.seq_plan):
        if mask >> i & 1 and all(not lemmas.isdisjoint(q) for q in extra):
            out.add(f"{r.id}|{r.src}")
    return out


def _plain_candidates(rs: RuleSet, lemmas: frozenset[str]) -> set[str]:
    return {
        f"{r.id}|{r.src}"
        for r, _ in rs._checks(lemmas)
        if all(not lemmas.isdisjoint(q) for q in r.required)
    }


def _messages(lang: str) -> list[str]:
    texts: list[str] = []
    for path in sorted(FIXTURES.glob(f"*{lang}*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if isinstance(rec.get("text"), str) and rec.get("lang", lang) == lang:
                    texts.append(rec["text"])
    return texts


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_bitsets_select_the_same_rules_as_per_rule_tests(lang: str) -> None:
    rs = load_ruleset(lang)
    texts = _messages(lang)
    assert len(texts) > 1000
    nonempty = 0
    for text in texts:
        lemmas = frozenset(token_columns(normalize(text), lang)[1])
        want = _plain_candidates(rs, lemmas)
        assert _bitset_candidates(rs, lemmas) == want, text
        nonempty += bool(want)
    assert nonempty > len(texts) // 2  # the comparison is not vacuous


@pytest.mark.parametrize(
    ("lang", "lemmas"),
    [
        ("ru", frozenset()),
        ("ru", frozenset({"абракадабра"})),
        ("ru", frozenset({"оплатить", "следующий", "неделя"})),
        ("ru", frozenset({"скидочка", "можно"})),  # prefix anchor скидочк*
        ("en", frozenset({"pay", "next", "week"})),
        ("en", frozenset({"zzz"})),
    ],
)
def test_bitsets_on_edge_cases(lang: str, lemmas: frozenset[str]) -> None:
    rs = load_ruleset(lang)
    assert _bitset_candidates(rs, lemmas) == _plain_candidates(rs, lemmas)


def test_bit_order_is_rule_order() -> None:
    rs = load_ruleset("ru")
    seq = [r for r in rs.rules if r.kind == "seq"]
    assert [r for r, _ in rs.seq_plan] == seq
