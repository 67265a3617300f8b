"""English lines with a count of one read "1 person", never "1 people" or "1 messages"
(helper 128, English day).

`clients move-chat` said "1 people who wrote only in it went with it"; the dispute export's
move lines, its contract line and `evidence verify`'s pending line put a bare count before a
plural noun, so one message, one event or one clause read "1 messages", "1 events", "1 clauses".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.report.i18n import fill, t

ONE_PLURAL = re.compile(r"\b1 (?:people|messages|events|clauses|records|entries|conversations|problems)\b")


@pytest.mark.parametrize(
    ("section", "key", "values"),
    [
        ("moves", "out", {"messages": 1, "events": 1}),
        ("moves", "in", {"messages": 1, "events": 1, "other_seq": 1}),
        ("evidence_doc", "contract_file", {"present": 1, "weak": 1, "missing": 1}),
        ("evidence_cli", "pending", {"n": 1}),
    ],
)
def test_a_count_of_one_reads_right(section: str, key: str, values: dict[str, int]) -> None:
    names = set(re.findall(r"\{(\w+)", t(section, key, "en")))
    text = fill(t(section, key, "en"), "en", **({n: "x" for n in names} | values))
    assert "1" in text and not ONE_PLURAL.search(text), text


CHAT = "01/11/2025, 10:05 - Tom: Can you add a flyer for free?\n01/11/2025, 10:07 - Alex: It is extra\n"


def test_move_chat_with_one_person_says_person(tmp_path: Path, tmp_home: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]

    def ok(*args: str) -> str:
        result = CliRunner().invoke(build_app(), ["--lang", "en", *args, *db])
        assert result.exit_code == 0, result.output
        return result.output

    chat = tmp_path / "WhatsApp Chat with Tom.txt"
    chat.write_text(CHAT, encoding="utf-8")
    ok("import", str(chat), "--client", "A", "--me", "Alex")
    ok("invoice", "add", "B", "1", "--issued", "2025-11-01", "--due", "2025-11-02", "--create-client")
    out = ok("clients", "move-chat", "#1", "B")
    assert "1 person who wrote only in it went with it" in out and not ONE_PLURAL.search(out)
