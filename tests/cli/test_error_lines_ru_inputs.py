"""The rarer input errors in the interface language: a contract file, a lead's files, rows.

The contract reader (``contract check``), the presale inputs (``screen``), the CSV/JSONL
and Telegram HTML importers (``import``) and JSON Lines (``signals``) raised plain English,
so a Russian user read "is a directory; expected a contract file …" inside a Russian
line. Each row is a real command through the real entry point, once in Russian and once in
English: the Russian line is worded from ``errors.yaml``, the English one is byte for byte
what was printed before (scripts and tests match it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.suite_helpers import run_main

HEADER = "timestamp,sender,text\n"
#: A Telegram HTML page with one message; ``{title}`` is its time as tdesktop prints it.
TG_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"/><title>Exported Data</title></head><body>
<div class="page_wrap">
<div class="page_header"><div class="content"><div class="text bold">Игорь</div></div></div>
<div class="page_body chat_page"><div class="history">
<div class="message default clearfix" id="message1"><div class="body">
<div class="pull_right date details" title="{title}">10:02</div>
<div class="from_name">Игорь</div><div class="text">Привет</div>
</div></div>
</div></div></div></body></html>
"""


@dataclass(frozen=True)
class Row:
    """A command (``{tmp}`` is the test's folder), its files, and the line in each language."""

    id: str
    args: tuple[str, ...]
    ru: str
    en: str
    prepare: Callable[[Path], None] | None = None
    env: tuple[tuple[str, str], ...] = ()


def _write(name: str, data: str | bytes) -> Callable[[Path], None]:
    def prepare(tmp: Path) -> None:
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return prepare


def _folder(tmp: Path) -> None:
    (tmp / "folder").mkdir()


