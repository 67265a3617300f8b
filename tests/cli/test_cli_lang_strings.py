"""The interface strings as data: the plural rule's table, both languages for every text,
the same placeholders in ru and en, and a name for every domain id the commands show."""

from __future__ import annotations

from importlib import resources
from string import Formatter

import pytest
import yaml

from clientguard.evidence.moves import MoveNote
from clientguard.report.i18n import FILES, plural, strings, t


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [
        (0, "0 проблем", "0 problems"),
        (1, "1 проблема", "1 problem"),
        (2, "2 проблемы", "2 problems"),
        (4, "4 проблемы", "4 problems"),
        (5, "5 проблем", "5 problems"),
        (11, "11 проблем", "11 problems"),
        (12, "12 проблем", "12 problems"),
        (14, "14 проблем", "14 problems"),
        (21, "21 проблема", "21 problems"),
        (22, "22 проблемы", "22 problems"),
        (25, "25 проблем", "25 problems"),
        (101, "101 проблема", "101 problems"),
        (111, "111 проблем", "111 problems"),
        (112, "112 проблем", "112 problems"),
        (1004, "1004 проблемы", "1004 problems"),
    ],
)
def test_plural_table(n: int, ru: str, en: str) -> None:
    assert plural(n, "problem", "ru") == ru
    assert plural(n, "problem", "en") == en


@pytest.mark.parametrize(
    ("key", "lang", "n", "text"),
    [
        ("record", "ru", 1, "1 запись"),
        ("record", "ru", 3, "3 записи"),
        ("record", "ru", 7, "7 записей"),
        ("record", "en", 1, "1 record"),
        ("record", "en", 7, "7 records"),
        ("message", "ru", 27, "27 сообщений"),
        ("message", "ru", 3, "3 сообщения"),
        ("message", "en", 1, "1 message"),
        ("entry", "ru", 33, "33 записи"),
        ("entry", "en", 1, "1 entry"),
        ("entry", "en", 33, "33 entries"),
    ],
)
def test_every_counted_noun_has_its_forms(key: str, lang: str, n: int, text: str) -> None:
    assert plural(n, key, lang) == text


def _raw(name: str) -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files("clientguard.report").joinpath(f"data/{name}").read_text(encoding="utf-8")
    data: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(text)
    return data


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_the_files_share_no_section_and_load_as_one_table() -> None:
    sections = [set(_raw(name)) for name in FILES]
    assert sum(len(s) for s in sections) == len(set().union(*sections))  # no section in two files
    assert set(strings()) == set().union(*sections)


@pytest.mark.parametrize("name", FILES)
def test_every_text_has_both_languages_and_the_same_placeholders(name: str) -> None:
    for section, entries in _raw(name).items():
        for key, entry in entries.items():
            where = f"{name}: {section}.{key}"
            assert set(entry) == {"ru", "en"} and entry["ru"].strip() and entry["en"].strip(), where
            assert _fields(entry["ru"]) == _fields(entry["en"]), where


def test_plural_forms_are_three_in_russian_and_two_in_english() -> None:
    for key, entry in strings()["plurals"].items():
        assert len(entry["ru"].split("|")) == 3 and len(entry["en"].split("|")) == 2, key


