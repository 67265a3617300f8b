"""English text quotes with “…”, Russian with «…».

English output quoted names and evidence with Russian guillemets ("Client «Penka» has no
stored messages yet", "«tomorrow» (en.payment_delay…)"), which an English reader takes for
a typo. The marks are one rule (:func:`clientguard.report.i18n.quote`) and the ``en:``
texts of the string tables carry none.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.report.i18n import assumed_default, quote

#: The tables with an ``en`` text per id: (package, file).
TABLES = (
    ("clientguard.report", "data/strings.yaml"),
    ("clientguard.report", "data/cli.yaml"),
    ("clientguard.ingest", "data/notices.yaml"),
    ("clientguard.evidence", "data/prewrite.yaml"),
    ("clientguard.analysis", "data/playbook.yaml"),
)


def _english(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text under an ``en`` key, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "en" and isinstance(value, str):
                yield path, value
            else:
                yield from _english(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _english(value, f"{path}[{i}]")


def _table(package: str, name: str) -> Any:
    return yaml.safe_load(resources.files(package).joinpath(name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("package", "name"), TABLES)
def test_no_english_text_of_a_string_table_has_guillemets(package: str, name: str) -> None:
    texts = list(_english(_table(package, name)))
    assert texts  # the walk found the table's English texts
    assert [(where, text) for where, text in texts if "«" in text or "»" in text] == []


def test_no_text_of_the_dashboards_english_table_has_guillemets() -> None:
    table: dict[str, str] = _table("clientguard.web", "i18n/en.yaml")
    assert {k: v for k, v in table.items() if isinstance(v, str) and ("«" in v or "»" in v)} == {}


def test_quote_takes_the_marks_of_the_language() -> None:
    assert quote("Кофейня Пенка", "ru") == "«Кофейня Пенка»"
    assert quote("Penka", "en") == "“Penka”"
    assert quote("{name}", "en") == "“{name}”"  # a name is text, not a format field
    assert assumed_default("specialist_from_id", "Europe/Moscow", "en", "Anna").endswith(": “Anna”")
    assert assumed_default("specialist_from_id", "Europe/Moscow", "ru", "Анна").endswith(": «Анна»")


@pytest.mark.parametrize(
    ("text", "ru", "en"),
    [
        # a name with its own quotes: the inner ones take the inner marks
        ("Кофейня «Пенка»", "«Кофейня „Пенка“»", "“Кофейня ‘Пенка’”"),
        ('ООО "Ромашка"', "«ООО „Ромашка“»", "“ООО ‘Ромашка’”"),
        ("Cafe “Penka”", "«Cafe „Penka“»", "“Cafe ‘Penka’”"),
        ('ИП "Пенка" ("Кофе")', "«ИП „Пенка“ („Кофе“)»", "“ИП ‘Пенка’ (‘Кофе’)”"),
        # only inner marks already: Russian keeps them, English takes its own
        ("Кофейня „Пенка“", "«Кофейня „Пенка“»", "“Кофейня ‘Пенка’”"),
        ("‘Penka’ Ltd", "«‘Penka’ Ltd»", "“‘Penka’ Ltd”"),
        # no pair: left as written, never an error
        ("Кофейня «Пенка", "«Кофейня «Пенка»", "“Кофейня «Пенка”"),
        ("Кофейня Пенка»", "«Кофейня Пенка»»", "“Кофейня Пенка»”"),
        ('12" pizza', '«12" pizza»', '“12" pizza”'),
        ("O’Brien & Sons", "«O’Brien & Sons»", "“O’Brien & Sons”"),
        ("»«", "«»«»", "“»«”"),
        ('"', '«"»', '“"”'),
        ("", "«»", "“”"),
    ],
)
def test_quotes_inside_a_quoted_text_take_the_inner_marks(text: str, ru: str, en: str) -> None:
    """«Кофейня «Пенка»» is no Russian typography: inner quotes are „…“ (English: ‘…’)."""
    assert quote(text, "ru") == ru
    assert quote(text, "en") == en


def _check(ui: str, *args: str) -> str:
    r = CliRunner().invoke(build_app(), ["check", *args], env={"CLIENTGUARD_LANG": ui})
    assert r.exit_code == 0, r.exception
    return r.stdout


@pytest.mark.parametrize(("ui", "marks"), [("en", "“”"), ("ru", "«»")])
def test_check_quotes_the_evidence_in_the_interfaces_marks(ui: str, marks: str) -> None:
    """The evidence column, the fired rules' spans and the model's words are all quoted
    the interface's way; the message's own language does not decide it."""
    out = _check(ui, "Оплатим на следующей неделе, а сайт сделайте заодно бесплатно", "--explain")
    left, right = marks
    assert f"{left}заодно{right}" in out  # the words the model weighed most
    assert f"{left}на следующей неделе{right}" in out or f"{left}Оплатим на следующей неделе{right}" in out
    other = "«»" if ui == "en" else "“”"
    assert other[0] not in out and other[1] not in out
    out = _check(ui, "We'll pay next month, money is tight", "--lang", "en")
    assert left in out and right in out and other[0] not in out
