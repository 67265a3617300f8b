"""``clientguard import / clients / messages / me`` end to end with the real importers."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app, main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def cli(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_import_json_shape_and_idempotency(db: str) -> None:
    first = json.loads(cli("import", str(SAMPLE), "--me", "user5550001", "--json", "--db", db))
    assert first == {
        "conversations": 1,
        "messages_added": 27,
        "messages_existing": 0,
        "events_added": 0,
        "skipped": [],
        "notices": [],
        "moved": [],
        "new_clients": [{"name": "Игорь Пенкин", "similar": []}],
    }
    again = json.loads(cli("import", str(SAMPLE), "--json", "--db", db))
    assert (again["messages_added"], again["messages_existing"]) == (0, 27)
    assert again["new_clients"] == []


def test_clients_messages_and_me(db: str) -> None:
    cli("import", str(SAMPLE), "--db", db)
    assert cli("me", "add", "user5550001", "--lang", "en", "--db", db).strip() == "added user5550001"
    assert json.loads(cli("me", "list", "--json", "--db", db)) == [{"platform": "", "value": "user5550001"}]
    [client] = json.loads(cli("clients", "--json", "--db", db))
    assert (client["name"], client["messages"]) == ("Игорь Пенкин", 27)
    lines = [
        json.loads(x)
        for x in cli("messages", "Игорь Пенкин", "--since", "2025-09-23", "--json", "--db", db).splitlines()
    ]
    assert [m["role"] for m in lines] == ["specialist", "client", "specialist", "client"]
    assert "Спасибо, посмотрю." in cli("messages", "игорь пенкин", "--db", db)


def test_env_var_selects_the_database(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGUARD_DB", db)
    cli("import", str(SAMPLE))
    assert json.loads(cli("clients", "--json", "--db", db))[0]["messages"] == 27


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["clientguard", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    return int(exit_.value.code or 0)


@pytest.mark.parametrize("skip_bad", [[], ["--skip-bad"]])
def test_truncated_file_is_one_red_line_and_nothing_is_imported(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    skip_bad: list[str],
) -> None:
    """QA F3: with --skip-bad a cut-off file imported its first 5 messages and reported
    "skipped 1 record" while the other 22 were lost. It now stops the import either way."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    good = tmp_path / "good.json"
    shutil.copy(SAMPLE, good)
    broken = tmp_path / "broken.json"
    broken.write_bytes(SAMPLE.read_bytes()[:3000])
    assert run_main(monkeypatch, "import", str(good), str(broken), *skip_bad, "--db", db) == 1
    err = "".join(capsys.readouterr().err.split())  # Rich wraps long lines, even inside words
    assert f"E103:{broken}:messages[5](byte3000):thefileistruncated" in err
    assert "nothingwasimported" in err and "Traceback" not in err
    assert json.loads(cli("clients", "--json", "--db", db)) == []  # the good file was rolled back too


def test_skip_bad_still_skips_a_broken_record_and_imports_the_rest(db: str, tmp_path: Path) -> None:
    """A broken *record* in a whole file stays skippable (only a cut-off file is not)."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["messages"][3]["date_unixtime"] = "not a time"
    bad = tmp_path / "bad_record.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    summary = json.loads(cli("import", str(bad), "--skip-bad", "--json", "--db", db))
    assert summary["messages_added"] == 26
    assert [(s["file"], s["where"]) for s in summary["skipped"]] == [(str(bad), "messages[3].date_unixtime")]


def test_missing_file_and_unknown_client_are_errors(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(monkeypatch, "import", str(tmp_path / "nope.json"), "--db", db) == 1
    assert run_main(monkeypatch, "messages", "Никто", "--db", db) == 1
    err = "".join(capsys.readouterr().err.split())
    assert "nope.json" in err and "Никто" in err and "Traceback" not in err


def test_directory_imports_recognised_files_only(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    (folder / "photos").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "result.json")
    (folder / "photos" / "photo_1.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a chat")
    summary = json.loads(cli("import", str(folder), "--json", "--db", db))
    assert (summary["conversations"], summary["messages_added"], summary["skipped"]) == (1, 27, [])


def test_unknown_file_named_explicitly_is_an_error(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not a chat")
    assert run_main(monkeypatch, "import", str(photo), "--db", db) == 1
    assert "E101" in capsys.readouterr().err
    summary = json.loads(cli("import", str(photo), str(SAMPLE), "--skip-bad", "--json", "--db", db))
    assert summary["messages_added"] == 27 and [s["file"] for s in summary["skipped"]] == [str(photo)]
