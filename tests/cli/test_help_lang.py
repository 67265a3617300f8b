"""``--help`` speaks the interface language, like every command's output.

The English help is written in the command modules; the Russian is
``clientguard/report/data/cli_help.yaml``, keyed by command path and option name. The
catalog and the real command tree are held to each other both ways: a new command or
option without its Russian fails here, and so does a Russian entry left behind by a
command or option that is gone. The language follows the usual rule: ``--lang`` in argv
(also in front of the command: ``clientguard --lang en --help``), then
``CLIENTGUARD_LANG``, then the locale.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
import typer.main
from suite_helpers import run_main
from typer.core import TyperGroup

from clientguard.cli import _help, build_app

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Option names and `code` an English help quotes; its Russian must quote them unchanged.
NAMES = re.compile(r"--[a-z][\w-]*|`[^`]+`")


def _tree() -> dict[str, Any]:
    """The real app's commands by catalog key (a fresh click tree, never localised)."""
    return dict(_help.walk(typer.main.get_command(build_app())))


def _ru(path: str) -> dict[str, Any]:
    entry: dict[str, Any] = _help.catalog()["commands"].get(path) or {}
    return entry


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.strip().split("\n\n") if p.strip()]


# --- the catalog and the command tree ------------------------------------------------------------


def test_every_command_and_option_has_its_russian() -> None:
    missing: list[str] = []
    for path, command in _tree().items():
        entry = _ru(path)
        if command.help and not entry.get("help"):
            missing.append(f"{path}: help")
        if command.short_help and not entry.get("short"):
            missing.append(f"{path}: short")
        params = entry.get("params") or {}
        missing += [
            f"{path}: {_help.param_key(p)}"
            for p in _help.documented_params(command)
            if not params.get(_help.param_key(p))
        ]
    assert not missing, f"add the Russian to clientguard/report/data/cli_help.yaml: {missing}"


def test_no_catalog_entry_is_stale() -> None:
    tree = _tree()
    stale: list[str] = []
    for path, entry in _help.catalog()["commands"].items():
        if path not in tree:
            stale.append(f"{path} (no such command)")
            continue
        keys = {_help.param_key(p) for p in _help.documented_params(tree[path])}
        stale += [f"{path}: {key}" for key in (entry.get("params") or {}) if key not in keys]
        if entry.get("short") and not tree[path].short_help:
            stale.append(f"{path}: short (the command has no short help)")
    assert not stale, f"remove from clientguard/report/data/cli_help.yaml: {stale}"


def test_the_russian_keeps_the_shape_and_the_names_of_the_english() -> None:
    """Same paragraphs (the first is the summary in the commands list), same option names
    and `code`, Cyrillic prose and no square brackets (the help is Rich markup)."""
    problems: list[str] = []
    for path, command in _tree().items():
        entry = _ru(path)
        pairs = [(path, command.help or "", entry.get("help") or "")]
        params = entry.get("params") or {}
        pairs += [
            (f"{path} {_help.param_key(p)}", p.help or "", params.get(_help.param_key(p)) or "")
            for p in _help.documented_params(command)
        ]
        for where, english, russian in pairs:
            if not english or not russian:
                continue  # missing ones are reported by the completeness test
            if len(_paragraphs(english)) != len(_paragraphs(russian)):
                problems.append(f"{where}: paragraphs")
            lost = set(NAMES.findall(english)) - set(NAMES.findall(russian))
            if lost:
                problems.append(f"{where}: lost {sorted(lost)}")
            if not CYRILLIC.search(russian):
                problems.append(f"{where}: no Russian in {russian!r}")
            if "[" in russian:
                problems.append(f"{where}: square bracket (Rich markup) in {russian!r}")
    assert not problems, problems


def test_typer_words_are_all_there() -> None:
    words = _help.catalog()["typer"]
    needed = {*_help.RICH_WORDS.values(), "usage", "help_option"}
    assert needed <= set(words), needed - set(words)
    assert words["try_help"].count("{command_path}") == 1 and "{help_option}" in words["try_help"]
    assert all(words[k].count("{}") == 1 for k in ("default", "envvar"))


def test_the_command_tree_has_groups() -> None:
    """The walk sees into groups (a regression here would make the tests above vacuous)."""
    tree = _tree()
    assert isinstance(tree["eval"], TyperGroup) and "eval signals" in tree and "contract check" in tree
    assert len(tree) > 30


