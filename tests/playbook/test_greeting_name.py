"""Drafts greet the contact by name, not by the whole display name of the chat export.

"Здравствуйте, Игорь Пенкин!" read like a mail merge; "Здравствуйте, Игорь!" (or "Ольга
Петровна" with a patronymic) is how a specialist writes. A display name that is not a
person's stays whole, and the other places a name appears keep it whole too.
"""

from __future__ import annotations

import pytest

from clientguard.playbook import ReplyFacts, render_reply
from clientguard.playbook.address import addressable, greeting_name

CASES = [
    ("Игорь Пенкин", "Игорь"),
    ("Пенкин Игорь", "Игорь"),  # surname first, as some phones store contacts
    ("Иванов Иван Иванович", "Иван Иванович"),
    ("Ольга Петровна Смирнова", "Ольга Петровна"),
    ("Светлана Ивановна Котова-Петрова", "Светлана Ивановна"),
    ("Вера Павлова", "Вера"),  # a name that is also a common noun
    ("Мария Маркетинг 🌸", "Мария"),
    ("Анна (маркетинг)", "Анна"),
    ("Мария — Кофейня", "Мария"),
    ("Olga | SMM", "Olga"),
    ("Sarah Connor", "Sarah"),
    ("Игорь", "Игорь"),
    ("Дима", "Дима"),
    # not a person's name, or not readable as one: greeted as it is
    ("Кофейня «Пенка»", "Кофейня «Пенка»"),
    ("ООО Ромашка", "ООО Ромашка"),
    ("Студия йоги «Лотос»", "Студия йоги «Лотос»"),
    ("Acme Corp", "Acme Corp"),
    ("IGOR PENKIN", "IGOR PENKIN"),
    ("бухгалтерия (счета)", "бухгалтерия (счета)"),
    ("Анна Мария Петрова Сидорова", "Анна Мария Петрова Сидорова"),
]


@pytest.mark.parametrize(("display", "greeted"), CASES)
def test_greeting_name(display: str, greeted: str) -> None:
    assert greeting_name(display) == greeted


@pytest.mark.parametrize(
    ("lang", "hello", "whole"),
    [("ru", "Здравствуйте, Игорь!", "контактное лицо — Игорь Пенкин"),
     ("en", "Hello Igor,", "contact person: Igor Penkin")],
)  # fmt: skip
def test_letter_greets_the_given_name_and_names_the_contact_in_full(
    lang: str, hello: str, whole: str
) -> None:
    name = "Игорь Пенкин" if lang == "ru" else "Igor Penkin"
    facts = ReplyFacts(contact_name=name, client_name="Кофейня")
    assert render_reply("de_escalation", facts, "neutral", lang).startswith(hello)
    # The letter to the client's management names the contact person in full.
    assert whole in render_reply("escalation_to_management", facts, "neutral", lang)


# QA pass 6 F3: a contact known only by an e-mail address was greeted by it, "Hello
# mailusr1@example.com," (a phone number was already left out in the store's facts).
@pytest.mark.parametrize(
    "display",
    ["mailusr1@example.com", "<anna@penka.ru>", "mailto:olga@example.org", "+7 999 123-45-67", "🌸"],
)
def test_an_address_alone_gets_the_neutral_greeting(display: str) -> None:
    assert greeting_name(display) is None and not addressable(display)
    facts = ReplyFacts(contact_name=display, client_name="Кофейня")
    assert render_reply("off_hours_reply", facts, "neutral", "ru").startswith("Здравствуйте!\n")
    assert render_reply("off_hours_reply", facts, "neutral", "en").startswith("Hello,\n")
    assert render_reply("off_hours_reply", facts, "soft", "ru").startswith("Добрый день!\n")


def test_a_name_with_its_address_is_greeted_by_the_name() -> None:
    assert greeting_name("Игорь Петров <igor@penka.ru>") == "Игорь"
    assert addressable("Olga K.") and addressable("R2D2")


# QA pass 7: a contact saved as "Dr. Feather" was greeted "Hello Dr," (the title taken for
# the given name). A title is kept as written, with the surname.
@pytest.mark.parametrize(
    ("display", "greeted"),
    [("Dr. Feather", "Dr. Feather"), ("Dr Feather", "Dr Feather"), ("Mrs Jane Smith", "Mrs Smith"),
     ("Mr. John Smith", "Mr. Smith"), ("Prof. Ivanov", "Prof. Ivanov"), ("Drake Bell", "Drake")],
)  # fmt: skip
def test_a_title_is_greeted_with_the_surname(display: str, greeted: str) -> None:
    assert greeting_name(display) == greeted
    facts = ReplyFacts(contact_name=display, client_name="Jungle Birds")
    assert render_reply("polite_no", facts, "neutral", "en").startswith(f"Hello {greeted},\n")
