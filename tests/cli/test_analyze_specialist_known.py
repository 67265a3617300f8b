"""analyze does not say the specialist was guessed when the user named themselves (QA pass 6, CLI N7).

'clientguard analyze chat.txt --me Анна' printed 'Приняты значения по умолчанию: … специалист
определён автоматически' (JSON: assumed_defaults with specialist_from_id) although --me had
just said who the specialist is; 'analyze --client' said the same with saved identities.
Only a real guess (nobody named) keeps the line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

CHAT = (
    "01.09.2025, 10:05 - Игорь Петров: Пришлите контент-план до пятницы\n"
    "01.09.2025, 10:07 - Анна: Пришлю в четверг\n"
    "01.09.2025, 23:42 - Игорь Петров: Это никуда не годится, переделайте к утру\n"
)


def assumed(*args: str) -> list[str]:
    result = CliRunner().invoke(build_app(), [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout)["assumed_defaults"])


@pytest.fixture()
def chat(tmp_path: Path) -> Path:
    path = tmp_path / "WhatsApp Chat with Игорь.txt"
    path.write_text(CHAT, encoding="utf-8")
    return path


@pytest.mark.parametrize("store", [True, False], ids=["stored", "no_store"])
def test_me_named_is_not_an_assumed_default(tmp_path: Path, tmp_home: Path, chat: Path, store: bool) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"] if store else ["--only-file"]
    got = assumed("analyze", str(chat), "--me", "Анна", *db)
    assert "specialist_from_id" not in got and "timezone" in got


def test_a_guess_is_still_said_and_a_saved_identity_is_not_a_guess(
    tmp_path: Path, tmp_home: Path, chat: Path
) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    assert "specialist_from_id" in assumed("analyze", str(chat), *db)  # nobody named: a guess
    runner = CliRunner()
    assert runner.invoke(build_app(), ["me", "add", "Анна", *db]).exit_code == 0
    assert "specialist_from_id" not in assumed("analyze", "--client", "Игорь Петров", *db)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("ru", "специалист определён автоматически: «Анна»"),
        ("en", "specialist identified automatically: “Анна”"),
    ],
)
def test_a_guess_names_whom_it_took_for_the_specialist(
    tmp_path: Path, tmp_home: Path, chat: Path, lang: str, said: str
) -> None:
    """'identified automatically' alone hid a guess that took the client for the user."""
    html = tmp_path / "r.html"
    result = CliRunner().invoke(
        build_app(),
        ["analyze", str(chat), "--only-file", "--html", str(html)],
        env={"COLUMNS": "300", "CLIENTGUARD_LANG": lang},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert said in " ".join(result.output.split())
    assert said in html.read_text(encoding="utf-8")  # the HTML report says it too
