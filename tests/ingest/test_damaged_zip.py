"""A zip cut off part-way is called damaged, not "a zip without a WhatsApp chat".

Half of a WhatsApp .zip (a download or a copy that stopped) starts as a zip but has no
table of contents; ``import`` said it was a zip without a WhatsApp chat in it, so the user
looked for the chat instead of copying the file again.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from clientguard.errors import UnknownFormatError
from clientguard.ingest import detect

CHAT = "01.09.2025, 10:05 - Игорь: Добрый день\n01.09.2025, 10:07 - Анна: Здравствуйте\n" * 50


def test_half_a_whatsapp_zip_is_named_damaged(tmp_path: Path) -> None:
    whole = tmp_path / "WhatsApp Chat with Игорь.zip"
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("WhatsApp Chat with Игорь.txt", CHAT)
    assert detect(whole).name == "whatsapp"
    half = tmp_path / "half.zip"
    data = whole.read_bytes()
    half.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnknownFormatError, match="damaged or cut-off zip") as caught:
        detect(half)
    assert "without a WhatsApp chat" not in str(caught.value)


def test_a_whole_zip_without_a_chat_is_still_said_so(tmp_path: Path) -> None:
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("IMG-1.jpg", b"\xff\xd8")
    with pytest.raises(UnknownFormatError, match="without a WhatsApp chat"):
        detect(other)
