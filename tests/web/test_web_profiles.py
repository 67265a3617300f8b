"""The dashboard's profile is the one ``clientguard analyze --client NAME`` prints.

Both read the client's whole stored history through ``assemble``; before they shared it,
the page counted a chat exported twice (JSON and HTML) twice and read the user as a
client when the chat was imported before the user was known.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.analysis.model import ClientProfile
from clientguard.analysis.pipeline import analyze_client
from clientguard.cli import build_app
from clientguard.store import open_store
from clientguard.web.profiles import compute_profile

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
NOW = datetime(2026, 1, 15, tzinfo=UTC)

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")


def run(*args: str) -> None:
    result = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def summary(p: ClientProfile) -> tuple[object, ...]:
    """What the page shows of a profile, with message ids left out (the page uses store ids)."""
    return (
        p.risk.score,
        p.risk.level,
        tuple(a.id for a in p.archetypes),
        p.recommendation.action,
        tuple((c.from_id, tuple(sorted(c.signal_counts.items()))) for c in p.contacts),
        tuple((s.id, s.count) for s in p.conversation_signals),
        dict(p.message_signals),
        len(p.messages),
    )


def both(db: str, client: str) -> tuple[ClientProfile, ClientProfile]:
    with open_store(db) as st:
        page = compute_profile(st, client, now=NOW)
    cli = analyze_client(client, db=db, now=NOW).profile
    return page, cli


def test_a_chat_imported_before_the_user_was_known(tmp_path: Path, tmp_home: Path) -> None:
    """``import`` without ``--me`` stores the user as the client's; both readings correct it."""
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    run("import", str(SAMPLE), "--db", db)
    page, cli = both(db, "Игорь Пенкин")
    assert summary(page) == summary(cli)
    assert [c.from_id for c in page.contacts] == ["user5550002"]
    with open_store(db) as st:
        store_ids = {str(sm.id) for sm in st.iter_messages("Игорь Пенкин")}
    assert {m.id for m in page.messages} <= store_ids  # evidence links point at stored rows


def test_a_chat_exported_twice_counts_once(shared_dir: Path, tmp_path: Path, tmp_home: Path) -> None:
    formats = shared_dir / "fixtures" / "formats"
    json_chat = formats / "telegram_json" / "langchain-community" / "result.json"
    html_chat = formats / "telegram_html" / "langchain-community" / "messages.html"
    if not (json_chat.is_file() and html_chat.is_file()):
        pytest.skip(f"format fixtures not found under {formats}")
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    run("import", str(json_chat), "--client", "Jimmeny", "--db", db)
    run("import", str(html_chat), "--client", "Jimmeny", "--db", db)
    page, cli = both(db, "Jimmeny")
    assert len(page.messages) == 4
    assert summary(page) == summary(cli)
