"""``clientguard analyze`` profiles the client from ALL of its stored history (issue #4).

End to end through the CLI with the real importers and the real exports: the dev
conversations (split into an earlier and a later export), the sample chat, and the
Telegram JSON / HTML / WhatsApp fixtures of ``../shared/fixtures/formats``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
DEV = ("data", "signals", "dev", "conversations")
#: What the issue promises; compared as a whole between two ways to the same profile.
CONTRACT = ("client", "risk", "archetypes", "recommendation", "contacts", "conversation_signals", "messages")
# Different archetypes, a group chat, partial payments (05), no archetype (02).
SPLIT = ("dev-conv-02", "dev-conv-03", "dev-conv-05", "dev-conv-08", "dev-conv-13", "dev-conv-14")

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")


def run(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def profile(*args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run("analyze", *args, "--json"))
    return data


def contract(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d[k] for k in (*CONTRACT, "invoices", "revisions", "message_signals")}


def split(chat: Path, folder: Path) -> tuple[Path, Path]:
    """The chat as two exports: the first 60 % (March) and the last 60 % (May)."""
    data = json.loads(chat.read_text(encoding="utf-8"))
    msgs = data["messages"]
    n = len(msgs)
    march, may = folder / "march.json", folder / "may.json"
    march.write_text(json.dumps({**data, "messages": msgs[: n * 6 // 10]}, ensure_ascii=False), "utf-8")
    may.write_text(json.dumps({**data, "messages": msgs[n * 4 // 10 :]}, ensure_ascii=False), "utf-8")
    return march, may


@pytest.fixture(scope="module")
def dev(shared_dir: Path) -> Path:
    folder = shared_dir.joinpath(*DEV)
    if not folder.is_dir():
        pytest.skip(f"dev conversations not found at {folder}")
    return folder


@pytest.fixture()
def formats(shared_dir: Path) -> Path:
    folder = shared_dir / "fixtures" / "formats"
    if not folder.is_dir():
        pytest.skip(f"format fixtures not found at {folder}")
    return folder


@pytest.mark.parametrize("conv", SPLIT)
def test_two_overlapping_exports_give_the_profile_of_the_whole_chat(
    dev: Path, conv: str, tmp_path: Path, tmp_home: Path
) -> None:
    chat, case = dev / f"{conv}.json", dev / f"{conv}.labels.json"
    march, may = split(chat, tmp_path)
    whole = profile(str(chat), "--case", str(case), "--db", f"sqlite:///{tmp_path / 'whole.sqlite3'}")
    history = f"sqlite:///{tmp_path / 'history.sqlite3'}"
    profile(str(march), "--case", str(case), "--db", history)
    after_may = profile(str(may), "--case", str(case), "--db", history)
    assert contract(after_may) == contract(whole)
    # Re-profiling the stored client without a file gives the same answer.
    again = profile("--client", whole["client"], "--case", str(case), "--db", history)
    assert contract(again) == contract(whole)
    # --only-file: the May export alone, its own messages only.
    alone = profile(str(may), "--case", str(case), "--only-file", "--db", history)
    may_ids = {str(m["id"]) for m in json.loads(may.read_text(encoding="utf-8"))["messages"]}
    alone_ids = {m["id"] for m in alone["messages"]}
    assert alone_ids <= may_ids and alone_ids < {m["id"] for m in after_may["messages"]}


def test_a_second_chat_of_the_client_counts_with_source_ids_kept(
    dev: Path, tmp_path: Path, tmp_home: Path
) -> None:
    """The later half continued in a group chat: the profile is the whole chat's one."""
    chat, case = dev / "dev-conv-14.json", dev / "dev-conv-14.labels.json"
    data = json.loads(chat.read_text(encoding="utf-8"))
    msgs, half = data["messages"], len(data["messages"]) // 2
    first, second = tmp_path / "personal.json", tmp_path / "group.json"
    first.write_text(json.dumps({**data, "messages": msgs[:half]}, ensure_ascii=False), "utf-8")
    renumbered = [{**m, "id": i + 1} for i, m in enumerate(msgs[half:])]  # Telegram ids start at 1 per chat
    group = {**data, "name": "Проект", "type": "private_group", "id": 4242, "messages": renumbered}
    second.write_text(json.dumps(group, ensure_ascii=False), "utf-8")
    whole = profile(str(chat), "--case", str(case), "--db", f"sqlite:///{tmp_path / 'whole.sqlite3'}")
    db = f"sqlite:///{tmp_path / 'history.sqlite3'}"
    name = whole["client"]
    profile(str(first), "--case", str(case), "--client", name, "--db", db)
    both = profile(str(second), "--case", str(case), "--client", name, "--db", db)

    ids = [m["id"] for m in both["messages"]]
    assert len(ids) == len(set(ids)) == len(whole["messages"])
    group_ids = {str(m["id"]) for m in renumbered}
    first_ids = {str(m["id"]) for m in msgs[:half]}
    # The analysed file keeps its source ids; the other chat's colliding ids name their chat.
    assert group_ids <= set(ids)
    assert {i.split("@")[0] for i in ids if "@" in i} <= first_ids & group_ids
    assert all(i.endswith("@telegram:" + str(data["id"])) for i in ids if "@" in i)
    assert both["risk"] == whole["risk"]
    assert [(a["id"], a["confidence"]) for a in both["archetypes"]] == [
        (a["id"], a["confidence"]) for a in whole["archetypes"]
    ]
    assert both["recommendation"]["action"] == whole["recommendation"]["action"]
    assert [(s["id"], s["count"]) for s in both["conversation_signals"]] == [
        (s["id"], s["count"]) for s in whole["conversation_signals"]
    ]


