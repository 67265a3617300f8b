"""The specialist the report names is the one the import saves: the most active non-client."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clientguard.analysis.model import AnalyzedMessage
from clientguard.domain import Role
from clientguard.report.i18n import specialist_name

SHARED = Path(os.environ.get("CLIENTGUARD_SHARED", Path(__file__).resolve().parents[3] / "shared"))
POKEMON = SHARED / "fixtures" / "formats" / "whatsapp_txt" / "whatstk" / "pokemon.txt"


def _m(i: int, who: str, role: Role) -> AnalyzedMessage:
    return AnalyzedMessage(str(i), who, who, role, None, "ok")


def test_most_messages_win_over_first_writer() -> None:
    msgs = [_m(0, "Ash", Role.CLIENT), _m(1, "Brock", Role.SPECIALIST)]
    msgs += [_m(i, "Misty", Role.SPECIALIST) for i in range(2, 5)]
    assert specialist_name(msgs) == "Misty"


def test_tie_goes_to_the_first_writer_and_no_specialist_is_none() -> None:
    msgs = [_m(1, "Brock", Role.SPECIALIST), _m(2, "Misty", Role.SPECIALIST), _m(3, "Ash", Role.CLIENT)]
    assert specialist_name(msgs) == "Brock"
    assert specialist_name([_m(1, "Ash", Role.CLIENT)]) is None


@pytest.mark.skipif(not POKEMON.is_file(), reason="needs ../shared/fixtures/formats (CLIENTGUARD_SHARED)")
def test_analyze_names_the_saved_guess(tmp_path: Path) -> None:
    env = {**os.environ, "CLIENTGUARD_DB": f"sqlite:///{tmp_path / 'db.sqlite'}", "LANG": "C.UTF-8"}
    out = subprocess.run([sys.executable, "-m", "clientguard", "analyze", str(POKEMON)], env=env,
                         capture_output=True, text=True, check=True).stdout
    flat = " ".join(out.split())
    assert "автоматически: «Misty»" in flat
    assert "Сохранено как вы: «Misty»" in flat
