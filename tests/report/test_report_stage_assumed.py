"""An assumed stage is shown as assumed (QA5 finding 2).

With no case file the profile's stage is the default "contract" (spec/signals.md §4), and
``analyze``, the HTML report and the dashboard printed "Этап: договор" beside "договор
неизвестен" for a client with no contract. The stage is now "договор (предположено)" /
"contract (assumed)" when no case file set it; the JSON keeps ``stage`` and gains
``stage_assumed``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.report.i18n import stage_text

CHAT = "12.09.2025, 10:00 - Борис: Привет! Как вам пост?\n12.09.2025, 10:30 - Ольга: Норм\n"


def test_stage_text() -> None:
    assert stage_text("contract", ("timezone", "stage"), "ru") == "договор (предположено)"
    assert stage_text("contract", ("stage",), "en") == "contract (assumed)"
    assert stage_text("contract", ("timezone",), "ru") == "договор"
    assert stage_text("presale", (), "en") == "presale"


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "300")
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    r = CliRunner().invoke(
        build_app(), ["import", str(chat), "--client", "Борис", "--me", "Ольга", "--db", url]
    )
    assert r.exit_code == 0, r.output
    return url


@pytest.mark.parametrize(
    ("lang", "says"), [("ru", "Этап: договор (предположено)"), ("en", "Stage: contract (assumed)")]
)
def test_analyze_console_and_html_say_the_stage_is_assumed(
    tmp_path: Path, db: str, lang: str, says: str
) -> None:
    html = tmp_path / "r.html"
    args = ["analyze", "--client", "Борис", "--lang", lang, "--html", str(html), "--db", db]
    r = CliRunner().invoke(build_app(), args)
    assert r.exit_code == 0, r.output
    assert says in " ".join(r.stdout.split())
    assert says in " ".join(html.read_text(encoding="utf-8").split())


def test_a_stage_the_case_file_sets_is_not_marked(tmp_path: Path, db: str) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("stage: presale\n", encoding="utf-8")
    r = CliRunner().invoke(
        build_app(), ["analyze", "--client", "Борис", "--case", str(case), "--lang", "ru", "--db", db]
    )
    assert r.exit_code == 0, r.output
    assert "Этап: пресейл ·" in " ".join(r.stdout.split()) and "предположено" not in r.stdout


def test_json_keeps_stage_and_adds_stage_assumed(tmp_path: Path, db: str) -> None:
    r = CliRunner().invoke(build_app(), ["analyze", "--client", "Борис", "--json", "--db", db])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["stage"] == "contract" and data["stage_assumed"] is True
    case = tmp_path / "case.yaml"
    case.write_text("stage: contract\n", encoding="utf-8")
    r = CliRunner().invoke(
        build_app(), ["analyze", "--client", "Борис", "--case", str(case), "--json", "--db", db]
    )
    assert json.loads(r.stdout)["stage_assumed"] is False


def test_the_dashboard_says_the_stage_is_assumed(tmp_home: Path) -> None:
    from tests.web.web_helpers import TestClient, create_app, local_config

    url = local_config(tmp_home).db_url
    chat = tmp_home.parent / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    r = CliRunner().invoke(
        build_app(), ["import", str(chat), "--client", "Борис", "--me", "Ольга", "--db", url]
    )
    assert r.exit_code == 0, r.output
    with TestClient(create_app(local_config(tmp_home))) as client:
        page = client.get("/?lang=ru").text
        cid = page.split('">Борис<')[0].rsplit("/clients/", 1)[1]
        ru = client.get(f"/clients/{cid}?lang=ru").text
        en = client.get(f"/clients/{cid}?lang=en").text
    assert "Этап: договор (предположено)" in ru and "contract (assumed)" in en


CONTRACT = (
    "# Договор оказания услуг № 5\n\n1. Исполнитель оказывает услуги SMM: 12 постов в месяц.\n\n"
    "2. Заказчик оплачивает услуги в течение 5 рабочих дней после выставления счёта.\n"
)


def test_a_signed_contract_makes_the_stage_a_fact(tmp_path: Path, db: str) -> None:
    from clientguard.analysis.case import case_from_dict

    assert "stage" not in case_from_dict({"contract": {"signed": True}}).assumed
    assert "stage" in case_from_dict({"contract": {"signed": False}}).assumed
    doc = tmp_path / "c.md"
    doc.write_text(CONTRACT, encoding="utf-8")
    r = CliRunner().invoke(build_app(), ["contract", "add", "Борис", str(doc), "--yes", "--db", db])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(build_app(), ["analyze", "--client", "Борис", "--lang", "ru", "--db", db])
    assert "Этап: договор ·" in " ".join(r.stdout.split()) and "предположено" not in r.stdout
