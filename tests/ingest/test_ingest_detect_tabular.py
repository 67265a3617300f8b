"""Format detection by content, directory reading, and the CSV/JSONL importer."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clientguard.domain import Message
from clientguard.errors import MalformedRecordError, UnknownFormatError
from clientguard.ingest import ReadContext, detect, read_path

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


@pytest.mark.parametrize(
    ("name", "importer"),
    [
        ("telegram_entities.json", "telegram_json"),
        ("telegram_full.json", "telegram_json"),
        ("tg_html/messages2.html", "telegram_html"),
        ("whatsapp_12h_ambiguous.txt", "whatsapp"),
        ("mail_cp1251.eml", "email"),
        ("mailbox.mbox", "email"),
        ("chat.csv", "tabular"),
        ("chat.jsonl", "tabular"),
    ],
)
def test_detect_by_content_not_name(tmp_path: Path, name: str, importer: str) -> None:
    renamed = tmp_path / "export.dat"  # the name says nothing
    shutil.copy(FIX / name, renamed)
    assert detect(renamed).name == importer


@pytest.mark.parametrize("name", ["garbage.bin", "notes.txt"])
def test_unknown_content_names_the_file(name: str) -> None:
    with pytest.raises(UnknownFormatError) as err:
        detect(FIX / name)
    assert err.value.code == "E101" and name in str(err.value)
    with pytest.raises(UnknownFormatError):
        list(read_path(FIX / name, ReadContext()))


def test_directory_reads_every_export_once() -> None:
    convs = list(read_path(FIX, ReadContext(skip_bad=True)))
    keys = [pc.conversation.source_key for pc in convs]
    assert keys.count("telegram_html:Мария Клиентова") == 1  # two HTML parts, one conversation
    assert "whatsapp:Мария Клиентова" in keys and "telegram:9001" in keys


def test_csv_rows_and_bad_lines() -> None:
    path = FIX / "chat.csv"
    with pytest.raises(MalformedRecordError) as err:
        [i for pc in read_path(path, ReadContext()) for i in pc.items]
    assert f"{path}:line 4" in str(err.value)
    ctx = ReadContext(skip_bad=True)
    items = [i for pc in read_path(path, ctx) for i in pc.items]
    assert all(isinstance(i, Message) for i in items)
    assert [i.source_id for i in items] == ["1", "2", "5"]
    second, third = items[1], items[2]
    assert isinstance(second, Message) and second.reply_to == "1"
    assert second.timestamp == datetime.fromtimestamp(1710237600, UTC)
    assert isinstance(third, Message) and third.text == "многострочный\nтекст"
    assert third.timestamp == datetime(2024, 3, 12, 13, 0, tzinfo=UTC)
    assert items[0].timestamp == datetime(2024, 3, 12, 7, 0, tzinfo=UTC)  # naive → Moscow
    assert [(s.where, s.error) for s in ctx.skipped] == [
        ("line 4", "timestamp: expected ISO 8601 or unix seconds, got 'yesterday'"),
        ("line 5", "6 cells, header has 5"),
    ]


def test_jsonl_rows_and_bad_lines() -> None:
    ctx = ReadContext(skip_bad=True)
    items = [i for pc in read_path(FIX / "chat.jsonl", ctx) for i in pc.items]
    assert [getattr(i, "text", None) for i in items] == ["первое", "второе"]
    assert items[1].source_id == "x2" and getattr(items[1], "reply_to", None) == "x1"
    assert [s.where for s in ctx.skipped] == ["line 3", "line 4", "line 6"]


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    from clientguard.errors import InputError

    with pytest.raises(InputError) as err:
        list(read_path(tmp_path / "nope.json", ReadContext()))
    assert "nope.json" in str(err.value) and err.value.code == "E100"


def test_empty_file_is_unknown(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(UnknownFormatError):
        detect(empty)
