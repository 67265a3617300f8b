"""A user error is said in the interface language: Russian in Russian, English as it was.

The coded message used to stay English in a Russian interface ("ошибка (не найдено) E400:
no client named 'a' …"); it is now worded from ``clientguard/report/data/errors.yaml``.
Each row is a real command run through the real entry point, once with a Russian and once
with an English interface: the Russian line is the Russian wording with the same code and
the same file and place, the English line is byte for byte the line printed before the
table existed (scripts and tests match it). The rows cover the command line (options,
amounts, identities), the store (lookup, rename, merge, forget, move-chat, the database
file) and the importers (E100, E101, E103, a folder with no export).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.suite_helpers import run_main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CLIENT = "Игорь Пенкин"  # the sample's client
DUE = (date.today() + timedelta(days=30)).isoformat()
ISSUED = (date.today() - timedelta(days=10)).isoformat()
BEFORE = (date.today() - timedelta(days=400)).isoformat()


@dataclass(frozen=True)
class Row:
    """A command (``{tmp}`` is the test's folder) and the line it prints in each language."""

    id: str
    args: tuple[str, ...]
    ru: str
    en: str
    prepare: Callable[[Path], None] | None = None


def _junk(tmp: Path) -> None:
    (tmp / "notes.txt").write_text("просто заметки, не выгрузка чата\n", encoding="utf-8")


def _empty(tmp: Path) -> None:
    (tmp / "empty").mkdir()


def _cut(tmp: Path) -> None:
    (tmp / "broken.json").write_bytes(SAMPLE.read_bytes()[:3000])


def _latin1(tmp: Path) -> None:
    line = "12.09.2025, 10:00 - Jean: café déjà vu, crème brûlée, été\n"
    (tmp / "wa.txt").write_bytes(line.encode("latin-1"))


def _jsonl(tmp: Path) -> None:
    first = '{"timestamp": "2025-09-01T10:00:00", "sender": "Игорь", "text": "Привет"}'
    (tmp / "chat.jsonl").write_text(f"{first}\n[1, 2]\n", encoding="utf-8")


def _list_case(tmp: Path) -> None:
    (tmp / "case.yaml").write_text("- just\n- a list\n", encoding="utf-8")


ROWS = [
    Row("lookup", ("analyze", "--client", "Никто"),
        "ошибка (не найдено) E400: нет клиента «Никто» (список: clientguard clients)",
        "error E400: no client named 'Никто' (see `clientguard clients`)"),
    Row("lookup-close", ("invoice", "add", "Игорь Пенкен", "1000", "--due", DUE),
        "ошибка (не найдено) E400: нет клиента «Игорь Пенкен»; может быть, «Игорь Пенкин»? "
        "(проверьте имя или добавьте --create-client, чтобы завести клиента)",
        "error E400: no client named 'Игорь Пенкен'; did you mean 'Игорь Пенкин'? "
        "(check the name, or add --create-client to add this client)"),
    Row("rename-same", ("clients", "rename", CLIENT, CLIENT),
        "ошибка (настройка или параметр) E200: клиент «Игорь Пенкин» уже так называется; ничего не изменено",
        "error E200: client “Игорь Пенкин” is already named so; nothing changed"),
    Row("merge-one", ("clients", "merge", CLIENT, "игорь пенкин"),
        "ошибка (настройка или параметр) E200: «Игорь Пенкин» и «игорь пенкин» — один и тот же клиент "
        "(«Игорь Пенкин»); объединять нечего",
        "error E200: “Игорь Пенкин” and “игорь пенкин” are one client (“Игорь Пенкин”); nothing to merge"),
    Row("forget-no-reason", ("clients", "forget", CLIENT, "--reason", " ", "--yes"),
        "ошибка (настройка или параметр) E200: укажите причину (--reason): журнал доказательств "
        "записывает, почему клиент удалён",
        "error E200: expected a reason (--reason): the evidence log records why the client was erased"),
    Row("move-chat", ("clients", "move-chat", "Нет такого чата", CLIENT),
        "ошибка (не найдено) E400: нет переписки «Нет такого чата» (переписку называют по заголовку или "
        "номеру, список: clientguard messages КЛИЕНТ --json)",
        "error E400: no chat named 'Нет такого чата' (a chat is named by its title or its conversation id, "
        "see `clientguard messages CLIENT --json`)"),
    Row("identity", ("me", "remove", "nobody@example.com"),
        "ошибка (не найдено) E400: nobody@example.com — не ваш идентификатор",
        "error E400: nobody@example.com is not one of your identities"),
    Row("cents", ("invoice", "add", CLIENT, "0.001", "--due", DUE),
        "ошибка (настройка или параметр) E200: сумма счёта: не больше 2 знаков после запятой "
        "(копейки, центы), а указано 0,001",
        "error E200: invoice amount: expected at most 2 decimal places (kopecks, cents), got 0.001"),
    Row("too-big", ("invoice", "add", CLIENT, "2000000000000", "--due", DUE),
        "ошибка (настройка или параметр) E200: сумма счёта: нужно не больше 1 000 000 000 000, "
        "а указано 2 000 000 000 000",
        "error E200: invoice amount: expected at most 1,000,000,000,000, got 2,000,000,000,000"),
    Row("invoice-number", ("invoice", "add", CLIENT, "100", "--due", DUE, "--id", " "),
        "ошибка (настройка или параметр) E200: номер счёта: пусто; напишите номер (например, 12 или П-09)",
        "error E200: invoice number: expected some text (e.g. 12 or П-09), got nothing"),
    Row("paid-before", ("invoice", "paid", CLIENT, "A1", "--on", BEFORE),
        f"ошибка (настройка или параметр) E200: счёт «A1» выставлен {ISSUED}: "
        f"оплата от {BEFORE} — раньше этого",
        f"error E200: invoice 'A1' was issued on {ISSUED}: a payment dated {BEFORE} is before that"),
    Row("unknown-invoice", ("invoice", "paid", CLIENT, "NOPE"),
        "ошибка (не найдено) E400: у клиента «Игорь Пенкин» нет счёта «NOPE» "
        "(см. `clientguard invoice list --all`)",
        "error E400: no invoice 'NOPE' for 'Игорь Пенкин' (see `clientguard invoice list --all`)"),
    Row("out-folder", ("evidence", "export", CLIENT, "--out", "{tmp}/nope/e.html"),
        "ошибка (входной файл) E100: {tmp}/nope/e.html: сюда не записать: папки {tmp}/nope нет",
        "error E100: {tmp}/nope/e.html: cannot write here: folder {tmp}/nope does not exist"),
    Row("no-file", ("import", "{tmp}/missing.json"),
        "ошибка (настройка или параметр) E200: нет такого файла или папки: {tmp}/missing.json",
        "error E200: no such file or directory: {tmp}/missing.json"),
    Row("no-database", ("clients", "--db", "sqlite:///{tmp}/nope.sqlite3"),
        "ошибка (база данных) E300: нет базы данных {tmp}/nope.sqlite3; проверьте --db или CLIENTGUARD_DB "
        "(база создаётся первым импортом)",
        "error E300: no database at {tmp}/nope.sqlite3; check --db or CLIENTGUARD_DB "
        "(a database is created by the first import)"),
    Row("unknown-format", ("import", "{tmp}/notes.txt"),
        "ошибка (формат файла не распознан) E101: {tmp}/notes.txt: ни один импорт не узнаёт это содержимое",
        "error E101: {tmp}/notes.txt: no importer recognises this content", _junk),
    Row("empty-folder", ("import", "{tmp}/empty"),
        "ошибка (не найдено) E400: в {tmp}/empty нет выгрузки: папка пуста",
        "error E400: no export found in {tmp}/empty: the folder is empty", _empty),
    Row("truncated", ("import", "{tmp}/broken.json"),
        "ошибка (файл обрывается на середине) E103: {tmp}/broken.json:сообщение messages[5] (байт 3000): "
        "файл обрезан: всё дальше этого места потеряно (до этого места файл цел: 5 сообщений чата); "
        "ничего не импортировано, даже с --skip-bad: выгрузите чат заново",
        "error E103: {tmp}/broken.json:messages[5] (byte 3000): the file is truncated: everything from here "
        "on is missing (5 message(s) of this chat before it are complete); nothing was imported, even with "
        "--skip-bad: export the chat again", _cut),
    Row("encoding", ("import", "{tmp}/wa.txt", "--client", "L"),
        "ошибка (входной файл) E100: {tmp}/wa.txt:строка 1: не удаётся определить кодировку: байт 0xE9 в "
        "столбце 30 (смещение 29) — не UTF-8, и в Windows-1251 или KOI8-R текст тоже не читается как "
        "русский; сохраните файл в UTF-8 и импортируйте заново",
        "error E100: {tmp}/wa.txt:line 1: cannot tell the text encoding: byte 0xE9 at column 30 (byte offset "
        "29) is not UTF-8, and the text does not read as Russian in Windows-1251 or KOI8-R either; save the "
        "file as UTF-8 and import it again", _latin1),
    Row("broken-record", ("import", "{tmp}/chat.jsonl", "--client", "J"),
        "ошибка (повреждённая запись в файле) E102: {tmp}/chat.jsonl:строка 2: "
        "нужен объект (словарь), а здесь список",
        "error E102: {tmp}/chat.jsonl:line 2: expected an object, got list", _jsonl),
    Row("case-file", ("analyze", "--case", "{tmp}/case.yaml"),
        "ошибка (настройка или параметр) E200: {tmp}/case.yaml: в начале файла дела нужен словарь "
        "(ключ: значение), а там список",
        "error E200: {tmp}/case.yaml: expected a mapping at the top of the case file, got list", _list_case),
]  # fmt: skip


@pytest.fixture()
def db(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    """A database holding the sample's client and its invoice A1 (issued ten days ago)."""
    monkeypatch.setenv("CLIENTGUARD_DB", f"sqlite:///{tmp_path / 'cg.sqlite3'}")
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    assert run_main(monkeypatch, capsys, "import", str(SAMPLE))[0] == 0
    code, _, err = run_main(monkeypatch, capsys, "invoice", "add", CLIENT, "300", "--due", DUE,
                            "--issued", ISSUED, "--id", "A1")  # fmt: skip
    assert code == 0, err
    return tmp_path


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_the_error_line_is_in_the_interface_language(
    row: Row, db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if row.prepare is not None:
        row.prepare(db)
    args = [a.replace("{tmp}", str(db)) for a in row.args]
    for lang, line in (("ru", row.ru), ("en", row.en)):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        code, _, err = run_main(monkeypatch, capsys, *args)
        assert code == 1, (lang, err)
        assert err == line.replace("{tmp}", str(db)), lang


def test_the_error_itself_stays_english_in_a_russian_interface(db: Path) -> None:
    """Only the printed line is Russian: the exception (logs, job records) keeps the English.

    An unknown invoice was re-raised with the Russian line as its message.
    """
    from typer.testing import CliRunner

    from clientguard.cli import build_app
    from clientguard.errors import NotFoundError

    args = ["invoice", "paid", CLIENT, "NOPE"]
    result = CliRunner().invoke(build_app(), args, env={"CLIENTGUARD_LANG": "ru"})
    assert isinstance(result.exception, NotFoundError)
    english = "E400: no invoice 'NOPE' for 'Игорь Пенкин' (see `clientguard invoice list --all`)"
    assert str(result.exception) == english
    assert result.exception.text("ru").startswith("у клиента «Игорь Пенкин» нет счёта")


def test_the_root_lang_option_words_the_message_too(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``clientguard --lang ru …`` in an English setting: the message follows the option."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    code, _, err = run_main(monkeypatch, capsys, "--lang", "ru", "analyze", "--client", "Никто")
    assert code == 1 and err == "ошибка (не найдено) E400: нет клиента «Никто» (список: clientguard clients)"


#: A value the command line cannot read is a usage error (exit 2) in Typer's error box:
#: "Invalid value for '--on': …" in English, the same in Russian words.
OPTION_ROWS = [
    Row("impossible-day", ("messages", CLIENT, "--since", "31.02.2025"),
        "Недопустимое значение '--since': «31.02.2025» — не дата: в феврале 2025 года последнее число — 28",
        "Invalid value for '--since': '31.02.2025' is not a date: February 2025 has 28 days"),
    Row("slashed-either-way", ("invoice", "paid", CLIENT, "A1", "--on", "05/11/2025"),
        "Недопустимое значение '--on': «05/11/2025» — это 5 ноября (если день первый) или 11 мая (если "
        "первый месяц), а по локали не понять, какая страна; напишите 2025-11-05 или 2025-05-11",
        "Invalid value for '--on': '05/11/2025' could be 5 November (day first) or May 11 (month first), "
        "and the locale names no country to decide by: write 2025-11-05 or 2025-05-11"),
    Row("exponent", ("invoice", "add", CLIENT, "1e3", "--due", DUE),
        "Недопустимое значение 'amount': напишите число полностью, например 1000 (не 1e3); указано «1e3»",
        "Invalid value for 'amount': expected the number written out, such as 1000 (not 1e3); got '1e3'"),
    Row("hours", ("time", "add", CLIENT, "полчаса"),
        "Недопустимое значение 'hours': нужны часы, например 1.5, 1,5 или 1:30; указано «полчаса»",
        "Invalid value for 'hours': expected hours such as 1.5, 1,5 or 1:30; got 'полчаса'"),
    Row("late-fee", ("contract", "set", CLIENT, "--late-fee", "500"),
        "Недопустимое значение '--late-fee': нужен процент от 0 до 5 (обычно 0,1 в день), а указано 500",
        "Invalid value for '--late-fee': expected a percentage from 0 to 5 (0.1 per day is usual), got 500"),
    Row("working-hours", ("contract", "set", CLIENT, "--working-hours", "Mon-Fri 19:00-10:00"),
        "Недопустимое значение '--working-hours': начало рабочего дня должно быть раньше конца, а указано "
        "19:00-10:00 (часы через полночь не поддерживаются; для 10 часов вечера напишите 22:00 или 10pm)",
        "Invalid value for '--working-hours': expected the start before the end of the working day, got "
        "19:00-10:00 (hours over midnight are not supported; for 10 pm write 22:00 or 10pm)"),
    Row("dot-thousands", ("invoice", "add", CLIENT, "45.000", "--due", DUE),
        "Недопустимое значение 'amount': «45.000» можно понять двояко: тысячи напишите как 45000 или 45 000; "
        "у суммы не больше 2 знаков после точки",
        "Invalid value for 'amount': '45.000' is ambiguous: for thousands write 45000 or 45 000; a decimal "
        "amount has at most 2 digits after the point"),
    Row("nothing-to-analyze", ("analyze",),
        "Недопустимое значение: укажите выгрузку чата (PATH) или сохранённого клиента (--client ИМЯ)",
        "Invalid value: give a chat export (PATH) or a stored client (--client NAME)"),
    Row("from-after-to", ("time", "list", CLIENT, "--from", "2025-09-10", "--to", "2025-09-01"),
        "Недопустимое значение '--from': --from 2025-09-10 позже --to 2025-09-01",
        "Invalid value for '--from': --from 2025-09-10 is after --to 2025-09-01"),
]  # fmt: skip


@pytest.mark.parametrize("row", OPTION_ROWS, ids=lambda r: r.id)
def test_a_refused_option_value_is_in_the_interface_language(
    row: Row, db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for lang, line in (("ru", row.ru), ("en", row.en)):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        code, _, err = run_main(monkeypatch, capsys, *row.args)
        boxed = " ".join(err.replace("│", " ").split())  # Rich draws the message in a box
        assert code == 2 and line in boxed, (lang, boxed)
