"""``contract check --lang`` forcing rules the text does not read as is named (QA4 F8).

Every other command's ``--lang`` is the interface language; here it picks the contract's
rule set. A Russian freelancer typing ``--lang en`` for English output got 15 "missing"
clauses and a warning asking whether the file was a contract at all.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.contracts import check_contract
from tests.contracts.test_checker import RU_CONTRACT


def _contract(tmp_path: Path) -> Path:
    path = tmp_path / "договор.md"
    path.write_text("\n".join(RU_CONTRACT), encoding="utf-8")
    return path


def test_report_knows_the_detected_language(tmp_path: Path) -> None:
    path = _contract(tmp_path)
    forced = check_contract(path, lang="en")
    assert forced.lang == "en" and forced.detected_lang == "ru"
    assert "detected_lang" not in forced.as_json()  # the JSON shape is unchanged
    assert check_contract(path).detected_lang == "ru"


def test_forced_language_is_named_with_the_cure(tmp_path: Path) -> None:
    path = _contract(tmp_path)
    runner = CliRunner()
    r = runner.invoke(
        build_app(), ["contract", "check", str(path), "--lang", "en"], env={"CLIENTGUARD_LANG": "ru"}
    )
    assert r.exit_code == 0
    assert "текст читается как ru, а проверен правилами для en (--lang en)" in r.output
    assert "это точно договор" not in r.output
    r = runner.invoke(
        build_app(), ["contract", "check", str(path), "--lang", "en"], env={"CLIENTGUARD_LANG": "en"}
    )
    assert "the text reads as ru but was checked with the en rules" in r.output
    r = runner.invoke(build_app(), ["contract", "check", str(path), "--lang", "ru"])
    assert "--lang" not in r.output and r.exit_code == 0