ROWS = [
    Row("contract-folder", ("contract", "check", "{tmp}/folder"),
        "ошибка (входной файл) E100: {tmp}/folder: это папка, а нужен файл договора "
        "(.docx, .pdf, .md или .txt)",
        "error E100: {tmp}/folder: is a directory; expected a contract file (.docx, .pdf, .md or .txt)",
        _folder),
    Row("contract-empty", ("contract", "check", "{tmp}/c.md"),
        "ошибка (входной файл) E100: {tmp}/c.md: файл пуст, а нужен договор",
        "error E100: {tmp}/c.md: the file is empty; expected a contract", _write("c.md", " \n")),
    Row("contract-json", ("contract", "check", "{tmp}/c.md"),
        "ошибка (формат файла не распознан) E101: {tmp}/c.md: нужен договор (.docx, .pdf, .md или .txt), "
        "а это файл JSON (выгрузка чата?)",
        "error E101: {tmp}/c.md: expected a contract (.docx, .pdf, .md or .txt), got a JSON file "
        "(a chat export?)",
        _write("c.md", '{"messages": []}\n')),
    Row("contract-rtf", ("contract", "check", "{tmp}/c.rtf"),
        "ошибка (формат файла не распознан) E101: {tmp}/c.rtf: это документ RTF (WordPad, TextEdit); "
        "откройте его в Word или LibreOffice и сохраните как .docx или PDF",
        "error E101: {tmp}/c.rtf: an RTF document (WordPad, TextEdit); open it in Word or LibreOffice and "
        "save it as .docx or PDF", _write("c.rtf", "{\\rtf1\\ansi Договор}\n")),
    Row("contract-binary", ("contract", "check", "{tmp}/c.txt"),
        "ошибка (входной файл) E100: {tmp}/c.txt:байт 2: нужен текст UTF-8, а здесь двоичные данные "
        "(байт 0x01) (UTF-16 без метки порядка байтов? сохраните файл в UTF-8)",
        "error E100: {tmp}/c.txt:byte 2: expected UTF-8 text, got binary data (byte 0x01) (UTF-16 without a "
        "byte-order mark? save it as UTF-8)", _write("c.txt", b"ab\x01\x00\x02\x03\x04\x05")),
    Row("brief-suffix", ("screen", "--brief", "{tmp}/brief.odt"),
        "ошибка (входной файл) E100: {tmp}/brief.odt: бриф нужен в одном из форматов .md, .markdown, .txt, "
        ".docx, .pdf, а у файла расширение «.odt»",
        "error E100: {tmp}/brief.odt: expected a brief as .md, .markdown, .txt, .docx, .pdf, got '.odt'",
        _write("brief.odt", "Бюджет: 50 000")),
    Row("lead-folder", ("screen", "--messages", "{tmp}/folder"),
        "ошибка (входной файл) E100: {tmp}/folder: это папка, а нужны сообщения лида: текстовый файл или "
        "выгрузка чата",
        "error E100: {tmp}/folder: is a directory; expected the lead's messages as a text file or a chat "
        "export",
        _folder),
    Row("lead-empty", ("screen", "--messages", "{tmp}/lead.txt"),
        "ошибка (входной файл) E100: {tmp}/lead.txt: файл пуст, а нужны сообщения лида (каждое — отдельным "
        "абзацем)",
        "error E100: {tmp}/lead.txt: the file is empty; expected the lead's messages (one per paragraph)",
        _write("lead.txt", "\n \n")),
    Row("csv-time", ("import", "{tmp}/chat.csv", "--client", "И"),
        "ошибка (повреждённая запись в файле) E102: {tmp}/chat.csv:строка 2: timestamp: нужно время ISO 8601 "
        "или секунды Unix, а здесь «вчера»",
        "error E102: {tmp}/chat.csv:line 2: timestamp: expected ISO 8601 or unix seconds, got 'вчера'",
        _write("chat.csv", HEADER + "вчера,Игорь,Привет\n")),
    Row("csv-sender", ("import", "{tmp}/chat.csv", "--client", "И"),
        "ошибка (повреждённая запись в файле) E102: {tmp}/chat.csv:строка 2: sender: пусто",
        "error E102: {tmp}/chat.csv:line 2: sender: empty",
        _write("chat.csv", HEADER + "2025-09-01T10:00:00, ,Привет\n")),
    Row("jsonl-missing", ("import", "{tmp}/chat.jsonl", "--client", "И"),
        "ошибка (повреждённая запись в файле) E102: {tmp}/chat.jsonl:строка 1: не хватает: sender",
        "error E102: {tmp}/chat.jsonl:line 1: missing sender",
        _write("chat.jsonl", '{"timestamp": "2025-09-01T10:00:00", "sender": null, "text": "Привет"}\n')),
    Row("telegram-html-time", ("import", "{tmp}/tg/messages.html", "--client", "И"),
        "ошибка (повреждённая запись в файле) E102: {tmp}/tg/messages.html:сообщение div#message1: "
        "нужно время вида «дд.ММ.гггг ЧЧ:мм:сс UTC±чч:мм», а здесь «вчера в 10:02»",
        "error E102: {tmp}/tg/messages.html:div#message1: expected 'dd.MM.yyyy HH:mm:ss UTC±hh:mm', got "
        "'вчера в 10:02'", _write("tg/messages.html", TG_PAGE.replace("{title}", "вчера в 10:02"))),
    Row("signals-line", ("signals", "--in", "{tmp}/in.jsonl"),
        "ошибка (повреждённая запись в файле) E102: {tmp}/in.jsonl:строка 1: нужен объект JSON, "
        "а здесь список; с --skip-bad будут разобраны остальные строки",
        "error E102: {tmp}/in.jsonl:line 1: expected a JSON object, got list; --skip-bad analyses the rest",
        _write("in.jsonl", "[1, 2]\n")),
    Row("time-zone", ("import", "{tmp}/chat.csv"),
        "ошибка (настройка или параметр) E200: CLIENTGUARD_TZ: нужен часовой пояс IANA, например "
        "Europe/Moscow, а указано «Mars/Base»",
        "error E200: CLIENTGUARD_TZ: expected an IANA time zone such as Europe/Moscow, got 'Mars/Base'",
        _write("chat.csv", HEADER + "2025-09-01T10:00:00,Игорь,Привет\n"),
        (("CLIENTGUARD_TZ", "Mars/Base"),)),
    Row("redis-url", ("worker",),
        "ошибка (настройка или параметр) E200: CLIENTGUARD_REDIS: нужен адрес Redis вида "
        "redis://127.0.0.1:6379/0, а указано «nothing» (адрес начинается не с redis://, rediss:// или unix://)",
        "error E200: CLIENTGUARD_REDIS: expected a Redis URL like redis://127.0.0.1:6379/0, got 'nothing' "
        "(Redis URL must specify one of the following schemes (redis://, rediss://, unix://))",
        env=(("CLIENTGUARD_REDIS", "nothing"),)),
    Row("fact-form", ("reply", "late_payment", "--fact", "x"),
        "ошибка (настройка или параметр) E200: --fact: нужно ключ=значение, а указано «x»",
        "error E200: --fact: expected key=value, got 'x'"),
    Row("fact-value", ("reply", "late_payment", "--fact", "contract_signed=может"),
        "ошибка (настройка или параметр) E200: факт contract_signed: нужно да или нет, а указано «может» "
        "(нужно да или нет)",
        "error E200: fact contract_signed: expected yes or no, got 'может' (expected yes or no)"),
]  # fmt: skip

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample_chat.json"
CLIENT = "Игорь Пенкин"  # the sample's client

