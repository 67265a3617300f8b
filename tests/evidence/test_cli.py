"""The note, evidence and reply commands end to end, on a throw-away database."""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE
from typer.testing import CliRunner

from clientguard.cli import build_app


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("CLIENTGUARD_DB", url)
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    from clientguard.store import open_store

    with open_store(url) as st:
        st.import_paths([SAMPLE], client=CLIENT)
    return url


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), list(args))
    return result.exit_code, result.output


def test_note_add_confirm_list_and_verify(db: str) -> None:
    code, out = run(
        "note", "add", CLIENT, "Договорились о 12 постах", "--kind", "agreement", "--date", "2025-09-02",
        "--lang", "en",
    )  # fmt: skip
    assert code == 0 and "note 1 recorded" in out
    assert run("note", "confirm", CLIENT, "1", "--text", "Подтверждаю")[0] == 0
    code, out = run("note", "list", CLIENT, "--lang", "en")
    assert "confirmed" in out and "NOT" not in out
    code, out = run("evidence", "verify", CLIENT, "--lang", "en")
    assert code == 0 and "OK" in out


def test_verify_exit_code_and_names_the_message(db: str) -> None:
    from sqlalchemy import create_engine, text

    with create_engine(db).begin() as conn:
        conn.execute(text("UPDATE messages SET text = 'x' WHERE id = 5"))
    code, out = run("evidence", "verify", "--lang", "en")
    assert code == 2 and "message 5 source_changed" in out


def test_export_writes_the_file(db: str, tmp_path: Path) -> None:
    out_file = tmp_path / "e.json"
    code, _ = run("evidence", "export", CLIENT, "--format", "json", "--out", str(out_file))
    assert code == 0 and out_file.read_text(encoding="utf-8").startswith("{")
    code, _ = run("evidence", "export", CLIENT, "--format", "doc", "--out", str(out_file))
    assert code != 0



def test_export_to_a_bad_path_names_it_and_changes_nothing(db: str, tmp_path: Path) -> None:
    """The target is checked before the log is synced: a typo in --out must not append records."""
    from sqlalchemy import create_engine, text

    def records() -> int:
        with create_engine(db).connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM evidence_records")).scalar_one())

    from clientguard.errors import InputError

    before = records()
    for target in (tmp_path, tmp_path / "missing" / "e.html"):
        result = CliRunner().invoke(build_app(), ["evidence", "export", CLIENT, "--out", str(target)])
        assert isinstance(result.exception, InputError)  # main() prints it as one red line
        assert str(target) in str(result.exception) and "cannot write here" in str(result.exception)
    assert records() == before
    kept = tmp_path / "kept.html"
    kept.write_text("earlier export", encoding="utf-8")
    code, _ = run("evidence", "export", CLIENT, "--out", str(kept))
    assert code == 0 and kept.read_text(encoding="utf-8").lstrip().startswith("<!")
    assert not list(tmp_path.glob(".kept.html.*"))  # no temporary file left behind


def test_reply_list_and_draft_from_the_store(db: str) -> None:
    code, out = run("reply", "--list", "--lang", "en")
    assert code == 0 and "termination" in out
    code, out = run(
        "reply",
        "de_escalation",
        "--client",
        CLIENT,
        "--message",
        "4",
        "--tone",
        "firm",
        "--lang",
        "ru",
        "--fact",
        "specialist_name=Анна Смирнова",
    )
    assert code == 0, out
    assert "Посмотрел. Всё не то" in out and out.rstrip().endswith("Анна Смирнова")


def test_reply_without_store(db: str) -> None:
    code, out = run(
        "reply", "payment_reminder_firm", "--fact", "amount=1000", "--fact", "currency=EUR", "--lang", "en"
    )
    assert code == 0 and "1,000\u00a0EUR" in out  # a sum is tied to its currency


@pytest.mark.parametrize(("ui", "said"), [("en", "Nothing to verify"), ("ru", "Проверять нечего")])
def test_verify_on_an_empty_store_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ui: str, said: str
) -> None:
    """README walk-through: `evidence verify` on a database with no clients printed nothing at all."""
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    from clientguard.store import open_store

    with open_store(url):
        pass
    code, out = run("evidence", "verify", "--db", url, "--lang", ui)
    assert code == 0 and said in out
