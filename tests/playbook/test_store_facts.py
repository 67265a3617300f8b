"""Reply facts read from the store: the deliverable and round count of a revision reply.

QA3 F8: ``reply revision_limit_reached --client X`` and the dashboard's draft never named
the deliverable or the round, although ``clientguard revisions`` knew both ("контент-план:
2 rounds, limit 1"): the draft said only "the contract provides for 1 round".
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from clientguard.analysis.model import RevisionRound
from clientguard.cli import build_app
from clientguard.contracts.revisions import Deliverable
from clientguard.playbook import render_reply
from clientguard.playbook.facts import ReplyFacts
from clientguard.playbook.store_facts import addressable, facts_from_store, revision_facts
from clientguard.store import open_store
from tests.playbook.playbook_cases import plain


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
    text = plain(render_reply("revision_limit_reached", ReplyFacts(**facts), "neutral", "ru"))
    assert "по материалу «баннер к акции»" in text and "уже о 3-м раунде" in text


# QA3 F12: a WhatsApp contact saved under no name is its phone number, and the drafts
# greeted it: "Здравствуйте, +7 999 123-45-67!". A name without a letter greets nobody.
WA = (
    "12.09.2026, 10:00 - +7 999 123-45-67: Здравствуйте, нужен SMM для кофейни\n"
    "12.09.2026, 10:05 - Ольга: Добрый день! Расскажите подробнее\n"
    "13.09.2026, 23:40 - +7 999 123-45-67: Почему вы не отвечаете?? Срочно нужен пост к утру!\n"
)


def test_a_phone_number_is_not_greeted(tmp_path: Path, tmp_home: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    chat = tmp_path / "wa.txt"
    chat.write_text(WA, encoding="utf-8")
    args = ["import", str(chat), "--client", "Кофейня «Пенка»", "--me", "Ольга", "--db", db]
    assert CliRunner().invoke(build_app(), args).exit_code == 0
    with open_store(db) as store:
        facts = facts_from_store(store, "Кофейня «Пенка»")
        last = max(m.id for m in store.iter_messages("Кофейня «Пенка»"))
        quoted = facts_from_store(store, "Кофейня «Пенка»", last)
    assert facts.contact_name is None and quoted.contact_name is None
    assert render_reply("off_hours_reply", facts, "neutral", "ru").startswith("Здравствуйте!\n")
    assert render_reply("off_hours_reply", facts, "neutral", "en").startswith("Hello,\n")
    assert addressable("Игорь") and addressable("Olga K.") and not addressable("+7 999 123-45-67")


# QA6 CLI N4: a client who writes by e-mail and in WhatsApp is two contacts of one name,
# and the "other contact" draft asked Игорь to bring in "ещё одного человека …: Игорь
# Петров". The other contact is someone whose name differs from the addressee's.
MAIL = (
    "From: =?utf-8?b?0JjQs9C+0YDRjCDQn9C10YLRgNC+0LI=?= <igor@penka.ru>\n"  # Игорь Петров
    "To: olga@example.com\nSubject: plan\nDate: Mon, 01 Sep 2025 10:15:00 +0300\n"
    "Message-ID: <m1@penka.ru>\n\nПришлите план до пятницы.\n"
)
CHAT_SAME = "01.09.2025, 11:00 - Игорь Петров: Где план?\n01.09.2025, 11:05 - Ольга: Пришлю сегодня\n"
CHAT_OTHER = "02.09.2025, 12:00 - Мария Котова: Я тоже буду согласовывать посты\n"


def _facts(tmp_path: Path, files: dict[str, str]) -> ReplyFacts:
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    for name, body in files.items():
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        args = ["import", str(path), "--client", "Кофейня «Пенка»", "--me", "Ольга", "--db", db]
        assert CliRunner().invoke(build_app(), args).exit_code == 0
    with open_store(db) as store:
        return facts_from_store(store, "Кофейня «Пенка»")


def test_one_person_in_two_channels_is_not_the_other_contact(tmp_path: Path, tmp_home: Path) -> None:
    facts = _facts(tmp_path, {"a.eml": MAIL, "WhatsApp Chat with Игорь.txt": CHAT_SAME})
    assert facts.contact_name == "Игорь Петров" and facts.other_contact_name is None
    text = render_reply("other_contact_request", facts, "neutral", "ru")
    assert "Игорь Петров" not in text


def test_a_second_person_is_still_the_other_contact(tmp_path: Path, tmp_home: Path) -> None:
    files = {
        "a.eml": MAIL,
        "WhatsApp Chat with Игорь.txt": CHAT_SAME,
        "WhatsApp Chat with Мария.txt": CHAT_OTHER,
    }
    facts = _facts(tmp_path, files)
    assert facts.contact_name == "Игорь Петров" and facts.other_contact_name == "Мария Котова"


def test_an_email_address_is_not_greeted(tmp_path: Path, tmp_home: Path) -> None:
    """QA pass 6 F3: a mail contact stored under its address got "Hello mailusr1@…,"."""
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    chat = tmp_path / "mail.csv"
    chat.write_text(
        "timestamp,sender,text\n"
        "2026-09-12T10:00:00+03:00,mailusr1@example.com,Здравствуйте! Нужен SMM для кофейни\n"
        "2026-09-12T10:05:00+03:00,Ольга,Добрый день! Расскажите подробнее\n",
        encoding="utf-8",
    )
    args = ["import", str(chat), "--client", "Кофейня «Пенка»", "--me", "Ольга", "--db", db]
    res = CliRunner().invoke(build_app(), args)
    assert res.exit_code == 0, res.output
    with open_store(db) as store:
        facts = facts_from_store(store, "Кофейня «Пенка»")
        first = min(m.id for m in store.iter_messages("Кофейня «Пенка»"))
        quoted = facts_from_store(store, "Кофейня «Пенка»", first)
    assert facts.contact_name is None and quoted.contact_name is None
    assert render_reply("off_hours_reply", quoted, "neutral", "en").startswith("Hello,\n")
    assert render_reply("off_hours_reply", facts, "neutral", "ru").startswith("Здравствуйте!\n")
