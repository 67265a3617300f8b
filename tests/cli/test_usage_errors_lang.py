"""Click's own usage errors in the interface language, exit code 2 kept.

A missing argument, an unknown option or command, a value Typer's types refuse: click
words these itself, and they stayed English inside the Russian error box ("Invalid value
for 'path': path 'Студия «Ирис»' does not exist."). Each row runs the real app through
CliRunner in a Russian and in an English interface: the Russian is worded from
``usage_errors`` of ``report/data/cli_help.yaml``; the English is click's message byte for
byte, with a hint after it where the slip is known (``analyze NAME`` meant ``--client``;
words left over are a name with spaces not quoted). The parser's errors also get the usage
line and the Russian title, which they lacked (no context: "Error" in a Russian box).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Formatter

import pytest
from typer._click.exceptions import BadParameter, MissingParameter, UsageError
from typer.testing import CliRunner

from clientguard.cli import _help, build_app

NAME = "Студия «Ирис»"


@dataclass(frozen=True)
class Row:
    """A command line (``{tmp}``: the test's folder, ``{lang}``: the interface language) and
    the text of its error box in each language."""

    id: str
    args: tuple[str, ...]
    ru: str
    en: str


ROWS = [
    Row("missing-argument", ("time", "add"), "Не указан аргумент 'client'", "Missing argument 'client'."),
    Row("missing-option", ("evidence", "export", "X"), "Не указан параметр '--out'",
        "Missing option '--out'."),
    Row("missing-value", ("analyze", "--client"), "После '--client' нужно значение",
        "Option '--client' requires an argument."),
    Row("missing-value-root", ("--lang",), "После '--lang' нужно значение",
        "Option '--lang' requires an argument."),
    Row("flag-with-value", ("analyze", "--json=yes"), "Параметр '--json' пишется без значения",
        "Option '--json' does not take a value."),
    Row("no-such-option-close", ("analyze", "--clinet", NAME),
        "Нет параметра --clinet; может быть, вы имели в виду --client?",
        "No such option: --clinet (Possible options: --client)"),
    Row("no-such-option", ("analyze", "-x"), "Нет параметра -x", "No such option: -x"),
    Row("no-such-command-close", ("anlyze",), "Нет команды 'anlyze'; может быть, вы имели в виду 'analyze'?",
        "No such command 'anlyze'. Did you mean 'analyze'?"),
    Row("no-such-command", ("clients", "frob"), "Нет команды 'frob'", "No such command 'frob'."),
    Row("missing-command", ("--lang", "{lang}"), "Не указана команда", "Missing command."),
    Row("extra-arguments", ("clients", "rename", "Студия", "Ирис", "Лотос"),
        "Лишние аргументы: Лотос. Если это одно имя или путь с пробелами, возьмите его в кавычки",
        "Got unexpected extra argument(s) (Лотос). "
        "If that is one name or path with spaces, put it in quotes"),
    Row("not-an-integer", ("serve", "--port", "восемь"), "Недопустимое значение '--port': нужно целое число",
        "Invalid value for '--port': Input should be a valid integer, unable to parse string as an integer"),
    Row("not-whole", ("contract", "set", "X", "--revision-limit", "1.5"),
        "Недопустимое значение '--revision-limit': нужно целое число",
        "Invalid value for '--revision-limit': "
        "Input should be a valid integer, unable to parse string as an integer"),
    Row("below-minimum", ("serve", "--port", "0"), "Недопустимое значение '--port': нужно число не меньше 1",
        "Invalid value for '--port': Input should be greater than or equal to 1"),
    Row("above-maximum", ("serve", "--workers", "65"),
        "Недопустимое значение '--workers': нужно число не больше 64",
        "Invalid value for '--workers': Input should be less than or equal to 64"),
    Row("no-such-folder", ("eval", "conversations", "{tmp}/nowhere"),
        "Недопустимое значение 'folder': папка «{tmp}/nowhere» не существует",
        "Invalid value for 'folder': dir '{tmp}/nowhere' does not exist."),
    Row("a-file-not-a-folder", ("eval", "conversations", "{tmp}/notes.txt"),
        "Недопустимое значение 'folder': «{tmp}/notes.txt» — это файл, а нужна папка",
        "Invalid value for 'folder': dir '{tmp}/notes.txt' is a file."),
    # no database yet, so no client of that name (tests/cli/test_analyze_name_hint.py: one that is)
    Row("analyze-a-name", ("analyze", NAME),
        "Недопустимое значение 'path': файл или папка «Студия „Ирис“» не существует. Сохранённого "
        "клиента с таким именем тоже нет; список клиентов: clientguard clients",
        "Invalid value for 'path': path 'Студия «Ирис»' does not exist. No stored client has that name "
        "either; to list clients: clientguard clients"),
    Row("analyze-a-file", ("analyze", "chat.json"),
        "Недопустимое значение 'path': файл или папка «chat.json» не существует. Сохранённого клиента "
        "анализирует clientguard analyze --client ИМЯ",
        "Invalid value for 'path': path 'chat.json' does not exist. "
        "To analyse a stored client: clientguard analyze --client NAME"),
]  # fmt: skip

#: Usage line and help pointer above the box, and the box's title, in each language.
FRAME = {"ru": ("Использование: clientguard", "Подробнее: ", "Ошибка"),
         "en": ("Usage: clientguard", "Try ", "Error")}  # fmt: skip


def _run(args: list[str], lang: str) -> tuple[int, str]:
    env = {"CLIENTGUARD_LANG": lang, "COLUMNS": "300", "NO_COLOR": "1"}
    result = CliRunner().invoke(build_app(), args, env=env, prog_name="clientguard")
    return result.exit_code, result.output


def _box(output: str) -> str:
    """The error box's text, its lines joined (Rich wraps a long message)."""
    inside = [line.strip().strip("│").strip() for line in output.splitlines() if line.startswith("│")]
    return " ".join(" ".join(inside).split())


@pytest.fixture()
def here(tmp_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder with one plain file in it (relative paths name nothing there)."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("заметки\n", encoding="utf-8")
    monkeypatch.chdir(work)
    return work


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_a_usage_error_is_said_in_the_interface_language(row: Row, lang: str, here: Path) -> None:
    args = [a.replace("{tmp}", str(here)).replace("{lang}", lang) for a in row.args]
    code, output = _run(args, lang)
    assert code == 2, output
    assert _box(output) == getattr(row, lang).replace("{tmp}", str(here)), output
    usage, pointer, title = FRAME[lang]
    assert usage in output and pointer in output, output
    assert re.search(rf"╭─ {title} ─", output), output


def test_a_usage_error_is_a_usage_error_still(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scripts tell a slip on the command line by click's exit code 2, and by its class."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "ru")
    with pytest.raises(UsageError) as caught:
        build_app()(["time", "add"], standalone_mode=False)
    assert caught.value.exit_code == 2
    assert caught.value.format_message() == "Не указан аргумент 'client'"


@pytest.mark.parametrize("part", ["messages", "reasons"])
def test_every_form_has_russian_with_the_same_placeholders(part: str) -> None:
    for key, entry in _help.catalog()["usage_errors"][part].items():
        fields = {lang: {f for _, f, _, _ in Formatter().parse(entry[lang]) if f} for lang in ("ru", "en")}
        assert fields["ru"] == fields["en"], key
        assert re.search(r"[а-яё]", entry["ru"]), key
        assert "[" not in entry["ru"], key  # the box's text is not Rich markup, but keep it plain


@pytest.mark.parametrize(
    ("english", "russian"),
    [
        ("file '/tmp/x' is a directory.", "«/tmp/x» — это папка, а нужен файл"),
        ("path '/root/x' is not readable.", "нет прав на чтение: файл или папка «/root/x»"),
        ("file \"it's.txt\" is not writable.", "нет прав на запись: файл «it's.txt»"),
        ("Input should be a valid integer, got a number with a fractional part",
         "нужно целое число, без дробной части"),
        ("Input should be a valid number, unable to parse string as a number", "нужно число"),
        ("Input should be greater than 0", "нужно число больше 0"),
        ("Input should be a valid boolean, unable to interpret input", "нужно true или false"),
        ("Value error, 'green' is not one of 'red', 'blue'.",
         "нужно одно из 'red', 'blue', а указано «green»"),
    ],
)  # fmt: skip
def test_each_reason_a_type_gives_is_worded(english: str, russian: str) -> None:
    """Reasons no command of today reaches from the command line (or only as another user)."""
    from clientguard.cli._usage import WordedUsageError, reworded

    worded = reworded(BadParameter(english, param_hint="'--x'"), "ru")
    assert isinstance(worded, WordedUsageError) and worded.exit_code == 2
    assert worded.format_message() == f"Недопустимое значение '--x': {russian}"
    assert reworded(BadParameter(english, param_hint="'--x'"), "en").format_message() == (
        f"Invalid value for '--x': {english}"
    )


def test_an_unknown_message_stays_as_click_worded_it() -> None:
    from clientguard.cli._usage import reworded

    odd = UsageError("Something click may say one day.")
    assert reworded(odd, "ru") is odd
    unknown_reason = BadParameter("a reason nobody has worded", param_hint="'--x'")
    assert reworded(unknown_reason, "ru").format_message() == (
        "Недопустимое значение '--x': a reason nobody has worded"
    )


def test_the_english_forms_are_clicks_own_words() -> None:
    """The table's English, filled with what it matched, is click's message again: an English
    interface prints click's words byte for byte."""
    from clientguard.cli._usage import match

    missing = MissingParameter(param_hint="'client'", param_type="argument")
    for exc in (missing, UsageError("Got unexpected extra argument(s) (a b)")):
        message = exc.format_message()
        found = match(message, "messages")
        assert found is not None, message
        form, values = found
        english = _help.catalog()["usage_errors"]["messages"][form.key]["en"]
        assert english.format(**values) == message


@pytest.mark.parametrize(
    ("args", "ru", "en"),
    [
        (("analyze", "--ca"), "может быть, вы имели в виду --case или --lang?",
         "(Possible options: --case, --lang)"),
        (("analyze", "--cl"), "может быть, вы имели в виду --client, --html или --lang?",
         "(Possible options: --client, --html, --lang)"),
        (("analyze", "--c"), "может быть, вы имели в виду --case?", "(Possible options: --case)"),
    ],
    ids=["two", "three", "one"],
)  # fmt: skip
def test_a_list_of_suggestions_reads_with_or_in_russian(
    args: tuple[str, ...], ru: str, en: str, here: Path
) -> None:
    """ "вы имели в виду --help, --html, --lang?" asked about a list; Russian puts "или" before
    the last one. The English is click's own words, as before."""
    assert ru in _box(_run(list(args), "ru")[1])
    assert _box(_run(list(args), "en")[1]).endswith(en)


@pytest.mark.parametrize(
    ("args", "ru", "en"),
    [
        (("time", "add"), "Использование: clientguard time add [ПАРАМЕТРЫ] client hours",
         "Usage: clientguard time add [OPTIONS] {client} {hours}"),
        (("analyze", "-x"), "Использование: clientguard analyze [ПАРАМЕТРЫ] [path]",
         "Usage: clientguard analyze [OPTIONS] [path]"),
        (("invoice", "--help"), "Использование: clientguard invoice [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]...",
         "Usage: clientguard invoice [OPTIONS] COMMAND [ARGS]..."),
        (("clients", "rename", "--help"), "Использование: clientguard clients rename [ПАРАМЕТРЫ] old new",
         "Usage: clientguard clients rename [OPTIONS] {old} {new}"),
    ],
    ids=["error-required", "error-optional", "help-group", "help-command"],
)  # fmt: skip
def test_the_russian_usage_line_has_no_braces_and_no_english_placeholders(
    args: tuple[str, ...], ru: str, en: str, here: Path
) -> None:
    """Typer writes a required argument as "{client}" and Click's placeholders in English:
    the Russian line names a required argument bare and an optional one in brackets, as
    manuals do; the English usage line is Typer's own."""
    russian = _run(list(args), "ru")[1]
    assert ru in [line.strip() for line in russian.splitlines()], russian
    assert "{" not in russian.split("\n╭")[0] and "OPTIONS" not in russian, russian
    english = _run(list(args), "en")[1]
    assert en in [line.strip() for line in english.splitlines()], english
