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
    lines = ok("messages", CLIENT, "--json", "--db", db).splitlines()
    stored = {m["source_id"]: m["id"] for m in map(json.loads, lines)}
    at = "2025-09-06T16:45:00+03:00"
    assert row["requests"][1] == {"id": "1011", "message_id": stored["1011"], "at": at}
    table = " ".join(ok("revisions", CLIENT, "--lang", "en", "--db", db).split())
    # the reference shown is the database id `reply --message` takes (QA pass 6, I4)
    assert "(Europe/Moscow)" in table and f"2025-09-06 16:45 #{stored['1011']}" in table
    assert "limit reached" in table
    messages = ok("messages", CLIENT, "--db", db)
    assert "2025-09-06 16:45" in messages


def test_limit_override_is_checked(db: str) -> None:
    ok("analyze", str(SAMPLE), "--case", str(CASE), "--db", db)
    over = json.loads(ok("revisions", CLIENT, "--limit", "1", "--json", "--db", db))
    assert [(r["limit"], r["over_limit"]) for r in over] == [(1, True)]
    args = ["revisions", CLIENT, "--limit", "-1", "--db", db]
    r = CliRunner().invoke(build_app(), args, env={"CLIENTGUARD_LANG": "en"})
    assert r.exit_code == 2 and "expected a whole number from 0 to 100, got -1" in " ".join(
        r.output.replace("│", " ").split()
    )
    r = CliRunner().invoke(build_app(), args, env={"CLIENTGUARD_LANG": "ru"})
    assert r.exit_code == 2 and "нужно целое число от 0 до 100, а указано -1" in " ".join(
        r.output.replace("│", " ").split()
    )


WHATSAPP_ROUNDS = """01.09.2025, 10:00 - Ольга: Отправляю контент-план на сентябрь, посмотрите пожалуйста
01.09.2025, 12:00 - Игорь Петров: Переделайте контент-план, мне не нравится
02.09.2025, 10:00 - Ольга: Вот исправленный вариант контент-плана
02.09.2025, 11:00 - Игорь Петров: Опять не то, переделайте контент-план ещё раз
"""


def test_the_message_reference_revisions_shows_is_what_reply_takes(tmp_path: Path, tmp_home: Path) -> None:
    """QA pass 6, I4: `revisions` showed WhatsApp ids like '#w7bb…' that `reply --message` refused."""
    import re

    chat = tmp_path / "WhatsApp Chat with Игорь Петров.txt"
    chat.write_text(WHATSAPP_ROUNDS, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'wa.sqlite3'}"
    ok("import", str(chat), "--me", "Ольга", "--db", db)
    client = "Игорь Петров"
    table = " ".join(ok("revisions", client, "--lang", "en", "--db", db).split())
    refs = re.findall(r"#(\S+)", table)
    assert refs and all(r.rstrip(",").isdigit() for r in refs), table
    last = refs[-1].rstrip(",")
    for ref in (f"#{last}", last):
        draft = ok("reply", "scope_boundary", "--client", client, "--message", ref, "--lang", "ru",
                   "--db", db)
        assert "Опять не то" in draft
    # the export's own id, as `analyze --json` has it, names the same message
    rows = json.loads(ok("revisions", client, "--json", "--db", db))
    request = rows[0]["requests"][-1]
    assert str(request["message_id"]) == last and request["id"].startswith("w")
    assert ok("reply", "scope_boundary", "--client", client, "--message", request["id"], "--lang", "ru",
              "--db", db) == ok("reply", "scope_boundary", "--client", client, "--message", last,
                                "--lang", "ru", "--db", db)
