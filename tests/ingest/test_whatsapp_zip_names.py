"""A WhatsApp zip whose member name is not flagged UTF-8 keeps its chat's name (QA pass 6, CLI N10).

Info-ZIP ('zip' on Linux and macOS) writes "WhatsApp Chat with Игорь.txt" as UTF-8 bytes
without the zip's UTF-8 flag, and Windows' compressed folders write the OEM code page
(cp866); Python reads both as cp437. The chat was named "╨ÿ╨│╨╛╤Ç╤î" and stored as a second
conversation beside the same chat imported as .txt, every message twice. The name's bytes
are now decoded as their writer meant them, so the zip and the .txt are one conversation.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from clientguard.ingest.base import ReadContext
from clientguard.ingest.whatsapp import WhatsAppImporter

CHAT = "01.09.2025, 10:05 - Игорь Петров: Пришлите план\n01.09.2025, 10:07 - Анна: Пришлю\n"
MEMBER = "WhatsApp Chat with Игорь.txt"


def _zip(path: Path, name_bytes: bytes | None) -> Path:
    """A zip of the chat whose member name is ``name_bytes`` with the UTF-8 flag unset
    (None: as Python writes it, flagged)."""
    if name_bytes is None:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(MEMBER, CHAT)
        return path
    placeholder = "x" * len(name_bytes)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(placeholder, CHAT)
    data = path.read_bytes()
    assert data.count(placeholder.encode()) == 2  # local header and central directory
    path.write_bytes(data.replace(placeholder.encode(), name_bytes))
    return path


def _key(path: Path) -> tuple[str, str | None]:
    (pc,) = WhatsAppImporter().read(path, ReadContext())
    list(pc.items)
    return pc.conversation.source_key, pc.conversation.title


@pytest.mark.parametrize(
    "name_bytes",
    [None, MEMBER.encode("utf-8"), MEMBER.encode("cp866")],
    ids=["flagged_utf8", "unflagged_utf8_infozip", "unflagged_cp866_windows"],
)
def test_the_zip_and_the_txt_are_one_chat(tmp_path: Path, name_bytes: bytes | None) -> None:
    txt = tmp_path / MEMBER
    txt.write_text(CHAT, encoding="utf-8")
    zipped = _zip(tmp_path / "export.zip", name_bytes)
    assert _key(zipped) == _key(txt) == ("whatsapp:Игорь", "Игорь")


def test_a_latin_name_in_cp437_is_kept(tmp_path: Path) -> None:
    name = "WhatsApp Chat with Zoë.txt"
    zipped = _zip(tmp_path / "export.zip", name.encode("cp437"))
    assert _key(zipped)[1] == "Zoë"
