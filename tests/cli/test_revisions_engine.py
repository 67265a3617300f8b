"""``revisions`` and ``analyze`` count the same rounds for the same client (QA F14).

On the sample chat ``analyze`` said ``content_plan: 2 rounds, limit 2`` (messages 1004,
1011) while ``revisions`` said ``deliverable #1: 1 round`` and ``design #2: 0 rounds``,
ignoring "верните шрифт как было" 25 minutes after the second delivery, and printed
UTC times (12:10) for deliveries made at 15:10 Moscow time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CASE = ROOT / "examples" / "sample_case.yaml"
CLIENT = "Кофейня «Пенка»"

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")


def ok(*args: str) -> str:
    r = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    if not SAMPLE.is_file() or not CASE.is_file():
        pytest.skip("examples/sample_chat.json or sample_case.yaml not present")
    return f"sqlite:///{tmp_path / 'rev.sqlite3'}"


def test_revisions_are_analyze_revisions_in_local_time(db: str) -> None:
    profile = json.loads(ok("analyze", str(SAMPLE), "--case", str(CASE), "--json", "--db", db))
    rows = json.loads(ok("revisions", CLIENT, "--json", "--db", db))
    same = [{k: r[k] for k in ("deliverable", "rounds", "limit", "evidence")} for r in rows]
    assert same == profile["revisions"]
    assert profile["revisions"] == [
        {"deliverable": "content_plan", "rounds": 2, "limit": 2, "evidence": ["1004", "1011"]}
    ]
    (row,) = rows
    assert row["state"] == "limit_reached" and not row["over_limit"]
    # 1011, "верните шрифт как было", at 16:45 Moscow time, as `messages` prints it.
    assert row["requests"][1] == {"id": "1011", "at": "2025-09-06T16:45:00+03:00"}
    table = " ".join(ok("revisions", CLIENT, "--lang", "en", "--db", db).split())
    assert "(Europe/Moscow)" in table and "2025-09-06 16:45 #1011" in table and "limit reached" in table
    messages = ok("messages", CLIENT, "--db", db)
    assert "2025-09-06 16:45" in messages


def test_limit_override_is_checked(db: str) -> None:
    ok("analyze", str(SAMPLE), "--case", str(CASE), "--db", db)
    over = json.loads(ok("revisions", CLIENT, "--limit", "1", "--json", "--db", db))
    assert [(r["limit"], r["over_limit"]) for r in over] == [(1, True)]
    r = CliRunner().invoke(build_app(), ["revisions", CLIENT, "--limit", "-1", "--db", db])
    assert r.exit_code == 2 and "expected a whole number from 0 to 100, got -1" in " ".join(
        r.output.replace("│", " ").split()
    )