# --- what a user sees ----------------------------------------------------------------------------


@pytest.fixture()
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """No wrapping (phrases stay on one line), no colours, no language setting yet."""
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("CLIENTGUARD_LANG", raising=False)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # the locale says nothing: Russian by default


def _help_of(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], setting: str | None, *args: str
) -> str:
    if setting is None:
        monkeypatch.delenv("CLIENTGUARD_LANG", raising=False)
    else:
        monkeypatch.setenv("CLIENTGUARD_LANG", setting)
    code, out, err = run_main(monkeypatch, capsys, *args)
    assert code == 0, err
    return ANSI.sub("", out)


RU_ROOT = ("Использование: ", "Замечайте токсичных клиентов вовремя", "Параметры", "Команды",
           "Показать эту справку и выйти.", "Проверять договоры и хранить условия")  # fmt: skip
EN_ROOT = ("Usage: ", "Spot toxic clients early, keep the evidence, act on it.", "Options", "Commands",
           "Show this message and exit.", "Check contracts and keep the terms")  # fmt: skip


@pytest.mark.usefixtures("wide")
@pytest.mark.parametrize(
    ("setting", "args", "lang"),
    [
        ("ru", ["--help"], "ru"),
        (None, ["--help"], "ru"),  # C locale: Russian first
        ("en", ["--help"], "en"),
        ("ru", ["--lang", "en", "--help"], "en"),  # argv beats the setting
        ("ru", ["--help", "--lang=en"], "en"),
        ("en", ["--lang", "ru", "--help"], "ru"),
        ("en", ["--lang=ru", "--help"], "ru"),
    ],
)
def test_root_help(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    setting: str | None,
    args: list[str],
    lang: str,
) -> None:
    out = _help_of(monkeypatch, capsys, setting, *args)
    for text in RU_ROOT if lang == "ru" else EN_ROOT:
        assert text in out, out
    if lang == "en":
        assert not CYRILLIC.search(out), out
    else:
        assert not {"Usage", "Options", "Commands", "Show"} & set(re.findall(r"[A-Z][a-z]+", out)), out


SUBCOMMANDS = {
    ("eval", "signals"): (
        ("Измерить качество сигналов сообщений на размеченном наборе.",
         "Размеченный JSONL (spec/datasets.md).", "Вывести JSON для программ.", "Аргументы", "[обязательно]"),
        ("Measure message-signal quality on a labelled set.", "Labelled JSONL (spec/datasets.md).",
         "Print machine-readable JSON.", "Arguments", "[required]"),
    ),
    ("contract", "check"): (
        ("Проверить договор на 15 защитных пунктов", "Договор: .docx, .pdf, .md или .txt.",
         "Язык договора (ru или en): по каким правилам его проверять", "Адрес базы данных",
         "[переменная окружения: CLIENTGUARD_DB]"),
        ("Check a contract for the 15 protective clauses", "Contract: .docx, .pdf, .md or .txt.",
         "Language of the contract (ru or en): which rules check it", "Database URL",
         "[env var: CLIENTGUARD_DB]"),
    ),
    ("reply",): (
        ("Подготовить черновик ответа", "soft, neutral или firm.", "[по умолчанию: neutral]",
         "Id ситуации (см. `clientguard reply --list`)."),
        ("Print a ready-to-edit reply draft", "soft, neutral or firm.", "[default: neutral]",
         "Situation id (see `clientguard reply --list`)."),
    ),
    ("contract", "set"): (  # a help of two paragraphs
        ("Поправить условия клиента вручную", "если только --create-client не просит завести нового"),
        ("Correct the client's terms by hand", "unless --create-client asks"),
    ),
}  # fmt: skip


