"""``clientguard clients`` as a group: it still lists, and rename|merge|move-chat|forget work end to end.

Each command is run through the real entry point (one coded line on an error, never a
traceback), ``evidence verify`` is run after each change and must exit 0, and on a team
database merging and forgetting are refused to anyone but an owner.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.suite_helpers import run_main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CALLS = ROOT / "tests" / "fixtures" / "calls" / "telegram_night_calls.json"
A, B = "Кофейня «Пенка»", "Иван Петров (Telegram)"

Run = tuple[int, str, str]
Cg = Callable[..., Run]


@pytest.fixture()
def cg(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Cg:
    """``cg(*args) -> (code, out, err)`` on a database holding A (the sample) and B (the calls chat)."""
    monkeypatch.setenv("CLIENTGUARD_DB", f"sqlite:///{tmp_path / 'cg.sqlite3'}")
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")

    def run(*args: str) -> Run:
        return run_main(monkeypatch, capsys, *args)

    assert run("import", str(SAMPLE), "--client", A)[0] == 0
    assert run("import", str(CALLS), "--client", B)[0] == 0
    assert run("note", "add", B, "two reels for free, agreed by phone", "--kind", "call")[0] == 0
    assert (
        run("invoice", "add", B, "1000", "--due", "2026-12-01", "--issued", "2026-11-01", "--id", "7")[0] == 0
    )
    return run


def listed(cg: Cg) -> dict[str, int]:
    code, out, _err = cg("clients", "--json")
    assert code == 0
    return {c["name"]: c["messages"] for c in json.loads(out)}


def verified(cg: Cg) -> str:
    code, out, err = cg("evidence", "verify")
    assert code == 0, out + err
    return out


def test_clients_without_a_subcommand_lists_as_before(cg: Cg) -> None:
    code, out, _ = cg("clients", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [sorted(r) for r in rows] == [
        ["conversations", "copies_left_out", "last_activity", "messages", "name"]
    ] * 2
    assert {r["name"]: r["messages"] for r in rows} == {A: 27, B: 10}
    code, out, _ = cg("clients")
    assert code == 0 and A in out and B in out and "messages" in out


def test_rename_then_merge_then_forget_keeps_verify_green(cg: Cg) -> None:
    code, out, _ = cg("clients", "rename", B, "ООО Ромашка")
    assert code == 0 and "is now “ООО Ромашка”" in out
    assert listed(cg) == {A: 27, "ООО Ромашка": 10}
    assert "renamed “Иван Петров (Telegram)” → “ООО Ромашка”" in verified(cg)

    code, out, _ = cg("clients", "merge", "ООО Ромашка", A)
    assert code == 0 and "merged into" in out and "notes: 1" in out and "invoices: 1" in out
    assert listed(cg) == {A: 37}
    out = verified(cg)
    assert "merged into client “Кофейня ‘Пенка’”" in out and "merged into this one" in out

    # a re-import naming either old name adds nothing and starts no client again
    for name in (B, "ООО Ромашка"):
        code, out, _ = cg("import", str(CALLS), "--client", name)
        assert code == 0 and "0 new messages" in out
    assert listed(cg) == {A: 37}

    code, out, _ = cg("clients", "forget", A, "--reason", "relationship ended", "--yes")
    assert code == 0 and "erased" in out and "messages: 37" in out and "delete them yourself" in out
    assert listed(cg) == {}
    out = verified(cg)
    assert out.count("client erased (clients forget)") == 2 and "relationship ended" in out
    assert A not in out and B not in out


@pytest.mark.parametrize(
    ("lang", "plain", "voided"),
    [
        (
            "en",
            "  invoice 7 of “{b}” renumbered 7 → 7-merged:",
            "  voided invoice 8 of “{b}” renumbered 8 → 8-merged:",
        ),
        (
            "ru",
            "  счёт «7» клиента «{b}» получил номер 7-merged:",
            "  аннулированный счёт «8» клиента «{b}» получил номер 8-merged:",
        ),
    ],
)
def test_merge_renumber_marks_a_voided_invoice(cg: Cg, lang: str, plain: str, voided: str) -> None:
    """A voided invoice clashes too (its number stays taken), and the renumbered list read it
    like any other: an invoice still owed, to whoever reads the merge's output."""
    dates = ("--due", "2026-12-01", "--issued", "2026-11-01")
    for client, number in ((A, "7"), (A, "8"), (B, "8")):
        assert cg("invoice", "add", client, "500", *dates, "--id", number)[0] == 0
    assert cg("invoice", "void", B, "8", "--reason", "typo")[0] == 0
    code, out, err = cg("clients", "merge", B, A, "--renumber", "--lang", lang)
    assert code == 0, out + err
    lines = out.splitlines()
    assert any(line.startswith(plain.format(b=B)) for line in lines), out
    assert any(line.startswith(voided.format(b=B)) for line in lines), out
    verified(cg)


