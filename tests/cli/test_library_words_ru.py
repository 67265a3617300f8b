"""No English library text inside a Russian error line (``clientguard.reasons``).

A Russian line pasted other libraries' English: ``int()``'s "invalid literal for int()
with base 10: 'x'" (reply --fact), redis-py's "Error 111 connecting to … Connection
refused." (worker), python-docx's "Package not found at …" and pypdf's "Stream has ended
unexpectedly" (contract check, screen), the JSON parser's "Expecting ':' delimiter" (signals, an
import), csv's "field larger than field limit", datetime's "day is out of range for month"
(WhatsApp), YAML's "mapping values are not allowed here" (the case file), yajl's "object key
and value must be separated by a colon" (a Telegram export). Each row runs a
real command on a bad input through the real entry point: the Russian line says what is
wrong and where (a column, a line) in Russian and holds none of the library's words; the
English line keeps them, byte for byte as it printed before.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.suite_helpers import run_main

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Row:
    """A command on a bad file (``{tmp}``: the test's folder) and what each line says."""

    id: str
    args: tuple[str, ...]
    ru: str  # the Russian line contains this
    en: str  # the English line contains this (the library's words, as before)
    english: tuple[str, ...]  # library words the Russian line must not hold
    prepare: Callable[[Path], None] | None = None
    env: dict[str, str] = field(default_factory=dict)


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    def prepare(tmp: Path) -> None:
        (tmp / name).write_bytes(data)

    return prepare


def _zip_not_word(tmp: Path) -> None:
    with zipfile.ZipFile(tmp / "contract.docx", "w") as z:
        z.writestr("notes.txt", "не документ Word")


def _telegram_broken(tmp: Path) -> None:
    """A Telegram export past the streamed parser's first 64 KiB, with a key missing its colon."""
    export = json.loads((ROOT / "examples" / "sample_chat.json").read_text(encoding="utf-8"))
    export["messages"] = [m | {"id": m["id"] + k * 1000} for k in range(60) for m in export["messages"]]
    text = json.dumps(export, ensure_ascii=False, indent=1)
    cut = text.index('"text"', 5000)
    (tmp / "result.json").write_text(text[:cut] + '"text" "oops", ' + text[cut + 7 :], encoding="utf-8")


def _case_and_chat(tmp: Path) -> None:
    (tmp / "case.yaml").write_text("client: a\ncontract: b: c\n", encoding="utf-8")
    (tmp / "chat.txt").write_text(WA_FIRST, encoding="utf-8")


WA_FIRST = "14.09.2025, 10:00 - Иван Петров: Оплатим на следующей неделе\n"
JSONL_FIRST = '{"timestamp": "2025-09-01T10:00:00", "sender": "Игорь", "text": "Привет"}\n'

ROWS = [
    Row("fact-int", ("reply", "payment_reminder_friendly", "--fact", "days_overdue=x"),
        "факт days_overdue: нужно целое число, а указано «x»",
        "fact days_overdue: expected a whole number, got 'x' (invalid literal for int() with base 10: 'x')",
        ("invalid literal", "int()")),
    Row("fact-float", ("reply", "payment_reminder_friendly", "--fact", "amount=abc"),
        "факт amount: нужно число, а указано «abc»",
        "(could not convert string to float: 'abc')",
        ("could not convert", "float")),
    Row("docx-not-zip", ("contract", "check", "{tmp}/contract.docx"),
        "файл .docx не открывается (внутри не архив документа Word",
        "not a readable .docx file (Package not found at", ("Package", "not found"),
        _write("contract.docx", b"not a docx at all")),
    Row("docx-zip", ("contract", "check", "{tmp}/contract.docx"),
        "файл .docx не открывается (это архив, но не документ Word",
        "There is no item named '[Content_Types].xml' in the archive", ("There is no item", "archive"),
        _zip_not_word),
    Row("pdf-cut", ("contract", "check", "{tmp}/contract.pdf"),
        "PDF не читается (файл обрывается или повреждён",
        "not a readable PDF (Stream has ended unexpectedly)", ("Stream", "unexpectedly"),
        _write("contract.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")),
    Row("screen-docx", ("screen", "--brief", "{tmp}/brief.docx"),
        "нужен файл Word .docx, а этот не открывается (внутри не архив документа Word",
        "expected a Word .docx file, could not open it: Package not found at", ("Package", "not found"),
        _write("brief.docx", b"not a docx at all")),
    Row("screen-pdf", ("screen", "--brief", "{tmp}/brief.pdf"),
        "нужен файл PDF, а этот не читается (файл обрывается или повреждён",
        "expected a PDF file, could not read it: Stream has ended unexpectedly", ("Stream", "unexpectedly"),
        _write("brief.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")),
    Row("jsonl-signals", ("signals", "--in", "{tmp}/in.jsonl"),
        "нужен объект JSON, а строка — не JSON: после имени поля нет двоеточия «:» (столбец 7)",
        "expected a JSON object, got invalid JSON (Expecting ':' delimiter)", ("Expecting", "delimiter"),
        _write("in.jsonl", b'{"id": 1, "text": "a"}\n{"id" 2}\n')),
    Row("jsonl-import", ("import", "{tmp}/chat.jsonl", "--client", "Игорь"),
        "chat.jsonl:строка 2: повреждённый JSON: между значениями нет запятой «,» (столбец 12)",
        "broken JSON: Expecting ',' delimiter: line 1 column 12 (char 11)", ("Expecting", "char"),
        _write("chat.jsonl", (JSONL_FIRST + '{"text": 1 "x": 2}\n').encode())),
    Row("csv-cell", ("import", "{tmp}/chat.csv", "--client", "Игорь"),
        "chat.csv:строка 3: повреждённая строка CSV (ячейка длиннее 128 КиБ: скорее всего, кавычка "
        "не закрыта)",
        "broken CSV: field larger than field limit (131072)", ("field", "limit"),
        _write("chat.csv", "timestamp,sender,text\n2025-09-01T10:00:00,Игорь,Привет\n".encode()
               + b'2025-09-01T10:01:00,x,"' + b"x" * 140_000 + b"\n")),
    Row("whatsapp-day", ("import", "{tmp}/chat.txt", "--client", "Иван Петров"),
        "(31.02.2025, 10:07): такого дня в этом месяце нет; к предыдущему сообщению не добавлено",
        "(31.02.2025, 10:07): day is out of range for month;", ("out of range", "month"),
        _write("chat.txt", (WA_FIRST + "31.02.2025, 10:07 - Иван Петров: это уже не он\n").encode())),
    Row("case-yaml", ("analyze", "{tmp}/chat.txt", "--case", "{tmp}/case.yaml"),
        "ни JSON, ни YAML: двоеточие там, где значения быть не может: после «:» нужен пробел, у вложенного "
        "— отступ (строка 2, столбец 12)",
        "neither JSON nor YAML: mapping values are not allowed here", ("mapping values", "not allowed"),
        _case_and_chat),
    Row("telegram-yajl", ("import", "{tmp}/result.json", "--client", "Игорь"),
        "(байт 6483): ошибка в JSON в строке 193, столбце 11: после имени поля нет двоеточия «:»; файл "
        "не обрезан (текст идёт дальше), но дальше этого места не читается",
        "(byte 6483): a JSON syntax error at line 193, column 11: object key and value must be separated "
        "by a colon (':');", ("separated by", "colon"), _telegram_broken),
    Row("redis-url", ("worker",),
        "нужен адрес Redis вида redis://127.0.0.1:6379/0, а указано «http://x» "
        "(адрес начинается не с redis://, rediss:// или unix://)",
        "(Redis URL must specify one of the following schemes (redis://, rediss://, unix://))",
        ("must specify", "schemes"), env={"CLIENTGUARD_REDIS": "http://x"}),
    Row("redis-port", ("worker",), "«redis://127.0.0.1:x/0» (порт — не число)",
        "(Port could not be cast to integer value as 'x')", ("Port", "cast"),
        env={"CLIENTGUARD_REDIS": "redis://127.0.0.1:x/0"}),
    Row("redis-down", ("worker",),
        "redis://127.0.0.1:1/0 недоступен (CLIENTGUARD_REDIS): соединение отклонено: по этому адресу Redis "
        "не запущен",
        "cannot reach redis://127.0.0.1:1/0 (CLIENTGUARD_REDIS): Error 111 connecting to 127.0.0.1:1. "
        "Connection refused.", ("Error 111", "Connection refused"),
        env={"CLIENTGUARD_REDIS": "redis://127.0.0.1:1/0"}),
]  # fmt: skip


@pytest.fixture()
def tmp(tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLIENTGUARD_DB", f"sqlite:///{tmp_path / 'cg.sqlite3'}")
    return tmp_path


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_a_russian_line_holds_no_english_library_words(
    row: Row, tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if row.prepare is not None:
        row.prepare(tmp)
    for name, value in row.env.items():
        monkeypatch.setenv(name, value)
    args = [a.replace("{tmp}", str(tmp)) for a in row.args]
    said = {}
    for lang in ("ru", "en"):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        code, _, err = run_main(monkeypatch, capsys, *args)
        assert code == 1, (lang, err)
        said[lang] = err
    assert row.ru in said["ru"], said["ru"]
    for words in row.english:
        assert words not in said["ru"], said["ru"]
    assert row.en in said["en"], said["en"]


def test_no_english_sentence_is_left_in_the_russian_lines(
    tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Beyond the words each row names: no run of three English words in a Russian line."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "ru")
    sentence = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2}\b")
    for row in ROWS:
        if row.prepare is not None:
            row.prepare(tmp)
        for name, value in row.env.items():
            monkeypatch.setenv(name, value)
        _, _, err = run_main(monkeypatch, capsys, *[a.replace("{tmp}", str(tmp)) for a in row.args])
        for name in row.env:
            monkeypatch.delenv(name)
        assert not sentence.findall(err.replace(str(tmp), "")), (row.id, err)


def test_import_skip_bad_lists_the_skipped_records_in_the_interface_language(
    tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``import --skip-bad``'s list of skipped records printed each record's English under a
    Russian heading; the list is worded, the summary's JSON keeps the English."""
    (tmp / "chat.jsonl").write_text(JSONL_FIRST + '{"text": 1 "x": 2}\n', encoding="utf-8")
    (tmp / "notes.txt").write_text("просто заметки, не выгрузка чата\n", encoding="utf-8")
    args = ["import", str(tmp / "chat.jsonl"), str(tmp / "notes.txt"), "--client", "Игорь", "--skip-bad"]
    monkeypatch.setenv("CLIENTGUARD_LANG", "ru")
    code, out, _ = run_main(monkeypatch, capsys, *args)
    assert code == 0, out
    assert "chat.jsonl:строка 2: повреждённый JSON: между значениями нет запятой «,» (столбец 12)" in out
    assert "notes.txt: ни один импорт не узнаёт это содержимое" in out
    assert "Expecting" not in out and "no importer" not in out
    code, out, _ = run_main(monkeypatch, capsys, *args, "--json")
    assert "broken JSON: Expecting ',' delimiter: line 1 column 12 (char 11)" in out


def test_a_newer_database_is_refused_without_alembic_s_words_in_russian(
    tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Alembic's "Can't locate revision identified by …" said nothing the Russian line does not
    (the revision, a newer clientguard): English keeps it, Russian leaves it out."""
    from sqlalchemy import text

    from clientguard.store import open_store
    from clientguard.store.migrate import heads

    url = f"sqlite:///{tmp / 'newer.sqlite3'}"
    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_future' WHERE version_num = :head"),
                     {"head": max(heads())})  # fmt: skip
    said = {}
    for lang in ("ru", "en"):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        code, _, said[lang] = run_main(monkeypatch, capsys, "clients", "--db", url)
        assert code == 1, said[lang]
    assert said["ru"].endswith("обновите clientguard, чтобы открыть её"), said["ru"]
    assert "locate" not in said["ru"] and "revision" not in said["ru"]
    assert "Can't locate revision" in said["en"]
