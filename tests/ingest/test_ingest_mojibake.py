"""Names that are double-encoded UTF-8 (UTF-8 read as Windows-1252 and written back).

QA3 F15: the Telegram export ``langchain-community/telegram.json`` (FORMATS.md lists it as
a pitfall) names its chat and a sender "Grace ðŸ§¤"; the client was stored and shown
everywhere (``clients``, reply drafts, the dashboard) under that garbage. A Russian name
mangled the same way reads "Ð˜Ð³Ð¾Ñ€ÑŒ". Such names are now decoded once more on import;
anything that is not provably mojibake is kept as written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.ingest._common import safe_sender
from clientguard.ingest._text import repair_mojibake


@pytest.mark.parametrize(
    ("seen", "meant"),
    [
        ("Grace ðŸ§¤", "Grace 🧤"),
        ("Grace ðŸ§¤ ðŸ\x8d’", "Grace 🧤 🍒"),  # U+008D: a byte cp1252 leaves undefined
        ("Ð˜Ð³Ð¾Ñ€ÑŒ ÐŸÐµÑ‚Ñ€Ð¾Ð²", "Игорь Петров"),
        (None, "Кофейня «Пенка»"),  # "я" is D1 8F: 8F is one of the undefined bytes
        (None, "Студия йоги «Лотос» 🌸"),
        ("Ã©tÃ©", "été"),
    ],
)
def test_double_encoded_names_are_repaired(seen: str | None, meant: str) -> None:
    seen = seen if seen is not None else _mangle(meant)
    assert repair_mojibake(seen) == meant
    assert safe_sender("user1", seen).name == meant


def _mangle(text: str) -> str:
    """What a lenient Windows-1252 reader makes of UTF-8 (undefined bytes become C1 controls)."""
    return "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in text.encode()
    )


@pytest.mark.parametrize("name", ["Игорь", "Café Ñoño", "Ðóðà", "José Müller", "Ã", "A–B", "Grace 🧤", ""])
def test_real_names_are_left_alone(name: str) -> None:
    assert repair_mojibake(name) == name


def test_the_shared_fixture_imports_under_the_real_name(
    shared_dir: Path, tmp_path: Path, tmp_home: Path
) -> None:
    export = shared_dir / "fixtures" / "formats" / "telegram_json" / "langchain-community" / "telegram.json"
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    r = CliRunner().invoke(build_app(), ["import", str(export), "--db", db])
    assert r.exit_code == 0, r.output
    listed = json.loads(CliRunner().invoke(build_app(), ["clients", "--json", "--db", db]).stdout)
    names = {c["name"] for c in listed}
    assert not any("ð" in n for n in names), names
    shown = CliRunner().invoke(build_app(), ["messages", "Grace 🧤", "--db", db, "--lang", "en"])
    assert shown.exit_code == 0 and "Grace 🧤 🍒" in shown.stdout, shown.output
