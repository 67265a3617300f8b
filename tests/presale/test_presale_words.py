"""Presale screening speaks to the user in words and in their language (QA4 F6, F7).

F6: reasons named red flags and clauses by id: "сигнал «contract_avoidance»", "сигналы,
которые закрываются условиями договора: dissatisfaction, scope_creep", "в проекте
договора нет или слабо прописано: scope, deadlines, …", "ниже 0.65".
F7: the verdict and reasons came in the lead's language, not the user's: a Russian page
(or console) screening an English lead read "take the project", "no red flags"; the
console printed English labels and ids ("brief part | found", "red flag", "draft reply",
"contract_avoidance | high", "proceed — …") around Russian reasons.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.presale.pipeline import screen
from clientguard.presale.reply import load_pack
from clientguard.presale.text import parse_messages
from clientguard.taxonomy import CLAUSES, SIGNALS
from tests.contracts.test_checker import RU_CONTRACT

RU_RUDE = (
    "2025-05-12 11:00 | Мне нужен человек на ведение инсты моего бренда одежды.\n\n"
    "2025-05-12 11:05 | Договор не нужен, я всегда работаю на доверии.\n\n"
    "2025-05-12 11:07 | ТЗ тоже не будет."
)
EN_LEAD = (
    "2025-06-01 14:10 | Hello! I own a small bakery and would like help with our Instagram "
    "to sell more weekend pre-order boxes.\n\n"
    "2025-06-01 14:16 | Budget is around $900 a month. Could we start mid-June?"
)
ID = re.compile(r"\b(?:" + "|".join(sorted({*SIGNALS, *CLAUSES}, key=len, reverse=True)) + r")\b")


def test_every_flag_and_clause_has_a_name() -> None:
    for lang in ("ru", "en"):
        pack = load_pack(lang)
        assert set(SIGNALS) <= set(pack.signal_names), lang
        assert set(CLAUSES) == set(pack.clause_names), lang


def test_reasons_name_flags_and_clauses(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("\n".join(RU_CONTRACT[:6]), encoding="utf-8")  # a thin draft: many gaps
    s = screen(parse_messages(RU_RUDE), "", contract=draft, detector=False)
    text = "\n".join(s.recommendation.reasons)
    assert "«уход от договора»" in text, text
    assert "в проекте договора нет или слабо прописано:" in text and "лимит правок" in text
    assert not ID.search(text), ID.findall(text)


def test_user_language_apart_from_the_reply() -> None:
    s = screen(parse_messages(EN_LEAD), "", detector=False, ui_lang="ru")
    assert s.lang == "en" and s.ui_lang == "ru"
    assert s.reply.startswith("Hi") or s.reply.startswith("Hello"), s.reply
    assert all(re.search("[а-я]", r) for r in s.recommendation.reasons), s.recommendation.reasons
    default = screen(parse_messages(EN_LEAD), "", detector=False)
    assert default.recommendation.reasons[0] and not re.search(
        "[а-я]", " ".join(default.recommendation.reasons)
    )


@pytest.fixture()
def lead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("clientguard.presale.pipeline.default_detector", lambda lang: None)
    path = tmp_path / "lead.txt"
    path.write_text(RU_RUDE, encoding="utf-8")
    return path


def test_console_speaks_russian(lead: Path) -> None:
    r = CliRunner().invoke(build_app(), ["screen", "--messages", str(lead)], env={"CLIENTGUARD_LANG": "ru"})
    assert r.exit_code == 0, r.output
    for english in ("brief part", "found", "red flag", "draft reply", "severity", "prepayment", "clauses:"):
        assert english not in r.output, english
    assert "черновик ответа (ru)" in r.output and "часть брифа" in r.output and "уход от договора" in r.output
    assert not ID.search(r.output), ID.findall(r.output)
    assert not r.output.startswith(("decline", "proceed", "pilot_first"))


def test_console_speaks_english_for_a_russian_lead(lead: Path) -> None:
    r = CliRunner().invoke(build_app(), ["screen", "--messages", str(lead)], env={"CLIENTGUARD_LANG": "en"})
    assert r.exit_code == 0, r.output
    assert "draft reply (ru)" in r.output and "red flag 'contract avoidance'" in r.output
    assert "Здравствуйте" in r.output  # the reply stays in the lead's language