#: Commands about a stored client (the sample's): notes and the facts of a reply.
STORED_ROWS = [
    Row("note-empty", ("note", "add", CLIENT, " "),
        "ошибка (настройка или параметр) E200: текст заметки пуст; напишите, о чём договорились",
        "error E200: expected the text of the note, got nothing"),
    Row("note-unknown", ("note", "confirm", CLIENT, "99", "--text", "да"),
        "ошибка (не найдено) E400: у этого клиента нет заметки 99 (список: clientguard note list)",
        "error E400: no note 99 for this client (see `clientguard note list`)"),
    Row("reply-invoice", ("reply", "late_payment", "--client", CLIENT, "--fact", "invoice_id=7"),
        "ошибка (не найдено) E400: у клиента «Игорь Пенкин» нет счёта «7»; счетов у него нет "
        "(список: clientguard invoice list)",
        "error E400: no invoice '7' of client 'Игорь Пенкин'; it has no invoices "
        "(see `clientguard invoice list`)"),
    Row("reply-message", ("reply", "late_payment", "--client", CLIENT, "--message", "999999"),
        "ошибка (не найдено) E400: у клиента «Игорь Пенкин» нет сообщения 999999 "
        "(список: clientguard messages)",
        "error E400: no message 999999 of client 'Игорь Пенкин' (see `clientguard messages`)"),
]  # fmt: skip


@pytest.fixture()
def tmp(tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's folder, with a database of its own for the imports."""
    monkeypatch.setenv("CLIENTGUARD_DB", f"sqlite:///{tmp_path / 'cg.sqlite3'}")
    return tmp_path


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_the_input_error_is_in_the_interface_language(
    row: Row, tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if row.prepare is not None:
        row.prepare(tmp)
    args = [a.replace("{tmp}", str(tmp)) for a in row.args]
    for name, value in row.env:
        monkeypatch.setenv(name, value)
    for lang, line in (("ru", row.ru), ("en", row.en)):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        code, _, err = run_main(monkeypatch, capsys, *args)
        assert code == 1, (lang, err)
        assert err == line.replace("{tmp}", str(tmp)), lang


@pytest.mark.parametrize("row", STORED_ROWS, ids=lambda r: r.id)
def test_a_stored_client_s_error_is_in_the_interface_language(
    row: Row, tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    assert run_main(monkeypatch, capsys, "import", str(SAMPLE))[0] == 0
    for lang, line in (("ru", row.ru), ("en", row.en)):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        code, _, err = run_main(monkeypatch, capsys, *row.args)
        assert (code, err) == (1, line), lang


def test_a_note_s_impossible_day_is_refused_in_the_interface_language(
    tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``note add --date`` in the future: a usage error (exit 2) in Typer's box, in either language."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    assert run_main(monkeypatch, capsys, "import", str(SAMPLE))[0] == 0
    for lang, line in (("ru", "'--date': 2099-01-01 ещё не наступило; заметка записывает то, что уже было"),
                       ("en", "'--date': 2099-01-01 has not come yet; a note records what already happened")):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        code, _, err = run_main(monkeypatch, capsys, "note", "add", CLIENT, "созвон", "--date", "2099-01-01")
        boxed = " ".join(err.replace("│", " ").split())
        assert code == 2 and line in boxed, (lang, boxed)


def test_the_system_s_reason_is_worded_too(
    tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name longer than the file system allows: the OS's "File name too long" in Russian words.

    ``Path.is_dir`` and ``exists`` raise for such a name instead of answering: ``contract
    check``, ``screen`` and ``import`` ended in a traceback.
    """
    long = f"{tmp}/{'д' * 200}.md"  # 400 bytes in UTF-8: over NAME_MAX (255) on every common file system
    document = ("файл не читается: слишком длинное имя файла", "cannot read the file: File name too long")
    chat = ("не удаётся прочитать: слишком длинное имя файла", "cannot read: File name too long")
    for args, (ru, en) in (
        (("contract", "check", long), document),
        (("screen", "--brief", long), document),
        (("screen", "--messages", long), document),
        (("import", long), chat),
    ):
        lines = (("ru", f"ошибка (входной файл) E100: {long}: {ru}"), ("en", f"error E100: {long}: {en}"))
        for lang, line in lines:
            monkeypatch.setenv("CLIENTGUARD_LANG", lang)
            code, _, err = run_main(monkeypatch, capsys, *args)
            assert (code, err) == (1, line), args
