"""Drafts never assert a contract nobody has (QA5 finding 1).

With no contract on file the scope-boundary draft said "объём работ, который мы согласовали
по договору", the polite no "не предусмотрена условиями договора", the formal claim "В
соответствии с заключённым между нами договором", and the revision-limit draft "Лимит
правок, согласованный по договору, исчерпан" with no limit known; ``analyze`` offered that
draft for plain nitpicking. A sentence now names the contract only when a signed contract is
on file or its number, date or a clause is known; otherwise it rests on what was agreed in
the correspondence. The revision-limit draft is offered only when a limit is known, and
without one (asked for by name) it proposes agreeing a limit.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clientguard.playbook import ReplyFacts, render_reply, situation_ids
from clientguard.playbook.facts import facts_from_strings
from clientguard.playbook.situations import LANGS, TONES, replies_for_profile

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "analysis"))
from playbook_cases import CASES, plain

# Every word form of "договор" (not "договорились", "договорённость"); "contract", not "contractor".
CONTRACT_WORD = {
    "ru": re.compile(r"\bдоговор(?:а|у|е|ом|ы|ов|ам|ами|ах)?\b|дополнительн\w* соглашени", re.IGNORECASE),
    "en": re.compile(r"\bcontracts?\b|additional agreement", re.IGNORECASE),
}
# Proposing a contract is not asserting one.
PROPOSALS = (
    "пришлю описание пилота и договор на согласование",
    "the pilot description and the contract for approval",
)


def no_contract(facts: ReplyFacts) -> ReplyFacts:
    """The full case facts minus everything only a contract could give."""
    return dataclasses.replace(
        facts, contract_number=None, contract_date=None, clause_number=None, clause_text=None
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("situation", situation_ids())
@pytest.mark.parametrize("full", [True, False], ids=["case_facts", "no_facts"])
def test_no_draft_mentions_a_contract_that_is_not_on_file(
    situation: str, tone: str, lang: str, full: bool
) -> None:
    facts = no_contract(CASES[lang]) if full else ReplyFacts()
    text = render_reply(situation, facts, tone, lang)
    for phrase in PROPOSALS:
        text = text.replace(phrase, "")
    found = CONTRACT_WORD[lang].search(text)
    assert found is None, f"{situation}.{tone}.{lang} says {found.group(0)!r} with no contract:\n{text}"


def test_scope_boundary_rests_on_the_chat_without_a_contract_and_on_the_contract_with_one() -> None:
    without = render_reply("scope_boundary", ReplyFacts(), "neutral", "ru")
    assert "объём работ, о котором мы договорились в переписке" in without
    assert "по договору" not in without
    signed = render_reply("scope_boundary", ReplyFacts(contract_signed=True), "neutral", "ru")
    assert "объём работ, который мы согласовали по договору" in signed
    en = render_reply("scope_boundary", ReplyFacts(), "neutral", "en")
    assert "the scope we agreed in our correspondence" in en and "contract" not in en
    en_signed = render_reply("scope_boundary", ReplyFacts(contract_signed=True), "firm", "en")
    assert "fixed in our contract" in en_signed and "signed additional agreement" in en_signed


def test_a_scope_and_a_revision_limit_alone_prove_no_contract() -> None:
    # Terms set by hand (``contract set`` without --signed) may come from the chat.
    facts = ReplyFacts(scope_items=("12 постов",), revision_limit=2, revision_count=3)
    scope = render_reply("scope_boundary", facts, "firm", "ru")
    assert "договор" not in scope.replace("договорились", "") and "- 12 постов" in scope
    rev = plain(render_reply("revision_limit_reached", facts, "neutral", "ru"))
    assert "Мы договорились о лимите в 2 раунда правок на каждый материал" in rev
    assert "Договор" not in rev


def test_the_revision_draft_without_a_known_limit_proposes_one_instead_of_claiming_it_is_used_up() -> None:
    for lang, used_up, proposal in (
        ("ru", "исчерпан", "предлагаю договориться о нём письменно"),
        ("en", "used up", "I suggest we agree on it in writing"),
    ):
        for tone in TONES:
            text = render_reply("revision_limit_reached", ReplyFacts(revision_count=4), tone, lang)
            assert used_up not in text and "сверх лимита" not in text and "beyond the limit" not in text
            assert proposal in text
    facts = ReplyFacts(revision_count=4, deliverable="пост")
    text = plain(render_reply("revision_limit_reached", facts, "neutral", "ru"))
    assert "Это уже 4-й раунд правок по этому материалу, а число раундов мы заранее не оговаривали" in text


def test_contract_signed_is_a_yes_no_fact() -> None:
    assert facts_from_strings({"contract_signed": "да"}).contract_signed is True
    assert facts_from_strings({"contract_signed": "no"}).contract_signed is False
    text = render_reply("polite_no", facts_from_strings({"contract_signed": "yes"}), "neutral", "ru")
    assert "не предусмотрена условиями договора" in text


def test_the_revision_reply_is_offered_only_when_a_limit_is_known() -> None:
    assert "revision_limit_reached" in replies_for_profile("set_boundaries", ["nitpicking"])
    assert "revision_limit_reached" not in replies_for_profile(
        "set_boundaries", ["nitpicking"], revision_limit_known=False
    )


MSK = ZoneInfo("Europe/Moscow")


def test_analyze_lists_the_revision_reply_only_with_a_known_limit() -> None:
    from analysis_helpers import make_case, make_msg

    from clientguard.analysis import build_profile
    from clientguard.analysis.pipeline import fitting_replies
    from clientguard.domain import Role

    msgs = []
    t = datetime(2025, 3, 3, 11, 0, tzinfo=MSK)
    for i in range(6):
        msgs.append(make_msg(f"m{i}", t, "Поправьте запятую", labels=("nitpicking",)))
        msgs.append(make_msg(f"m{i}s", t + timedelta(minutes=20), "ок", role=Role.SPECIALIST))
        t += timedelta(days=1)
    without = build_profile(msgs, make_case())
    assert without.revision_limit is None
    assert "revision_limit_reached" not in [sid for sid, _ in fitting_replies(without, "ru")]
    with_limit = build_profile(msgs, make_case(contract={"signed": True, "revision_limit": 2}))
    assert with_limit.revision_limit == 2
    assert "revision_limit_reached" in [sid for sid, _ in fitting_replies(with_limit, "ru")]


def test_the_store_tells_a_signed_contract_from_terms_set_by_hand(tmp_path: Path, tmp_home: Path) -> None:
    from clientguard.contracts.repo import set_terms
    from clientguard.playbook.store_facts import facts_from_store
    from clientguard.store import open_store

    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    with open_store(db) as store:
        set_terms(store, "Кофейня", revision_limit=2, scope=("12 постов",))
        by_hand = facts_from_store(store, "Кофейня")
        set_terms(store, "Кофейня", signed=True)
        signed = facts_from_store(store, "Кофейня")
    assert by_hand.contract_signed is False and by_hand.revision_limit == 2
    text = render_reply("scope_boundary", by_hand, "neutral", "ru")
    assert "о котором мы договорились в переписке" in text and "по договору" not in text
    assert signed.contract_signed is True
    assert "который мы согласовали по договору" in render_reply("scope_boundary", signed, "neutral", "ru")