def test_forget_shows_the_counts_and_asks(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    runner = CliRunner()
    assert runner.invoke(build_app(), ["import", str(CALLS), "--client", B, "--db", url]).exit_code == 0
    args = ["--lang", "ru", "clients", "forget", B, "--reason", "клиент попросил", "--db", url]
    said_no = runner.invoke(build_app(), args, input="n\n")
    assert said_no.exit_code == 1
    assert "сообщений: 10" in said_no.output and "Ничего не удалено." in said_no.output
    listing = runner.invoke(build_app(), ["clients", "--json", "--db", url])
    assert [c["name"] for c in json.loads(listing.output)] == [B]
    said_yes = runner.invoke(build_app(), args, input="y\n")
    assert said_yes.exit_code == 0 and f"клиент «{B}» удалён" in said_yes.output
    listing = runner.invoke(build_app(), ["clients", "--json", "--db", url])
    assert json.loads(listing.output) == []


def test_move_chat_by_id(cg: Cg) -> None:
    code, out, _ = cg("messages", B, "--json")
    conv = json.loads(out.splitlines()[0])["conversation_id"]
    code, out, _ = cg("clients", "move-chat", f"#{conv}", A)
    assert code == 0 and f"(#{conv}, 10 messages) moved: “{B}” → “Кофейня ‘Пенка’”" in out
    assert listed(cg) == {A: 37, B: 0}
    assert "moved in from client" in verified(cg)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("clients", "rename", "Пенко", "x"), "error E400: no client named 'Пенко'"),
        (("clients", "rename", B, A), "error E200: a client named “Кофейня ‘Пенка’” already exists"),
        (
            ("clients", "merge", B, B),
            "error E200: “Иван Петров (Telegram)” and “Иван Петров (Telegram)” are one",
        ),
        (("clients", "move-chat", "#999", A), "error E400: no chat named '#999'"),
        (("clients", "forget", "Никто", "--reason", "x", "--yes"), "error E400: no client named 'Никто'"),
    ],
)
def test_bad_names_give_one_coded_line(cg: Cg, args: tuple[str, ...], line: str) -> None:
    code, _out, err = cg(*args)
    assert code == 1 and err.startswith(line), err
    assert "Traceback" not in err
    assert listed(cg) == {A: 27, B: 10}


def test_team_database_only_an_owner_may_merge_or_forget(
    cg: Cg, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from clientguard.store import open_store
    from clientguard.web.auth import add_user

    with open_store(f"sqlite:///{tmp_path / 'cg.sqlite3'}") as store:
        add_user(store, "olga", "owner", "password-1")
        add_user(store, "max", "manager", "password-2")
    code, _, err = cg("clients", "merge", B, A)
    assert code == 1 and err.startswith(
        "error E600: this is a team database: say who runs this command with --as"
    )
    monkeypatch.setenv("CLIENTGUARD_PASSWORD", "password-2")
    code, _, err = cg("clients", "merge", B, A, "--as", "max")
    assert code == 1 and err.startswith("error E600: max is a manager; only owner may do this"), err
    code, _, err = cg("clients", "forget", B, "--reason", "x", "--yes", "--as", "max")
    assert code == 1 and "only owner may do this" in err
    code, _, err = cg("clients", "rename", B, "Иван", "--as", "max")  # a manager may rename
    assert code == 0, err
    monkeypatch.setenv("CLIENTGUARD_PASSWORD", "wrong-one")
    code, _, err = cg("clients", "merge", "Иван", A, "--as", "olga")
    assert code == 1 and "wrong user name or password" in err
    assert listed(cg) == {A: 27, "Иван": 10}
    monkeypatch.setenv("CLIENTGUARD_PASSWORD", "password-1")
    code, _out, err = cg("clients", "merge", "Иван", A, "--as", "olga")
    assert code == 0, err
    assert listed(cg) == {A: 37}
    assert "merged into this one on" in verified(cg) and " by olga" in verified(cg)


def test_forget_removes_the_dashboards_uploads_and_profile_cache(cg: Cg, tmp_home: Path) -> None:
    """An upload of the erased client's export and the cached profiles go; other uploads stay."""
    from clientguard import config

    root = config.data_dir()
    (root / "uploads" / "job1").mkdir(parents=True)
    (root / "uploads" / "job2").mkdir(parents=True)
    theirs = root / "uploads" / "job1" / "telegram.json"
    theirs.write_bytes(CALLS.read_bytes())
    other = root / "uploads" / "job2" / "sample.json"
    other.write_bytes(SAMPLE.read_bytes())
    (root / "cache").mkdir()
    cached = root / "cache" / "profile-0123456789abcdef.pickle"
    cached.write_bytes(b"a profile")
    code, out, err = cg("clients", "forget", B, "--reason", "asked", "--yes")
    assert code == 0, err
    assert "files uploaded through the dashboard deleted: 1" in out
    assert not theirs.exists() and other.exists() and not cached.exists()


def test_a_closed_client_is_named_in_the_interface_language(cg: Cg, monkeypatch: pytest.MonkeyPatch) -> None:
    """A merged or erased client is stored as "#2 (merged into #1)" / "#1 (erased)", and
    ``evidence verify`` printed that English at the head of a Russian line."""
    assert cg("clients", "merge", B, A)[0] == 0
    for lang, merged in (("ru", "#2 (объединён с #1): "), ("en", "#2 (merged into #1): ")):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        assert merged in verified(cg)
    assert cg("clients", "forget", A, "--reason", "просьба клиента", "--yes")[0] == 0
    for lang, erased in (("ru", "#1 (удалён): "), ("en", "#1 (erased): ")):
        monkeypatch.setenv("CLIENTGUARD_LANG", lang)
        out = verified(cg)
        assert erased in out
        assert lang == "en" or ("erased" not in out and "merged into" not in out)