def test_json_and_html_exports_of_one_chat_are_counted_once(
    formats: Path, tmp_path: Path, tmp_home: Path
) -> None:
    json_chat = formats / "telegram_json" / "langchain-community" / "result.json"
    html_chat = formats / "telegram_html" / "langchain-community" / "messages.html"
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    first = profile(str(json_chat), "--client", "Jimmeny", "--db", db)
    second = profile(str(html_chat), "--client", "Jimmeny", "--db", db)
    assert len(second["messages"]) == len(first["messages"]) == 4
    assert [m["id"] for m in second["messages"]] == ["1", "2", "3", "4"]
    assert second["risk"] == first["risk"]
    out = run("analyze", "--client", "jimmeny", "--db", db, "--lang", "en")
    assert "conversations: 1, messages: 4" in out and "left out: 4" in out


def test_a_whatsapp_chat_of_the_same_client_joins_the_profile(
    formats: Path, tmp_path: Path, tmp_home: Path
) -> None:
    telegram = formats / "telegram_json" / "langchain-community" / "result.json"
    whatsapp = formats / "whatsapp_txt" / "rwhatsapp" / "sample.txt"
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    tg = profile(str(telegram), "--client", "Jimmeny", "--db", db)
    both = profile(str(whatsapp), "--client", "jimmeny", "--db", db)  # the stored spelling is found
    alone = profile(str(whatsapp), "--client", "Jimmeny", "--db", db, "--only-file")
    assert {m["id"] for m in both["messages"]} == {m["id"] for m in tg["messages"]} | {
        m["id"] for m in alone["messages"]
    }
    assert {c["from_id"] for c in both["contacts"]} == {c["from_id"] for c in tg["contacts"]} | {
        c["from_id"] for c in alone["contacts"]
    }
    assert both["client"] == "Jimmeny"


def test_a_chat_imported_before_the_user_was_known_is_read_right(tmp_path: Path, tmp_home: Path) -> None:
    """``import`` without ``--me`` stores everyone as the client's; analysis corrects that."""
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    run("import", str(SAMPLE), "--db", db)
    stored = profile("--client", "Игорь Пенкин", "--db", db)
    fresh = profile(str(SAMPLE), "--db", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert contract(stored) == contract(fresh)
    assert [c["from_id"] for c in stored["contacts"]] == ["user5550002"]


def test_analyze_without_a_file_says_what_it_covers(tmp_path: Path, tmp_home: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    out = run("analyze", str(SAMPLE), "--db", db, "--lang", "ru")
    assert "переписок: 1, сообщений: 27" in out and "--only-file" in out
    out = run("analyze", "--client", "игорь пенкин", "--db", db, "--lang", "en")
    assert "conversations: 1, messages: 27" in out and "--only-file" not in out
    out = run("analyze", str(SAMPLE), "--only-file", "--db", db, "--lang", "en")
    assert "This file alone" not in out and "Profile of this file alone" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--client", "Никто"], "no client named"),
        ([], "PATH"),
        (["--client", "Игорь Пенкин", "--only-file"], "--only-file"),
    ],
)
def test_clear_errors(args: list[str], message: str, tmp_path: Path, tmp_home: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    run("analyze", str(SAMPLE), "--db", db)
    result = CliRunner().invoke(build_app(), ["analyze", *args, "--db", db])
    assert result.exit_code != 0
    assert message in result.output + str(result.exception)


def test_only_the_analysed_chat_of_a_full_account_export_is_stored(
    dev: Path, tmp_path: Path, tmp_home: Path
) -> None:
    """``--client`` names one chat's client: the account's other chats must not join it."""
    chats = [
        json.loads((dev / f"{c}.json").read_text(encoding="utf-8")) for c in ("dev-conv-02", "dev-conv-03")
    ]
    export = tmp_path / "result.json"
    export.write_text(json.dumps({"chats": {"about": "", "list": chats}}, ensure_ascii=False), "utf-8")
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    name = chats[1]["name"]
    d = profile(str(export), "--client", name, "--db", db)
    stored = json.loads(run("clients", "--json", "--db", db))
    assert [(c["name"], c["conversations"]) for c in stored] == [(name, 1)]
    assert {m["id"] for m in d["messages"]} <= {str(m["id"]) for m in chats[1]["messages"]}
