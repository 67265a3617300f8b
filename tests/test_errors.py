"""Error messages as data (``clientguard/errors.py``, ``clientguard/report/data/errors.yaml``).

An error raised with a message id keeps its English as ``str(exc)`` and ``exc.message``
(logs, job records and scripts match it) and says itself in Russian through
``exc.text("ru")``. The table is held to the code in both directions: every id a raise
site names has both languages with the same placeholders, and every entry is used.
"""

from __future__ import annotations

import ast
import re
from importlib import resources
from pathlib import Path
from string import Formatter

import pytest
import yaml

from clientguard.errors import (
    ConfigError,
    InputError,
    NotFoundError,
    Refusal,
    Where,
    msg,
    refusal,
)
from clientguard.report.i18n import FILES

PACKAGE = Path(__file__).resolve().parents[1] / "clientguard"


def _table() -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files("clientguard.report").joinpath("data/errors.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(text)
    return data


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def _ids_in_code() -> dict[str, str]:
    """Every ``msg("section.key", …)`` of the package: id → the file that names it first."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "msg"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, str(path.relative_to(PACKAGE)))
    return found


def test_the_table_is_one_of_the_string_files() -> None:
    assert "errors.yaml" in FILES


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    for section, entries in _table().items():
        for key, entry in entries.items():
            where = f"{section}.{key}"
            assert set(entry) == {"ru", "en"} and entry["ru"].strip() and entry["en"].strip(), where
            assert _fields(entry["ru"]) == _fields(entry["en"]), where


def test_russian_quotes_names_with_guillemets_not_python_quotes() -> None:
    """``{x!r}`` is the English wording's 'x'; Russian writes «x».

    Except where the escapes are the point: a number holding a control character is shown
    as Python escapes it ('1\\x00'), or the user cannot see what is wrong.
    """
    escapes = {"invoices.number_control"}
    for section, entries in _table().items():
        for key, entry in entries.items():
            assert ("!r}" in entry["ru"]) == (f"{section}.{key}" in escapes), f"{section}.{key}"


def test_english_quotes_names_in_english_marks() -> None:
    """No English text quotes with «…» (``{x:q ru}`` or typed marks): an English line read
    «Кофейня „Пенка“» beside “Lotus”. A name typed back in a command is in shell quotes."""
    for section, entries in _table().items():
        for key, entry in entries.items():
            assert ":q ru}" not in entry["en"] and "«" not in entry["en"], f"{section}.{key}"


def test_every_id_the_code_names_is_in_the_table_and_every_entry_is_used() -> None:
    table = _table()
    named = _ids_in_code()
    assert len(named) >= 80  # the raise sites of cli, store, ingest, case and invoices
    missing = {i: f for i, f in named.items() if i.split(".")[1] not in table.get(i.split(".")[0], {})}
    assert not missing
    defined = {f"{s}.{k}" for s, entries in table.items() if s != "error_terms" for k in entries}
    assert defined - set(named) == set()


def test_english_is_the_exception_text_and_russian_is_asked_for() -> None:
    said = msg("lookup.no_client", name="a", maybe=msg("lookup.did_you_mean", close=["ab", "ac"]),
               hint=msg("lookup.hint_clients"))  # fmt: skip
    exc = NotFoundError(said)
    assert str(exc) == "E400: no client named 'a'; did you mean 'ab', 'ac'? (see `clientguard clients`)"
    assert exc.message == str(exc).removeprefix("E400: ") == exc.text("en") == exc.args[0]
    assert exc.text("ru") == "нет клиента «a»; может быть, «ab», «ac»? (список: clientguard clients)"
    assert exc.line("ru") == "E400: " + exc.text("ru")
    assert exc.text("de") == exc.message  # a language without wordings reads English


def test_an_input_error_keeps_its_file_and_words_its_place_in_every_language() -> None:
    exc = InputError(msg("ingest.cannot_read", reason="Permission denied"), Where("/x/chat.json", "line 3"))
    assert str(exc) == "E100: /x/chat.json:line 3: cannot read: Permission denied"
    assert exc.line("en") == str(exc)
    assert exc.line("ru") == "E100: /x/chat.json:строка 3: не удаётся прочитать: Permission denied"


def test_the_system_s_reason_is_the_os_s_english_and_worded_in_russian() -> None:
    """``os_reason``: by the error's number, so the Russian does not hang on the OS's wording."""
    import errno

    from clientguard.errors import os_reason

    reason = os_reason(PermissionError(errno.EACCES, "Permission denied"))
    denied = InputError(msg("ingest.cannot_read", reason=reason), Where("/x/chat.json"))
    assert str(denied) == "E100: /x/chat.json: cannot read: Permission denied"
    assert denied.line("ru") == "E100: /x/chat.json: не удаётся прочитать: нет прав доступа"
    # the OS's own words stay the English (another system words EACCES otherwise)
    assert os_reason(OSError(errno.EACCES, "Access is denied")) == {"en": "Access is denied",
                                                                    "ru": "нет прав доступа"}  # fmt: skip
    assert os_reason(OSError(errno.ENOSPC, "x"), "no space")["ru"] == "на диске не осталось места"  # type: ignore[index]
    assert os_reason(OSError(errno.EXDEV, "Invalid cross-device link")) == "Invalid cross-device link"
    assert os_reason(OSError("no number")) == "no number"


def test_a_plain_string_error_is_english_in_every_language() -> None:
    exc = ConfigError("not converted yet")
    assert exc.said is None and exc.text("ru") == "not converted yet"
    assert str(exc) == exc.line("ru") == "E200: not converted yet"


@pytest.mark.parametrize(
    ("spec", "value", "en", "ru"),
    [
        ("num", 2e12, "2,000,000,000,000", "2\u00a0000\u00a0000\u00a0000\u00a0000"),
        ("num2", 2000000000000.12, "2,000,000,000,000.12", "2\u00a0000\u00a0000\u00a0000\u00a0000,12"),
        ("num", 0.001, "0.001", "0,001"),
        ("term", "invoice amount", "invoice amount", "сумма счёта"),
        ("term", "--today", "--today", "--today"),  # a word the table lacks is left as is
        ("or", ["owner", "manager"], "owner or manager", "владелец или менеджер"),
        ("names", ["a", "b"], "'a', 'b'", "«a», «b»"),
    ],
)
def test_the_format_specs_word_values_per_language(spec: str, value: object, en: str, ru: str) -> None:
    from clientguard.errors import _Wording

    for lang, text in (("en", en), ("ru", ru)):
        assert _Wording(lang).vformat("{v:" + spec + "}", (), {"v": value}) == text, lang


def test_a_refused_value_stays_a_value_error_with_its_english() -> None:
    """Pydantic and Typer read ``str(exc)`` of a validator's ValueError: it is the English."""
    from clientguard.contracts import validate

    with pytest.raises(ValueError, match=r"^expected HH:MM, got '9'$") as caught:
        validate.clock("9")
    assert isinstance(caught.value, Refusal)
    wrapped = ConfigError(msg("invoices.currency", reason=refusal(caught.value)))
    assert wrapped.text("ru") == "валюта: нужно время ЧЧ:ММ, а указано «9»"
    assert refusal(ValueError("plain")) == "plain"


def test_an_unknown_id_or_missing_parameter_names_itself_instead_of_failing() -> None:
    assert str(ConfigError(msg("nowhere.nothing", x=1))) == "E200: nowhere.nothing {'x': 1}"
    assert ConfigError(msg("lookup.no_client")).text("ru") == "lookup.no_client"


def test_every_raise_site_of_the_converted_packages_uses_the_table() -> None:
    """cli, store, ingest, the case file, the contract and presale readers, JSON Lines, label files,
    the toxicity models, notes, the reply's facts, analyze's chat source and the settings (time
    zone, PDF fonts, Redis) raise their coded errors with a message id.

    A plain English string there would print English in a Russian interface again.
    Left on purpose: ``cli/invoice.py`` re-raises a refusal already worded in the
    interface language (``invoice_cli``), and ``ingest/base.py`` raises the ``ctx.bad``
    error it was given.
    """
    coded = re.compile(r"(ConfigError|NotFoundError|StorageError|AccessError|InputError|UnknownFormatError"
                       r"|TruncatedFileError|MalformedRecordError|ModelError|_BadRow)"
                       r"\(\s*f?[\"']")  # fmt: skip
    # the date and number readers of the command line and the contract rules refuse with messages too
    refused = re.compile(r"(raise ValueError|BadParameter)\(\s*f?[\"']")
    cli_modules = [f"cli/{p.name}" for p in PACKAGE.joinpath("cli").glob("*.py") if p.name != "_refused.py"]
    readers = ("cli/_dates.py", "cli/_numbers.py", "contracts/validate.py", "ingest/telegram_html.py",
               "evidence/notes.py", "playbook/facts.py")  # fmt: skip
    for name in (*readers, *cli_modules):
        assert refused.findall(PACKAGE.joinpath(name).read_text("utf-8")) == [], name
    files = [*PACKAGE.joinpath("cli").glob("*.py"), *PACKAGE.joinpath("store").glob("*.py"),
             *PACKAGE.joinpath("ingest").glob("*.py"), PACKAGE / "analysis" / "case.py",
             PACKAGE / "contracts" / "invoices.py", PACKAGE / "contracts" / "validate.py",
             PACKAGE / "outfile.py", PACKAGE / "evidence" / "closing.py", PACKAGE / "contracts" / "reader.py",
             PACKAGE / "contracts" / "textfile.py", PACKAGE / "presale" / "inputs.py", PACKAGE / "jsonl.py",
             PACKAGE / "labelfile.py", PACKAGE / "nlp" / "toxicity.py", PACKAGE / "nlp" / "toxicity_nn.py",
             PACKAGE / "evidence" / "notes.py", PACKAGE / "analysis" / "source.py", PACKAGE / "config.py",
             PACKAGE / "playbook" / "facts.py", PACKAGE / "playbook" / "store_facts.py",
             PACKAGE / "evidence" / "export_pdf.py", PACKAGE / "web" / "worker.py"]  # fmt: skip
    plain = [f"{p.relative_to(PACKAGE)}: {m[0]}" for p in files for m in coded.finditer(p.read_text("utf-8"))]
    assert plain == []
