"""The dev conversation set: targets in oracle mode, and the CLI end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from analysis_helpers import DEV
from typer.testing import CliRunner

from clientguard.analysis.evaluate import evaluate
from clientguard.cli import build_app

# Store and evidence hooks are developed in parallel; their SQLAlchemy deprecations must not
# fail the analysis tests.
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")


@pytest.fixture(autouse=True)
def no_nlp(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI wiring is tested without the NLP stage, which is developed (and tested) apart."""
    from clientguard.analysis import pipeline
    from clientguard.analysis.dataset import to_analyzed

    monkeypatch.setattr(pipeline, "label", lambda msgs: (to_analyzed(msgs), "none"))


@pytest.fixture(scope="module")
def dev(shared_dir: Path) -> Path:
    folder = shared_dir.joinpath(*DEV)
    if not folder.is_dir():
        pytest.skip(f"dev conversations not found at {folder}")
    return folder


def test_oracle_labels_meet_the_targets(dev: Path) -> None:
    report = evaluate(dev, oracle=True)
    assert len(report.conversations) == 24
    assert report.archetype_macro_f1 >= 0.85
    assert report.recommendation_accuracy >= 0.80
    assert report.message_micro.f1 == 1.0  # gold against gold


def test_eval_cli_json(dev: Path) -> None:
    res = CliRunner().invoke(build_app(), ["eval", "conversations", str(dev), "--oracle-labels", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert {"archetype_macro_f1", "recommendation_accuracy", "message_micro_f1", "archetypes"} <= set(data)


def test_eval_on_an_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(build_app(), ["eval", "conversations", str(tmp_path), "--oracle-labels"])
    assert res.exit_code != 0
    assert "no labelled conversations" in str(res.exception)


@pytest.mark.parametrize("conv", ["dev-conv-13", "dev-conv-05", "dev-conv-07"])
def test_analyze_json_on_dev_conversations(dev: Path, conv: str, tmp_home: Path) -> None:
    chat, case = dev / f"{conv}.json", dev / f"{conv}.labels.json"
    html = tmp_home.parent / "r.html"
    res = CliRunner().invoke(
        build_app(),
        ["analyze", str(chat), "--case", str(case), "--json", "--lang", "en", "--html", str(html)],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)  # notices (e.g. an identity saved) go to stderr
    assert {
        "client",
        "risk",
        "archetypes",
        "recommendation",
        "contacts",
        "conversation_signals",
        "messages",
    } <= set(d)
    source_ids = {str(m["id"]) for m in json.loads(chat.read_text(encoding="utf-8"))["messages"]}
    assert {m["id"] for m in d["messages"]} <= source_ids
    assert html.stat().st_size > 1000
    if conv == "dev-conv-13":
        assert len(d["contacts"]) == 2
    if conv == "dev-conv-05":
        overdue = next(s for s in d["conversation_signals"] if s["id"] == "overdue_invoice")
        # ДР-03 was paid on 03-24, 16 days late: paid late, not overdue (QA pass 6, F1);
        # ДР-04 is partly paid and past due
        assert overdue["count"] == 1 and overdue["evidence"] == ["invoice:ДР-04"]
        assert {i["id"]: i["status"] for i in d["invoices"]} == {
            "ДР-03": "paid_late",
            "ДР-04": "partly_paid_overdue",
        }
        assert "bad_payer" in {a["id"] for a in d["archetypes"]}


def test_analyze_without_case_says_which_defaults(dev: Path, tmp_home: Path) -> None:
    res = CliRunner().invoke(build_app(), ["analyze", str(dev / "dev-conv-02.json"), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "Defaults assumed" in res.output and "Europe/Moscow" in res.output


def test_analyze_real_telegram_exports(shared_dir: Path, tmp_home: Path) -> None:
    folder = shared_dir / "fixtures" / "formats" / "telegram_json"
    files = sorted(p for p in folder.rglob("*.json"))
    if not files:
        pytest.skip("no Telegram JSON fixtures")
    ran = 0
    for f in files[:6]:
        res = CliRunner().invoke(build_app(), ["analyze", str(f), "--json"])
        if res.exit_code != 0:
            assert "E1" in str(res.exception) or "E4" in str(res.exception), (f, res.exception)
            continue
        d = json.loads(res.stdout)  # notices (e.g. an identity saved) go to stderr
        assert d["recommendation"]["action"]
        ran += 1
    assert ran


def test_analyze_imports_idempotently_into_the_store(dev: Path, tmp_home: Path) -> None:
    chat, case = dev / "dev-conv-02.json", dev / "dev-conv-02.labels.json"
    args = ["analyze", str(chat), "--case", str(case), "--lang", "ru"]
    first = CliRunner().invoke(build_app(), args)
    second = CliRunner().invoke(build_app(), args)
    assert first.exit_code == 0 and second.exit_code == 0, (first.output, second.output)
    added = re.search(r"База: новых сообщений — (\d+), уже были в базе — 0", first.output)
    assert added is not None and int(added.group(1)) > 30, first.output
    assert f"База: новых сообщений — 0, уже были в базе — {added.group(1)}" in second.output
    assert "Рекомендация: Продолжать работу" in second.output
