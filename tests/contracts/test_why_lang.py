"""A clause's explanation speaks the reader's interface language, not the contract's.

``contract check`` took each ``why`` from the rule table of the contract's language, so a
Russian user checking a foreign client's English MSA read English reasons in a Russian
table, and the reverse. The quotes stay as the contract has them: they are evidence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from clientguard.cli import _console, build_app
from clientguard.contracts import check_contract, clauses
from clientguard.contracts.clauses import detect_lang, load_rules
from clientguard.errors import ModelError
from clientguard.taxonomy import CLAUSES
from tests.contracts.test_checker import EN_CONTRACT, RU_CONTRACT

CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


def _ru_text(text: str) -> bool:
    return detect_lang(text) == "ru"


def _en_text(text: str) -> bool:
    return CYRILLIC.search(text) is None and detect_lang(text) == "en"


@pytest.fixture()
def contracts(tmp_path: Path) -> dict[str, Path]:
    paths = {"en": tmp_path / "msa.md", "ru": tmp_path / "договор.md"}
    paths["en"].write_text("\n".join(EN_CONTRACT), encoding="utf-8")
    paths["ru"].write_text("\n".join(RU_CONTRACT), encoding="utf-8")
    return paths


@pytest.fixture()
def wide(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A table wide enough that no reason is folded (the console is made once per process)."""
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    _console.console.cache_clear()
    yield
    _console.console.cache_clear()


def _check(args: list[str], env: dict[str, str]) -> str:
    result = CliRunner().invoke(build_app(), args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


# -- the tables ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_rule_of_the_table_explains_itself_in_both_languages(lang: str) -> None:
    """Table completeness: each rule and each missing clause, in Russian and in English."""
    raw = yaml.safe_load((clauses.RULES_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    rows = [row for rows in raw["clauses"].values() for row in rows]
    assert len(rows) > 40
    for row in rows:
        assert set(row["why"]) == {"ru", "en"}, row["id"]
    assert set(raw["missing_why"]) == set(CLAUSES)
    rules = load_rules(lang)
    whys = [(r.id, r.why) for rs in rules.clauses.values() for r in rs]
    whys += [(f"missing_why.{k}", v) for k, v in rules.missing_why.items()]
    for rule_id, why in whys:
        # each text really is in its language: not left empty, swapped or copied over
        assert _ru_text(why.ru), (lang, rule_id, why.ru)
        assert _en_text(why.en), (lang, rule_id, why.en)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_rule_explained_in_one_language_only_is_refused(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = yaml.safe_load((clauses.RULES_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    row = raw["clauses"]["revision_limit"][0]
    del row["why"]["en" if lang == "ru" else "ru"]
    (tmp_path / f"{lang}.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(clauses, "RULES_DIR", tmp_path)
    clauses._rule_data.cache_clear()
    clauses.load_rules.cache_clear()
    try:
        with pytest.raises(ModelError, match=rf"{lang}\.yaml:{re.escape(row['id'])}: expected why"):
            load_rules(lang)
    finally:
        clauses._rule_data.cache_clear()
        clauses.load_rules.cache_clear()


# -- the report ------------------------------------------------------------------------
def test_the_report_keeps_both_and_its_json_defaults_to_the_contract(contracts: dict[str, Path]) -> None:
    """The stored report (``as_json()``) reads as before; the interface picks a language."""
    report = check_contract(contracts["en"])
    limit = next(c for c in report.clauses if c.id == "revision_limit")
    assert limit.why.text("ru") == "Число раундов правок, входящих в цену, названо."
    assert limit.why.text("en") == "The number of revision rounds included in the price is fixed."
    stored = report.as_json()["clauses"]
    assert isinstance(stored, list) and stored[3]["why"] == limit.why.en
    assert all(_en_text(c["why"]) for c in stored)
    shown = report.as_json("ru")["clauses"]
    assert isinstance(shown, list) and all(_ru_text(c["why"]) for c in shown)


# -- the command line ------------------------------------------------------------------
def test_an_english_contract_from_the_russian_interface(contracts: dict[str, Path], wide: None) -> None:
    out = " ".join(_check(["contract", "check", str(contracts["en"])], {"CLIENTGUARD_LANG": "ru"}).split())
    assert "Число раундов правок, входящих в цену, названо." in out
    assert "The monthly fee includes two (2) rounds of revisions per deliverable." in out  # the quote
    assert "Нет порядка приёмки" in out  # a missing clause
    assert "The number of revision rounds" not in out
    assert "No acceptance procedure" not in out


def test_a_russian_contract_from_the_english_interface(contracts: dict[str, Path], wide: None) -> None:
    for args, env in (
        (["contract", "check", str(contracts["ru"])], {"CLIENTGUARD_LANG": "en"}),
        (["--lang", "en", "contract", "check", str(contracts["ru"])], {"CLIENTGUARD_LANG": "ru"}),
    ):
        out = " ".join(_check(args, env).split())
        assert 'Trap: "unlimited" revisions are no limit but endless free work' in out, args
        assert "Исполнитель вносит правки без ограничений до полного согласования." in out  # the quote
        assert "No acceptance procedure" in out
        assert "Ловушка" not in out and "Нет порядка приёмки" not in out


@pytest.mark.parametrize(("contract", "ui"), [("en", "ru"), ("ru", "en")])
def test_json_words_the_reasons_in_the_interface_language(
    contract: str, ui: str, contracts: dict[str, Path]
) -> None:
    """``--json`` keeps its keys; ``why`` is worded as the table is, the quotes as written."""
    out = _check(["contract", "check", str(contracts[contract]), "--json"], {"CLIENTGUARD_LANG": ui})
    rows = json.loads(out)["clauses"]
    assert all(set(c) == {"id", "status", "quote", "location", "why", "suggestion"} for c in rows)
    in_ui = _ru_text if ui == "ru" else _en_text
    in_contract = _ru_text if contract == "ru" else _en_text
    assert all(in_ui(c["why"]) for c in rows), [c["why"] for c in rows]
    quotes = [c["quote"] for c in rows if c["quote"]]
    assert len(quotes) >= 4 and all(in_contract(q) for q in quotes)