@pytest.mark.usefixtures("wide")
@pytest.mark.parametrize("command", list(SUBCOMMANDS), ids=" ".join)
def test_subcommand_help_in_both_languages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    ru_texts, en_texts = SUBCOMMANDS[command]
    # Russian, then English in the same process: Typer's words are module globals and must
    # come back; both ways of choosing the language.
    runs = [
        ("ru", [*command, "--help"], ru_texts, "Использование: "),
        ("en", [*command, "--help"], en_texts, "Usage: "),
        ("en", ["--lang", "ru", *command, "--help"], ru_texts, "Использование: "),
        ("ru", ["--lang", "en", *command, "--help"], en_texts, "Usage: "),
    ]
    for setting, args, texts, usage in runs:
        out = _help_of(monkeypatch, capsys, setting, *args)
        flat = " ".join(out.split())  # a help's later paragraphs keep their line breaks
        assert usage in out, out
        for text in texts:
            assert text in flat, (args, out)
        if texts is en_texts:  # the English names the Russian currency words as typed
            assert not CYRILLIC.search(out.replace("руб, р., ₽", "")), out


@pytest.mark.usefixtures("wide")
def test_a_group_without_its_command_shows_its_help(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``no_args_is_help`` (exit status 2, help on stdout): the same formatter, the same language."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "ru")
    code, out, _ = run_main(monkeypatch, capsys, "invoice")
    assert code == 2 and "Следить за счетами" in out and "Записать полную или частичную оплату." in out, out
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    code, out, _ = run_main(monkeypatch, capsys, "invoice")
    assert code == 2 and "Track invoices" in out and "Record a full or partial payment." in out, out


@pytest.mark.usefixtures("wide")
def test_a_usage_error_is_framed_in_the_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Usage line, hint, panel title and click's own message are translated (the message by
    ``usage_errors``, tests/cli/test_usage_errors_lang.py)."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "ru")
    code, _, err = run_main(monkeypatch, capsys, "eval", "signals")
    assert code == 2 and "Использование:" in err and "Ошибка" in err and "Подробнее:" in err, err
    assert "Не указан аргумент 'path'" in err
    code, _, err = run_main(monkeypatch, capsys, "--lang", "en", "eval", "signals")
    assert code == 2 and "Usage:" in err and "Error" in err and "Try '" in err, err
    assert "Missing argument 'path'" in err and not CYRILLIC.search(err), err


# --- the root --lang and the cost of it all ------------------------------------------------------


@pytest.mark.usefixtures("wide", "tmp_home")
def test_root_lang_sets_the_commands_language_for_this_run_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "ru")
    code, out, _ = run_main(monkeypatch, capsys, "--lang", "en", "clients")
    assert code == 0 and "No clients yet" in out, out
    assert os.environ["CLIENTGUARD_LANG"] == "ru"  # put back
    monkeypatch.delenv("CLIENTGUARD_LANG")
    code, out, _ = run_main(monkeypatch, capsys, "--lang", "en", "clients", "--lang", "ru")
    assert code == 0 and "Клиентов пока нет" in out, out  # the command's own --lang wins
    assert "CLIENTGUARD_LANG" not in os.environ
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the refusal in English, as scripts match it
    code, _, err = run_main(monkeypatch, capsys, "--lang", "de", "clients")
    assert code == 2 and "expected ru or en, got 'de'" in err, err


@pytest.mark.usefixtures("wide")
def test_a_plain_command_does_not_load_the_catalog(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Start-up: the YAML is read when help is printed, not for ``clientguard version``."""
    _help.catalog.cache_clear()
    code, out, _ = run_main(monkeypatch, capsys, "version")
    assert code == 0 and out.strip()
    assert _help.catalog.cache_info().currsize == 0
    run_main(monkeypatch, capsys, "--help")
    assert _help.catalog.cache_info().currsize == 1


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["--help"], None),
        (["--lang", "en", "--help"], "en"),
        (["clients", "--lang=ru"], "ru"),
        (["--lang", "ru", "clients", "--lang", "en"], "en"),  # the last one, as click takes it
        (["--lang", "de", "--help"], None),  # refused later by the option itself
        (["--lang"], None),
        (["check", "--", "--lang", "en"], None),  # after "--" it is text
        # the --lang of these commands is the message's, reply's or contract's language
        (["check", "текст", "--lang", "en", "--help"], None),
        (["contract", "check", "--lang", "en", "--help"], None),
        (["reply", "polite_no", "--lang", "en"], None),
        (["--lang", "en", "contract", "check", "--lang", "ru", "--help"], "en"),
        (["contract", "show", "X", "--lang", "en"], "en"),
    ],
)
def test_argv_lang(argv: list[str], lang: str | None) -> None:
    assert _help.argv_lang(argv) == lang
