"""The importers' error lines in the interface language, and a broken Telegram JSON told apart.

Russian first: a Russian line used to paste the library's English ("письмо не читается:
ValueError: …", "а здесь list", Python's "day is out of range for month", the decoder's
"truncated data"). And a small Telegram JSON export with a syntax error in the middle was
"the file is truncated" at its last byte, because the parser had read all of it when it
stopped; it now names the line and column (E104), and a file that really ends early is still
E103 "truncated".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clientguard.errors import InputError, JsonSyntaxError, MalformedRecordError, TruncatedFileError
from clientguard.ingest import ReadContext, read_path
from clientguard.ingest.base import SkippedRecord

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
LATIN = re.compile(r"[A-Za-z]{3,}")


def _items(path: Path, ctx: ReadContext | None = None) -> list[object]:
    return [i for pc in read_path(path, ctx or ReadContext()) for i in pc.items]


def _english_words(text: str) -> list[str]:
    """Latin words of a Russian line, but for the names and ids it may quote (JSON, UTF, HTML)."""
    allowed = {"JSON", "UTF", "HTML", "null", "true", "false", "skip", "bad", "line", "byte", "messages"}
    return [w for w in LATIN.findall(text) if w not in allowed]


# ---------------------------------------------------------------- e-mail


MAIL_WITH_CONTROLS = (
    b"From: Client <client@example.com>\r\nTo: me@example.com\r\nSubject: test\r\n"
    b"Date: Mon, 1 Sep 2025 10:00:00 +0300\r\nMessage-ID: <ctl@x>\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n\r\n"
    b"<html><body><p>\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82<br>\x0c\x01\xd0\xbc\xd0\xb8\xd1\x80</p>"
    b"</body></html>\r\n"
)


def test_a_mail_whose_html_holds_control_characters_is_read_not_skipped(tmp_path: Path) -> None:
    """lxml refused to set a tail holding \\x0c or \\x01 ("All strings must be XML compatible"),
    so the whole mail was an unreadable record (skipped, or the import stopped)."""
    path = tmp_path / "one.eml"
    path.write_bytes(MAIL_WITH_CONTROLS)
    ctx = ReadContext(skip_bad=True)
    msgs = _items(path, ctx)
    assert ctx.skipped == []
    assert [getattr(m, "text", None) for m in msgs] == ["Привет\nмир"]


def test_an_unreadable_mail_is_said_in_russian_without_the_library_s_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import clientguard.ingest.mail as mail

    def broken(raw: bytes) -> object:
        raise ValueError("boom in the mail library")

    monkeypatch.setattr(mail, "mail_to_message", broken)
    with pytest.raises(MalformedRecordError) as caught:
        _items(FIX / "mailbox.mbox")
    ru = caught.value.text("ru")
    assert ru.startswith("письмо не читается: заголовки или текст письма разобрать не удалось"), ru
    assert "ValueError" not in ru and "boom" not in ru
    # the English is the library's words as before (logs, the job's error, --json)
    assert caught.value.text("en") == "unreadable mail: ValueError: boom in the mail library"


# ---------------------------------------------------------------- other importers


def test_a_json_lines_record_that_is_a_list_says_so_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "chat.jsonl"
    path.write_text('{"timestamp": "2025-09-01T10:00:00", "sender": "Анна", "text": "привет"}\n[1, 2]\n',
                    encoding="utf-8")
    with pytest.raises(MalformedRecordError) as caught:
        _items(path)
    assert caught.value.text("ru") == "нужен объект (словарь), а здесь список"
    assert caught.value.text("en") == "expected an object, got list"


def test_a_telegram_html_message_with_an_impossible_date_is_worded_in_russian(tmp_path: Path) -> None:
    page = (FIX / "tg_html" / "messages.html").read_text(encoding="utf-8")
    page = page.replace('title="12.03.2024 10:01:00 UTC+03:00"', 'title="31.02.2024 10:01:00 UTC+03:00"')
    (tmp_path / "messages.html").write_text(page, encoding="utf-8")
    ctx = ReadContext(skip_bad=True)
    _items(tmp_path / "messages.html", ctx)
    (skipped,) = ctx.skipped
    assert isinstance(skipped, SkippedRecord) and skipped.said is not None
    ru = skipped.said.text("ru")
    title = "31.02.2024 10:01:00 UTC+03:00"
    assert ru == f"невозможные дата или время сообщения «{title}»: такого дня в этом месяце нет"
    assert skipped.error == f"impossible date or time '{title}': day is out of range for month"


def test_a_utf16_file_broken_after_its_mark_says_why_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "chat.csv"
    body = "timestamp,sender,text\n2025-09-01T10:00:00,Анна,привет\n".encode("utf-16-le")
    path.write_bytes(b"\xff\xfe" + body + b"\x41")  # one byte too many: a cut character at the end
    with pytest.raises(InputError) as caught:
        _items(path)
    ru = caught.value.text("ru")
    assert ru.endswith(": файл кончается посреди символа"), ru
    assert "truncated data" in caught.value.text("en")


# ---------------------------------------------------------------- Telegram JSON: cut off or broken


def _export(n: int, full: bool = False) -> str:
    msgs = [{"id": i + 1, "type": "message", "date": "2025-09-01T10:00:00",
             "date_unixtime": str(1756710000 + i), "from": "Анна Клиентова", "from_id": "user7",
             "text": f"сообщение номер {i + 1}, всё хорошо"} for i in range(n)]
    chat = {"name": "Анна Клиентова", "type": "personal_chat", "id": 7, "messages": msgs}
    doc = {"about": "x", "chats": {"list": [chat]}} if full else chat
    return json.dumps(doc, ensure_ascii=False, indent=1)


def _python_place(text: str) -> tuple[int, int]:
    """Where Python's own JSON parser puts the first syntax error: the reference."""
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    return caught.value.lineno, caught.value.colno


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("n", [12, 4000])  # one read of the parser, and many (a line past 64 KiB)
def test_a_syntax_error_in_the_middle_names_its_line_and_column(tmp_path: Path, n: int, full: bool) -> None:
    text = _export(n, full)
    cut = text.index('"id": ' + str(n // 2 + 1) + ",")
    broken = text[:cut] + text[cut:].replace('"type": "message",', '"type": "message"', 1)  # a lost comma
    line, column = _python_place(broken)
    path = tmp_path / "result.json"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(JsonSyntaxError) as caught:
        _items(path)
    exc = caught.value
    assert exc.code == "E104" and isinstance(exc, TruncatedFileError)  # still stops the import whole
    ru, en = exc.line("ru"), exc.line("en")
    assert f"ошибка в JSON в строке {line}, столбце {column}: после значения нет запятой «,»" in ru, ru
    assert "файл не обрезан" in ru and "обрезан:" not in ru
    assert f"a JSON syntax error at line {line}, column {column}" in en and "truncated" not in en, en
    assert "исправьте это место или выгрузите чат заново" in ru
    offset = int(re.search(r"\(byte (\d+)\)", str(exc.where)).group(1))  # type: ignore[union-attr]
    assert broken.encode("utf-8")[:offset].count(b"\n") + 1 == line  # the byte is the place, not the end
    # told apart from a file that ends early: that one is still "truncated" (E103)
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(TruncatedFileError) as cut:
        _items(path)
    assert type(cut.value) is TruncatedFileError and cut.value.code == "E103"
    assert "файл обрезан: всё дальше этого места потеряно" in cut.value.line("ru")
    assert "the file is truncated" in cut.value.line("en")


def test_a_syntax_error_after_cyrillic_text_counts_columns_in_letters(tmp_path: Path) -> None:
    broken = ('{"name": "Анна", "type": "personal_chat", "id": 7, "messages": [\n'
              ' {"id": 1, "type": "message", "date_unixtime": "1756710000", "from": "Анна",'
              ' "text": "привет" "ой"}\n'
              ']}\n')  # fmt: skip
    path = tmp_path / "result.json"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(JsonSyntaxError) as caught:
        _items(path)
    assert f"строке 2, столбце {_python_place(broken)[1]}" in caught.value.line("ru")


def test_the_cli_line_names_the_kind_of_error_in_both_languages(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.suite_helpers import run_main

    path = tmp_path / "result.json"
    path.write_text(_export(12).replace('"id": 7,', '"id": 7', 1), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    said = {}
    for lang in ("ru", "en"):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        code, _, said[lang] = run_main(monkeypatch, capsys, "import", str(path), "--client", "A", "--db", db)
        assert code == 1, said[lang]
    ru = said["ru"]
    assert ru.startswith(f"ошибка (ошибка синтаксиса в файле) E104: {path}:верхний уровень JSON (байт "), ru
    assert "ошибка в JSON в строке 5, столбце 2: " in said["ru"]
    assert not _english_words(said["ru"].split(": ", 2)[2].replace("--skip-bad", "")), said["ru"]
    assert said["en"].startswith(f"error E104: {path}:top level (byte "), said["en"]
    assert "a JSON syntax error at line 5, column 2: " in said["en"]
