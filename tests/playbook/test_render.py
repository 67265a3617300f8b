"""Rendering rules that hold for every draft: no leaked placeholders, facts really used."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientguard.errors import ConfigError
from clientguard.playbook import ReplyFacts, get_situation, render_reply, situation_ids
from clientguard.playbook.formatting import money, plural_ru
from clientguard.playbook.render import reflow
from clientguard.playbook.situations import LANGS, TONES

sys.path.insert(0, str(Path(__file__).parent))
from playbook_cases import CASES

LEAKS = [
    (re.compile(r"\bNone\b"), "None"),
    (re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}"), "template syntax"),
    (re.compile(r"\S  +\S"), "double space"),
    (re.compile(r" [,.;:!?]"), "space before punctuation"),
    (re.compile(r"«»|\"\"|\(\)|\[\]"), "empty quotes or brackets"),
    (re.compile(r"[,;:]\s*[.;,]"), "doubled punctuation"),
    (re.compile(r"^- *[;.]?$", re.M), "empty list item"),
    (re.compile(r"[ \t]+$", re.M), "trailing whitespace"),
    (re.compile(r"\n{3,}"), "more than one blank line"),
    (re.compile(r"№(?!\s*\w)|No\.(?!\s*\w)"), "number sign without a number"),
    (re.compile(r"\\"), "stray backslash"),
    (re.compile(r"\u2029"), "paragraph mark"),
]


def leaks(text: str) -> list[str]:
    return [name for rx, name in LEAKS if rx.search(text)]


ALL = [(s, lang, tone) for s in situation_ids() for lang in LANGS for tone in TONES]


@pytest.mark.parametrize(("situation", "lang", "tone"), ALL)
def test_no_leaks_full_and_empty(situation: str, lang: str, tone: str) -> None:
    for facts in (CASES[lang], ReplyFacts()):
        text = render_reply(situation, facts, tone, lang)
        assert not leaks(text), (leaks(text), text)
        assert text.endswith("\n") and not text.endswith("\n\n")


FIELDS = [f.name for f in dataclasses.fields(ReplyFacts)]


@settings(max_examples=150, deadline=None)
@given(
    situation=st.sampled_from(situation_ids()),
    lang=st.sampled_from(LANGS),
    tone=st.sampled_from(TONES),
    keep=st.sets(st.sampled_from(FIELDS)),
)
def test_no_leaks_any_subset_of_facts(situation: str, lang: str, tone: str, keep: set[str]) -> None:
    """Whatever subset of facts is known, no draft shows a gap or a placeholder."""
    full = CASES[lang]
    facts = ReplyFacts(**{name: getattr(full, name) for name in keep})
    text = render_reply(situation, facts, tone, lang)
    assert not leaks(text), (leaks(text), sorted(keep), text)


def _shown(name: str, facts: ReplyFacts, lang: str) -> list[str]:
    """The strings by which a fact shows up in a draft."""
    value: Any = getattr(facts, name)
    cur = facts.currency
    if name in ("amount", "extra_price", "pilot_price", "settle_amount", "penalty_amount"):
        return [money(value, cur, lang)]
    if name == "penalty_percent_per_day":
        return ["0,1\u00a0%", "0.05%"]
    if name == "currency":
        return ["₽", "EUR"]
    if name in ("contract_number", "clause_number"):
        return [value.split()[-1]]
    if name in ("scope_items", "agreed_points", "done_items"):
        return [value[0]]
    if name == "working_hours":
        return [value.start]
    if name == "timezone":
        return ["по московскому времени", "Europe/London"]
    if name in ("reply_by", "quoted_message_date"):
        return [str(value.day)]
    if hasattr(value, "year"):
        return [str(value.year)]
    if name == "quoted_message":
        return [value[:20]]
    return [str(value)]


@pytest.mark.parametrize(("situation", "lang"), [(s, lang) for s in situation_ids() for lang in LANGS])
def test_declared_facts_are_used(situation: str, lang: str) -> None:
    """Each fact the registry lists for a situation appears in at least one tone."""
    facts = CASES[lang]
    texts = "\n".join(render_reply(situation, facts, t, lang) for t in TONES)
    for name in get_situation(situation).facts:
        if name == "penalty_amount":  # computed from amount × rate × days when not given
            continue
        if name == "contract_signed":  # a flag: it shows as wording, "по договору" or not
            base = ReplyFacts(revision_limit=2, penalty_percent_per_day=0.1)
            signed = dataclasses.replace(base, contract_signed=True)
            assert any(
                render_reply(situation, signed, t, lang) != render_reply(situation, base, t, lang)
                for t in TONES
            ), f"{situation}/{lang}: fact {name} unused"
            continue
        assert any(s in texts for s in _shown(name, facts, lang)), f"{situation}/{lang}: fact {name} unused"


def test_penalty_is_computed_from_rate_and_days() -> None:
    text = render_reply("payment_formal_claim", CASES["ru"], "neutral", "ru")
    assert money(1350, "RUB", "ru") in text and money(46350, "RUB", "ru") in text


def test_unknown_inputs_raise_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown situation"):
        render_reply("nope", ReplyFacts())
    with pytest.raises(ConfigError, match="unknown tone"):
        render_reply("polite_no", ReplyFacts(), tone="angry")
    with pytest.raises(ConfigError, match="unknown language"):
        render_reply("polite_no", ReplyFacts(), lang="de")


def test_reflow_joins_wraps_and_keeps_items() -> None:
    text = "a\nb\n- x\n- y\nend\\\nname\u2029\nnext"
    assert reflow(text) == "a b\n- x\n- y end\nname\n\nnext\n"


def test_plural_ru() -> None:
    assert [plural_ru(n, "день", "дня", "дней") for n in (1, 2, 5, 11, 21, 112)] == [
        "день", "дня", "дней", "дней", "день", "дней",
    ]


def test_money_formats() -> None:
    # one line each: no-break spaces between the thousands and before the currency
    assert money(45000, "RUB", "ru") == "45\u00a0000\u00a0₽"
    assert money(1234.5, "USD", "en") == "1,234.50\u00a0USD"
    assert money(99.9, None, "ru") == "99,90\u00a0₽"


def test_multiline_facts_are_flattened() -> None:
    facts = ReplyFacts(out_of_scope_item="сайт\nи\n\nлендинг", contact_name="  Игорь ")
    text = render_reply("scope_boundary", facts, "neutral", "ru")
    assert "«сайт и лендинг»" in text and "Здравствуйте, Игорь!" in text
