"""A folder's file that is named like an export but that no importer reads is said.

``import FOLDER`` skipped every file no importer recognised without a word (media and css
sit next to exports), so a chat whose .txt it could not read was simply missing from the
import. A file with an export's suffix (.txt, .json, .csv, …) is named in a notice now;
media, documents and web assets stay silent.
"""

from __future__ import annotations

from pathlib import Path

from clientguard.ingest import read_path
from clientguard.ingest.base import ReadContext
from clientguard.ingest.notices import NoticeCode

CHAT = "01.09.2025, 10:05 - Игорь: Добрый день\n01.09.2025, 10:07 - Анна: Здравствуйте\n"


def test_an_unread_export_like_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "WhatsApp Chat with Игорь.txt").write_text(CHAT, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("Просто заметки о клиенте, не чат.\n", encoding="utf-8")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "export.csv").write_text("a;b\n", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0junk")
    (tmp_path / "style.css").write_text("body{}", encoding="utf-8")
    ctx = ReadContext()
    conversations = list(read_path(tmp_path, ctx))
    assert len(conversations) == 1
    named = sorted((n.params["name"], n.file) for n in ctx.notices if n.code is NoticeCode.FILE_NOT_READ)
    assert named == [
        ("notes.txt", str(tmp_path / "notes.txt")),
        ("old/export.csv", str(tmp_path / "old" / "export.csv")),
    ]
    texts = {n.text("ru") for n in ctx.notices if n.code is NoticeCode.FILE_NOT_READ}
    assert texts == {"не прочитан: ни один формат выгрузки не подошёл к его содержимому (форматы: "
                     "clientguard import --help)."}  # fmt: skip
