"""A stored client's name inside a Russian sentence: it cannot be declined.

QA3 F13: the escalation letter said "Я веду проект для Студия йоги «Лотос»" (and "для
Игорь Петров" for a client imported under the contact's name): "для" needs the genitive,
and a name the user typed cannot be put into it. The name now stands in the nominative
("заказчик — Студия йоги «Лотос»").
"""

from __future__ import annotations

import pytest

from clientguard.playbook import ReplyFacts, render_reply


@pytest.mark.parametrize("client", ["Студия йоги «Лотос»", "Игорь Петров", "Кофейня «Пенка»"])
@pytest.mark.parametrize("tone", ["soft", "neutral", "firm"])
def test_escalation_names_the_client_in_the_nominative(client: str, tone: str) -> None:
    text = render_reply("escalation_to_management", ReplyFacts(client_name=client), tone, "ru")
    assert f"для {client}" not in text
    assert f"(заказчик — {client})" in text