def test_every_domain_id_the_commands_show_has_a_name() -> None:
    from clientguard.analysis.lexicon import DELIVERABLES
    from clientguard.contracts.invoices import STAGES
    from clientguard.domain import AttachmentKind, Role
    from clientguard.evidence.moves import MOVE_KINDS
    from clientguard.evidence.notes import NOTE_KINDS
    from clientguard.evidence.verify import CHECKED_KINDS
    from clientguard.taxonomy import CLAUSE_STATUSES, CLAUSES

    s = strings()
    assert set(s["clauses"]) == set(CLAUSES)
    assert set(s["clause_status"]) == set(CLAUSE_STATUSES)
    assert {d for _, d in DELIVERABLES} <= set(s["deliverables"])
    assert set(s["roles"]) == {r.value for r in Role}
    assert set(s["attachments"]) == {a.value for a in AttachmentKind}
    assert set(s["note_kinds"]) == set(NOTE_KINDS)
    assert {stage for _, stage in STAGES} | {"court"} == set(s["reminder_stages"])
    assert set(CHECKED_KINDS) | set(MOVE_KINDS) | {"messages"} <= set(s["record_kinds"])
    documented = {"edited", "broken_link", "missing", "out_of_order", "head_mismatch", "source_changed",
                  "source_missing", "unlogged", "inserted", "bad_move", "move_unmatched"}  # fmt: skip
    assert documented == set(s["evidence_problems"])


def test_user_roles_are_named() -> None:
    auth = pytest.importorskip("clientguard.web.auth")
    assert set(strings()["user_roles"]) == set(auth.ROLES)


def test_an_unknown_id_is_shown_as_is() -> None:
    assert t("deliverables", "Баннер 1080×1080", "ru") == "Баннер 1080×1080"  # free text from a contract


def _move(direction: str, reason: str, file: str | None = None) -> MoveNote:
    return MoveNote(7, direction, 3, "Игорь", "Другой", 9, "2025-09-01T10:00:00+00:00", reason, file, 27, 1)


def test_a_move_reads_in_russian_and_english_is_describe() -> None:
    from clientguard.evidence.export import move_text
    from clientguard.evidence.handover import LATE_REASON
    from clientguard.store.import_parties import MOVE_REASON

    out = _move("out", MOVE_REASON, "chat.json")
    assert move_text(out, "ru") == (
        "чат «Игорь» (переписка 3) передан клиенту «Другой» 2025-09-01 10:00 UTC: сообщений 27, событий 1; "
        "причина: импортирован снова с --client или файлом дела, где назван другой клиент, файл chat.json"
    )
    assert move_text(out, "en") == out.describe()
    late = move_text(_move("in", LATE_REASON), "ru")
    assert "получен от клиента «Другой» (seq 9 его журнала)" in late
    assert "записано позже командой `clientguard evidence sync`" in late
    assert move_text(_move("in", "a future reason"), "ru").endswith("причина: a future reason")


def test_a_problem_keeps_the_verifier_wording_in_english() -> None:
    from clientguard.evidence.chain import Problem
    from clientguard.evidence.export import problem_text

    p = Problem(1, 4, "message", "12", "source_changed", "message 12 was changed in the store after …")
    assert problem_text(p, "en") == "source_changed: message 12 was changed in the store after …"
    assert problem_text(p, "ru") == "изменено в базе после записи в журнал"
    odd = Problem(1, 4, "message", "12", "something_new", "detail")
    assert problem_text(odd, "ru") == "something_new: detail"  # never hidden


@pytest.mark.parametrize(
    ("kind", "text", "ru"),
    [
        ("message", "(deleted from the store)", "(удалено из базы)"),
        ("messages", "(unreadable message listing)", "(список сообщений не читается)"),
        ("note", "[call] Созвон: 2 правки", "[звонок] Созвон: 2 правки"),
        ("confirmation", "confirms note #1: Да, так", "подтверждает заметку #1: Да, так"),
        ("confirmation", "confirms note #2: message #14", "подтверждает заметку #2: сообщение клиента #14"),
        ("message", "[call] is the client's own text", "[call] is the client's own text"),
        ("invoice", "amount: 45000, number: П-09", "amount: 45000, number: П-09"),
    ],
)
def test_the_export_words_its_own_chronology_texts_only(kind: str, text: str, ru: str) -> None:
    from clientguard.evidence.export import Entry, entry_text

    entry = Entry(1, "0" * 64, kind, "1", None, None, None, text)
    assert entry_text(entry, "ru") == ru
    assert entry_text(entry, "en") == text  # and the JSON keeps it as logged
