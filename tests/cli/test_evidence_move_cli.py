"""``analyze`` moving a stored chat to the client a case file names: the evidence log stays valid.

The reproduction of the false "TAMPERED": analyse the sample chat without a case file (it
is stored under the chat's other party), then with a case file naming another client
(the conversation moves), then ``evidence verify`` and ``evidence export``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
FIRST = "Игорь Пенкин"  # the sample's other party: the client picked without a case file
OTHER = "Другой клиент"

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CLIENTGUARD_DB", raising=False)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), list(args))
    return result.exit_code, result.output


def case(folder: Path, client: str) -> Path:
    path = folder / f"{client}.yaml"
    path.write_text(
        f"client:\n  name: {client}\n  from_id: user5550002\nspecialist_from_id: user5550001\n"
        "timezone: Europe/Moscow\n",
        encoding="utf-8",
    )
    return path


def test_analyze_with_another_client_keeps_both_logs_valid(home: Path) -> None:
    assert run("analyze", str(SAMPLE), "--json")[0] == 0
    assert run("analyze", str(SAMPLE), "--case", str(case(home, OTHER)), "--json")[0] == 0
    code, out = run("evidence", "verify", "--lang", "en")
    assert code == 0, out
    assert "TAMPERED" not in out and "source_missing" not in out and "unlogged" not in out
    assert f"{FIRST}: 2 records covering 0 messages" in out
    assert f"{OTHER}: 1 record covering 27 messages" in out
    assert f"moved to client “{OTHER}”" in out and f"moved in from client “{FIRST}”" in out
    code, out = run(
        "evidence", "export", FIRST, "--format", "json", "--out", str(home / "old.json"), "--lang", "en"
    )
    assert code == 0 and "verified" in out and "NOT" not in out
    data = json.loads((home / "old.json").read_text(encoding="utf-8"))
    assert data["verified"] and [e["kind"] for e in data["chronology"]] == ["moved_out"]
    assert data["moves"][0]["other"] == OTHER


def test_moving_back_and_tampering_after_it(home: Path) -> None:
    assert run("analyze", str(SAMPLE), "--json")[0] == 0
    assert run("analyze", str(SAMPLE), "--case", str(case(home, OTHER)), "--json")[0] == 0
    assert run("analyze", str(SAMPLE), "--case", str(case(home, FIRST)), "--json")[0] == 0
    code, out = run("evidence", "verify", "--lang", "en")
    assert code == 0, out
    assert f"{FIRST}: 3 records covering 27 messages" in out
    from sqlalchemy import create_engine, text

    db = home / "home" / "clientguard.sqlite3"
    assert db.is_file()
    with create_engine(f"sqlite:///{db}").begin() as conn:
        conn.execute(text("DELETE FROM messages WHERE id = 7"))
    code, out = run("evidence", "verify", FIRST, "--lang", "en")
    assert code == 2 and "TAMPERED (1 problem)" in out and "message 7 source_missing" in out
