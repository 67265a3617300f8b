"""``clientguard import`` and ``analyze`` on a Slack workspace export zip, with no flag.

The export (tests/fixtures/ingest/slack/agency) holds an internal channel, two Slack Connect
channels with clients and a DM: ``import`` stores each as a conversation and names them in
a note; ``analyze --client`` picks the conversation as for any multi-chat file (a title, else
a sender's name).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.ingest.test_ingest_slack import AGENCY, zip_folder
from tests.suite_helpers import run_main


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def cli(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_import_then_analyze_a_slack_zip(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    export = zip_folder(AGENCY, tmp_path / "slack export.zip")
    data = json.loads(cli("import", str(export), "--me", "U01MARIA", "--json", "--db", db))
    counts = (data["conversations"], data["messages_added"], data["events_added"], data["skipped"])
    assert counts == (4, 13, 5, [])
    assert [n["code"] for n in data["notices"]] == ["slack_conversations"]
    assert {c["name"] for c in data["new_clients"]} == {"Oleg Brandt", "Игорь Пенкин", "Sarah Lane"}
    ru = " ".join(cli("import", str(export), "--db", db).split())
    assert "уже в базе: 13" in ru
    assert f"заметка {export}: выгрузка Slack: 4 переписки" in ru and "#ext-penka-coffee" in ru

    # by a sender's name: Igor's first conversation, the Slack Connect channel
    igor = json.loads(cli("analyze", str(export), "--client", "Игорь Пенкин", "--json", "--db", db))
    assert igor["client"] == "Игорь Пенкин"
    ids = [m["id"] for m in igor["messages"] if m["role"] == "client"]
    assert "C02PENKA:1756798800.200001" in ids
    threat = next(m for m in igor["messages"] if m["id"] == "C02PENKA:1756798800.200001")
    assert threat["labels"]  # the client's threat reads as one with "@Мария Соколова" in front
    # by a channel's title: the English client's channel
    acme = json.loads(cli("analyze", str(export), "--client", "ext-acme-social", "--json", "--db", db))
    assert {m["id"].split(":")[0] for m in acme["messages"]} == {"C03ACME"}
    # a name in no conversation: the titles to choose from
    code, _, err = run_main(monkeypatch, capsys, "analyze", str(export), "--client", "Nobody", "--lang", "en",
                            "--db", db)
    assert code == 1 and "ext-penka-coffee" in err and "Traceback" not in err


def test_a_slack_zip_without_users_json_is_one_error_line(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = shutil.copytree(AGENCY, tmp_path / "export")
    (folder / "users.json").unlink()
    export = zip_folder(folder, tmp_path / "export.zip")
    code, _, err = run_main(monkeypatch, capsys, "import", str(export), "--lang", "en", "--db", db)
    assert code == 1 and f"E102: {export}: missing users.json" in err and "Traceback" not in err
    skipped = json.loads(cli("import", str(export), "--skip-bad", "--json", "--db", db))
    assert skipped["messages_added"] == 13
    assert [(s["where"], s["error"]) for s in skipped["skipped"]] == [("", "missing users.json")]
