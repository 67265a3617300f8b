"""``clientguard screen`` through the real entry point: bad files are one error line, rc 1.

QA F12 (a missing or junk ``--contract`` gave rc 0 when the lead proceeded), F23 (binary
junk and UTF-16 screened as a lead with rc 0) and F13 (a Russian lead with an English
brief answered in English).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from suite_helpers import run_main

from clientguard.cli import main

LEAD = Path(__file__).resolve().parents[1] / "presale" / "data" / "leads" / "own-lead-05"  # proceeds




@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("no such contract.pdf", None, "no such contract.pdf: no such file"),
        ("junk.pdf", b"\x00\x01junk", "junk.pdf: not a readable PDF"),
        ("empty.md", b"", "empty.md: the file is empty"),
    ],
)
def test_bad_contract_fails_even_when_the_lead_proceeds(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    name: str, data: bytes | None, says: str,
) -> None:  # fmt: skip
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English error line is asserted below
    contract = tmp_path / name
    if data is not None:
        contract.write_bytes(data)
    args = ["screen", "--messages", str(LEAD / "messages.txt"), "--brief", str(LEAD / "brief.md")]
    code, out, _ = run_main(monkeypatch, capsys, *args, "--json", "--no-detector")
    assert code == 0 and json.loads(out)["recommendation"]["action"] == "proceed"
    code, out, err = run_main(monkeypatch, capsys, *args, "--contract", str(contract), "--no-detector")
    assert code == 1 and out == "" and says in err and err.startswith("error E100:"), err


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x00\x01\x02\xff\xfe junk \x89PNG", "junk.bin:byte 0: expected UTF-8 text, got binary data"),
        (b"", "junk.bin: the file is empty"),
    ],
)
def test_junk_messages_are_no_lead(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    data: bytes, says: str,
) -> None:  # fmt: skip
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English error line is asserted below
    junk = tmp_path / "junk.bin"
    junk.write_bytes(data)
    code, out, err = run_main(monkeypatch, capsys, "screen", "--messages", str(junk), "--no-detector")
    assert code == 1 and out == "" and says in err, err


def test_an_error_with_a_long_path_stays_on_one_line(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """stderr to a file or pipe must not be hard-wrapped at 80 columns: the path would be cut."""
    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "brief with spaces.md"
    deep.parent.mkdir()
    deep.write_bytes(b"")
    monkeypatch.setattr(sys, "argv", ["clientguard", "screen", "--messages", str(deep), "--no-detector"])
    with pytest.raises(SystemExit):
        main()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith("\n") and str(deep) in err, err


def test_utf16_russian_lead_with_english_brief_is_answered_in_russian(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lead = tmp_path / "lead.txt"
    lead.write_bytes(
        "Здравствуйте! Нужен SMM для кофейни.\n\nИ договор не нужен, мы люди честные.\n".encode("utf-16")
    )
    brief = tmp_path / "brief_en.md"
    brief.write_text("# Brief\n\nGoal: more bookings.\nChannels: Instagram, Telegram.\n", encoding="utf-8")
    args = ("screen", "--messages", str(lead), "--brief", str(brief), "--json", "--no-detector")
    code, out, _ = run_main(monkeypatch, capsys, *args)
    data = json.loads(out)
    assert code == 0 and data["reply"].startswith("Здравствуйте")
    assert "contract_avoidance" in {f["signal"] for f in data["red_flags"]}
    assert data["brief"]["goal"]["found"] and data["brief"]["channels"]["found"]
