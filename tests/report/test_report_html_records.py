"""The HTML report's contract, revision and invoice parts, as a freelancer reads them.

QA3 F5: a Russian report showed the analysis' ids and raw numbers: the revisions table
said "content_plan", the record signals "deliverable=content_plan rounds=2 limit=1" and
"invoice=1 days_overdue=3 status=overdue", amounts "45000.0 RUB" and "1250000.0 RUB
(333333.33)". Now deliverables, statuses and amounts are words in the report's language.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.report.html import detail_text, money
from tests.suite_helpers import REVISION_CHAT_CLIENT, REVISION_CHAT_ME, revision_chat_export

C = "Студия йоги «Лотос»"
ME, CL = REVISION_CHAT_ME, REVISION_CHAT_CLIENT


def ok(*args: str) -> str:
    r = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    ok("me", "add", ME[1], "--db", url)
    ok("import", str(revision_chat_export(tmp_path / "result.json")), "--client", C, "--db", url)
    ok("contract", "set", C, "--revision-limit", "1", "--price", "1250000", "--currency", "RUB", "--db", url)
    for amount, due, number in (("45000", "2026-09-03", "1"), ("123456.78", "2026-12-20", "2")):
        ok("invoice", "add", C, amount, "--issued", "2026-09-01", "--due", due, "--id", number, "--db", url)
    ok("invoice", "paid", C, "2", "--amount", "333.33", "--on", "2026-09-02", "--db", url)
    return url


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ").split())


@pytest.mark.parametrize(
    ("lang", "words", "ids"),
    [
        ("ru", ["контент-план: раундов правок 2 при лимите 1", "счёт 1: просрочен",
                "45 000 ₽", "123 456,78 ₽ (оплачено 333,33 ₽)", "Цена: 1 250 000 ₽"],
         ["content_plan", "deliverable=", "days_overdue=", "45000.0", "1250000.0"]),
        ("en", ["content plan: 2 revision rounds, limit 1", "invoice 1: overdue",
                "45,000 RUB", "123,456.78 RUB (paid 333.33 RUB)", "Price: 1,250,000 RUB"],
         ["content_plan", "deliverable=", "days_overdue=", "45000.0", "1250000.0"]),
    ],
)  # fmt: skip
def test_report_words_records_in_its_language(
    db: str, tmp_path: Path, lang: str, words: list[str], ids: list[str]
) -> None:
    out = tmp_path / f"r_{lang}.html"
    ok("analyze", "--client", C, "--html", str(out), "--lang", lang, "--db", db)
    text = _text(out.read_text(encoding="utf-8"))
    for w in words:
        assert w in text, (w, text[text.find("Contract") - 200 :])
    for raw in ids:
        assert raw not in text, raw


@pytest.mark.parametrize(
    ("lang", "sums"),
    [("ru", ["45\u00a0000\u00a0₽", "1\u00a0250\u00a0000\u00a0₽"]), ("en", ["45,000\u00a0RUB"])],
)
def test_a_sum_in_the_report_is_never_cut_in_two(db: str, tmp_path: Path, lang: str, sums: list[str]) -> None:
    """A narrow invoices cell wrapped "45" / "000 ₽": the report's sums keep no-break spaces."""
    out = tmp_path / f"r_{lang}.html"
    ok("analyze", "--client", C, "--html", str(out), "--lang", lang, "--db", db)
    html = out.read_text(encoding="utf-8")
    for shown in sums:
        assert shown in html, shown


def test_unknown_detail_shapes_stay_readable() -> None:
    assert detail_text({"who": "Игорь", "at": "02:14"}, "ru") == "who=Игорь at=02:14"
    assert detail_text({"deliverable": "баннер к акции", "rounds": "3", "limit": "2"}, "en") == (
        "баннер к акции: 3 revision rounds, limit 2"
    )
    assert money(None, "RUB", "ru") == "—"


def test_sender_names_are_bidi_isolated(db: str, tmp_path: Path) -> None:
    """QA3 F10: an Arabic sender name reordered the time beside it; names sit in <bdi>."""
    out = tmp_path / "r.html"
    ok("analyze", "--client", C, "--html", str(out), "--lang", "ru", "--db", db)
    html = out.read_text(encoding="utf-8")
    assert f"· <bdi>{CL[0]}</bdi> ·" in html
