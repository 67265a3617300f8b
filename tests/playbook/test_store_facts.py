"""Reply facts read from the store: the deliverable and round count of a revision reply.

QA3 F8: ``reply revision_limit_reached --client X`` and the dashboard's draft never named
the deliverable or the round, although ``clientguard revisions`` knew both ("контент-план:
2 rounds, limit 1"): the draft said only "the contract provides for 1 round".
"""

from __future__ import annotations

from clientguard.analysis.model import RevisionRound
from clientguard.contracts.revisions import Deliverable
from clientguard.playbook import render_reply
from clientguard.playbook.facts import ReplyFacts
from clientguard.playbook.store_facts import revision_facts


def test_the_deliverable_furthest_over_the_limit_is_named_in_the_drafts_language() -> None:
    rows = [
        RevisionRound("banner", 2, 2, ("1", "2")),
        RevisionRound("content_plan", 4, 2, ("3", "4", "5", "6")),
        RevisionRound("post", 3, 2, ("7", "8", "9")),
    ]
    expected = {"deliverable": "контент-план", "revision_count": 4, "revision_limit": 2}
    assert revision_facts(rows, "ru") == expected
    assert revision_facts(rows, "en")["deliverable"] == "content plan"


def test_rows_of_the_revisions_command_work_too_and_ties_take_the_later() -> None:
    rows = [Deliverable("post", 3, 2), Deliverable("reel", 3, 2)]
    assert revision_facts(rows, "ru") == {"deliverable": "ролик", "revision_count": 3, "revision_limit": 2}


def test_at_the_limit_no_count_and_within_or_without_limit_nothing() -> None:
    at_limit = revision_facts([RevisionRound("post", 2, 2, ())], "ru")
    assert at_limit == {"deliverable": "пост", "revision_limit": 2}
    assert revision_facts([RevisionRound("post", 1, 2, ())], "ru") == {}
    assert revision_facts([RevisionRound("post", 5, None, ())], "ru") == {}
    assert revision_facts([], "en") == {}


def test_a_custom_deliverable_keeps_its_name() -> None:
    facts = revision_facts([RevisionRound("баннер к акции", 3, 1, ())], "ru")
    text = render_reply("revision_limit_reached", ReplyFacts(**facts), "neutral", "ru")
    assert "по материалу «баннер к акции»" in text and "уже о 3-м раунде" in text
