"""The lead's messages file is text or an error naming it (QA F23).

Binary junk and a UTF-16 file were read as Windows-1251 "messages" and screened: an
English ``pilot_first`` with exit code 0. An empty file is no lead either.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.errors import InputError, MalformedRecordError
from clientguard.presale.inputs import read_brief, read_messages

LEAD = "Здравствуйте! Нужен SMM для кофейни.\n\nБюджет 40 000 руб. в месяц, старт в марте.\n"
TEXTS = ["Здравствуйте! Нужен SMM для кофейни.", "Бюджет 40 000 руб. в месяц, старт в марте."]


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("junk.bin", b"\x00\x01\x02\xff\xfe junk \x89PNG", "expected UTF-8 text, got binary data"),
        ("junk.txt", b"\x00\x01\x02\xff\xfe junk \x89PNG", "expected UTF-8 text, got binary data"),
        ("latin1.txt", "Grüße aus München, wir brauchen SMM".encode("latin-1"),
         "expected UTF-8 text, got byte 0xfc"),
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n \r\n", "the file is empty"),
        ("empty.json", b"", "the file is empty"),
    ],
)  # fmt: skip
def test_what_is_no_text_is_refused_by_name(tmp_path: Path, name: str, data: bytes, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=says) as exc:
        read_messages(path)
    assert name in str(exc.value) and str(exc.value).startswith("E100: ")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_messages(tmp_path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1251"])
def test_unicode_and_russian_legacy_text_read_alike(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "lead.txt"
    data = LEAD.encode(encoding)
    if encoding == "utf-16-be":
        data = ("\ufeff" + LEAD).encode(encoding)
    path.write_bytes(data)
    msgs = read_messages(path)
    assert [m.text for m in msgs] == TEXTS


def test_a_utf16_brief_reads_and_a_binary_one_is_refused(tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    brief.write_bytes("# Бриф\n\nЦель: больше записей.\n".encode("utf-16"))
    assert read_brief(brief) == "# Бриф\n\nЦель: больше записей.\n"
    brief.write_bytes(b"\x00\x01\x02junk")
    with pytest.raises(InputError, match="expected UTF-8 text"):
        read_brief(brief)


def test_an_impossible_time_prefix_names_the_message(tmp_path: Path) -> None:
    """``2025-02-30 23:40 | …`` has the prefix's shape but is no time: E102 with the
    message's number, not a ValueError traceback."""
    lead = tmp_path / "lead.txt"
    lead.write_text("2025-02-28 10:00 | Здравствуйте\n\n2025-02-30 23:40 | Нужен SMM\n", encoding="utf-8")
    with pytest.raises(MalformedRecordError) as err:
        read_messages(lead)
    assert str(err.value).startswith(f"E102: {lead}:message 2: the time prefix «2025-02-30 23:40»")
