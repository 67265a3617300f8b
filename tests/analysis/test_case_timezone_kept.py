"""A case file's time zone is kept for the client (QA pass 7).

``analyze FILE --case`` read the chat in the case's zone, but a later ``analyze --client``
and the dashboard read it in the default one (Europe/Moscow): the same client had 7
off-hours messages in one profile and 8 in the other. The zone is stored with the client.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.store import open_store
from clientguard.web.profiles import compute_profile

ROOT = Path(__file__).resolve().parents[2]
# Seen from New York these are daytime messages; from Moscow (UTC+3, the default) they
# fall at night. WhatsApp times are local: the importer reads them in the case's zone.
CHAT = "".join(
    f"{day:02d}.10.2025, {hh}:{mm} - {who}: {text}\n"
    for day, hh, mm, who, text in [
        (6, "10", "00", "Anna", "Hi Sarah, the plan is attached"),
        (6, "16", "05", "Sarah", "Can you also do the reels this week? Quickly please"),
        (7, "17", "30", "Sarah", "Where is the post? I need it today"),
        (8, "18", "10", "Sarah", "Call me back right now"),
        (9, "16", "40", "Sarah", "Still waiting for the designs"),
    ]
)


def _case(tmp_path: Path, zone: str) -> Path:
    case = yaml.safe_load((ROOT / "examples" / "sample_case.yaml").read_text(encoding="utf-8"))
    case.update(client={"name": "Sarah"}, timezone=zone, specialist_from_id=None, invoices=[], contract=None)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    return path


def _analyze(db: str, *args: str) -> dict[str, object]:
    result = CliRunner().invoke(build_app(), ["analyze", *args, "--json", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


@pytest.fixture()
def chat(tmp_path: Path) -> Path:
    path = tmp_path / "WhatsApp Chat with Sarah.txt"
    path.write_text(CHAT, encoding="utf-8")
    return path


def test_the_client_is_read_in_its_case_zone_later_too(tmp_path: Path, tmp_home: Path, chat: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tz.sqlite3'}"
    first = _analyze(db, str(chat), "--case", str(_case(tmp_path, "America/New_York")), "--me", "Anna")
    later = _analyze(db, "--client", "Sarah")
    assert later["risk"] == first["risk"]
    assert later["conversation_signals"] == first["conversation_signals"]
    with open_store(db) as store:
        assert store.client_timezone("Sarah") == "America/New_York"
        web = compute_profile(store, "Sarah")  # the dashboard reads the same zone
    assert web.risk.score == first["risk"]["score"]  # type: ignore[index]


def test_a_case_naming_another_zone_wins_and_is_kept(tmp_path: Path, tmp_home: Path, chat: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tz.sqlite3'}"
    _analyze(db, str(chat), "--case", str(_case(tmp_path, "America/New_York")), "--me", "Anna")
    _analyze(db, "--client", "Sarah", "--case", str(_case(tmp_path, "Europe/Berlin")))
    with open_store(db) as store:
        assert store.client_timezone("Sarah") == "Europe/Berlin"


def test_without_a_case_file_nothing_is_stored(tmp_path: Path, tmp_home: Path, chat: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tz.sqlite3'}"
    _analyze(db, str(chat), "--me", "Anna")
    with open_store(db) as store:
        assert store.client_timezone("Sarah") is None
