"""The place inside a file is worded in the interface language, like the rest of the line.

Error lines were Russian but their place stayed English ("chat.jsonl:line 2: повреждённый
JSON …", "result.json:messages[5] (byte 3000): файл обрезан …"). Each row is a bad input
of one importer (the repository's bad-input fixtures, or a file written here) imported
through the real entry point, once in Russian and once in English: the Russian line names
"строка 2", "сообщение messages[1]", "байт N"; the English one is what it always was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from clientguard.errors import Place, Where, place_text
from tests.suite_helpers import run_main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
HEADER = "timestamp,sender,text\n"
GOOD = '{"timestamp": "2025-09-01T10:00:00", "sender": "Игорь", "text": "Добрый день"}\n'


@dataclass(frozen=True)
class Case:
    """A bad file ``name`` and the place its first broken spot is named by, per language."""

    id: str
    name: str
    write: Callable[[Path], None]
    ru: str
    en: str
    skip_bad: tuple[tuple[str, str], ...] = ()  # what --skip-bad lists instead: (ru, en) places


def _text(data: str | bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return write


def _fixture(name: str) -> Callable[[Path], None]:
    return lambda path: shutil.copyfile(FIXTURES / name, path)


CASES = [
    Case("jsonl-json", "chat.jsonl", _text(GOOD + '{"timestamp": "x" "sender": 1}\n'), "строка 2", "line 2"),
    Case("jsonl-bytes", "chat.jsonl", _text(GOOD.encode() * 2 + b'{"text": "\xff"}\n'), "строка 3", "line 3"),
    Case("jsonl-list", "chat.jsonl", _text(GOOD + "[1, 2]\n" + GOOD + "{oops}\n"), "строка 2", "line 2",
         (("строка 2", "line 2"), ("строка 4", "line 4"))),
    Case("csv-time", "chat.csv", _text(HEADER + "2025-09-01T10:00:00,Игорь,Привет\nвчера,Игорь,Ну\n"),
         "строка 3", "line 3"),
    Case("whatsapp-date", "wa.txt",
         _text("12.09.2025, 10:00 - Игорь: Привет\n31.02.2025, 10:05 - Игорь: Ну\n"), "строка 2", "line 2"),
    Case("telegram-records", "result.json", _fixture("telegram_bad_records.json"),
         "сообщение messages[1]", "messages[1]",
         (("сообщение messages[1]", "messages[1]"), ("сообщение messages[2], поле date", "messages[2].date"),
          ("сообщение messages[3], поле date_unixtime", "messages[3].date_unixtime"))),
]  # fmt: skip


@pytest.fixture()
def tmp(tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLIENTGUARD_DB", f"sqlite:///{tmp_path / 'cg.sqlite3'}")
    return tmp_path


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_error_names_its_place_in_the_interface_language(
    case: Case, tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp / case.name
    case.write(path)
    for lang, where in (("ru", case.ru), ("en", case.en)):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        code, _, err = run_main(monkeypatch, capsys, "import", str(path), "--client", "Игорь")
        assert code == 1, (lang, err)
        assert f" {path}:{where}: " in err, (lang, err)


@pytest.mark.parametrize("case", [c for c in CASES if c.skip_bad], ids=lambda c: c.id)
def test_skip_bad_lists_the_places_in_the_interface_language(
    case: Case, tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp / case.name
    case.write(path)
    for index, lang in enumerate(("ru", "en")):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        code, out, err = run_main(monkeypatch, capsys, "import", str(path), "--client", f"Игорь {lang}",
                                  "--skip-bad")  # fmt: skip
        assert code == 0, (lang, err)
        listed = [line.strip() for line in out.splitlines() if line.strip().startswith(f"{path}:")]
        assert [line.split(": ", 1)[0] for line in listed] == [f"{path}:{p[index]}" for p in case.skip_bad]


def test_a_truncated_telegram_export_names_the_message_and_byte(
    tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp / "result.json"
    shutil.copyfile(FIXTURES / "telegram_truncated.json", path)
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    err = run_main(monkeypatch, capsys, "import", str(path))[2]
    where = Where(str(path), err.split(f"{path}:", 1)[1].split(": ", 1)[0])
    assert where.place is not None and where.place.kind == "path" and where.place.byte is not None
    monkeypatch.setenv("CLIENTGUARD_LANG", "ru")
    ru = run_main(monkeypatch, capsys, "import", str(path))[2]
    index = where.place.name.removeprefix("messages")
    assert f"{path}:сообщение messages{index} (байт {where.place.byte}): файл обрезан" in ru, ru
    assert "(до этого места файл цел: " in ru and " сообщени" in ru, ru


@pytest.mark.parametrize(
    ("place", "ru", "en"),
    [
        (Place.line(3), "строка 3", "line 3"),
        (Place.lines(4, 6), "строки 4–6", "lines 4-6"),
        (Place.at_byte(517), "байт 517", "byte 517"),
        (Place.message(12), "сообщение 12", "message 12"),
        (Place.path("messages[3]"), "сообщение messages[3]", "messages[3]"),
        (Place.path("messages[3].date_unixtime"), "сообщение messages[3], поле date_unixtime",
         "messages[3].date_unixtime"),
        (Place.path("chats.list[2].messages[5]", byte=900), "сообщение chats.list[2].messages[5] (байт 900)",
         "chats.list[2].messages[5] (byte 900)"),
        (Place.path("chats.list[1]"), "чат chats.list[1]", "chats.list[1]"),
        (Place.path("top level", byte=78), "верхний уровень JSON (байт 78)", "top level (byte 78)"),
        (Place.path("[4].ts"), "запись [4], поле ts", "[4].ts"),
        (Place.path("message_labels.tone"), "поле message_labels.tone", "message_labels.tone"),
    ],
)  # fmt: skip
def test_a_place_is_data_worded_per_language_and_its_english_is_its_string(
    place: Place, ru: str, en: str
) -> None:
    assert (place.text("ru"), place.text("en"), str(place)) == (ru, en, en)
    assert Place.parse(en) == place  # what older code passes as a string reads the same
    assert Where("f.json", place) == Where("f.json", en)
    assert Where("f.json", place).text("ru") == f"f.json:{ru}"
    assert str(Where("f.json", place)) == f"f.json:{en}"


def test_a_string_that_is_no_place_stays_as_it_is() -> None:
    """A file inside a Slack archive, a free word: nothing to translate, nothing lost."""
    assert place_text("general/2024-01-02.json", "ru") == "general/2024-01-02.json"
    assert Where("export.zip", "general/2024-01-02.json").text("ru") == "export.zip:general/2024-01-02.json"
    assert Where("chat.txt").text("ru") == "chat.txt"
