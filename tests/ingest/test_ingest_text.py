"""Bytes → safe text (``ingest/_text.py``): encoding detection and terminal control stripping.

QA F1/F22: a cp1251 or UTF-16 export was stored as U+FFFD or "not recognised"; F29: OSC
and other control sequences reached the terminal. One line per case.
"""

from __future__ import annotations

import io

import pytest

from clientguard.errors import InputError
from clientguard.ingest import _text
from clientguard.ingest._text import open_utf8, sniff_encoding, sniff_head, strip_controls, undecodable

RU = "12.09.2025, 10:00 - Иван Петров: Оплатим на следующей неделе, ок?\n12.09.2025, 10:05 - Ольга: Хорошо\n"
TYPO = "12.09.2025, 10:00 - Иван: Счёт №5 «за сентябрь» — оплатим\n"  # Windows-1251 has these, KOI8-R not
EN = "12/09/2025, 10:00 - Ivan: We will pay next week\n"


@pytest.mark.parametrize(
    ("data", "codec", "guessed", "undecodable_runs"),
    [
        (RU.encode("utf-8"), "utf-8", False, 0),
        (RU.encode("utf-8-sig"), "utf-8-sig", False, 0),
        (RU.encode("utf-16"), "utf-16", False, 0),  # Windows Notepad "Unicode" (LE + BOM)
        (b"\xfe\xff" + RU.encode("utf-16-be"), "utf-16", False, 0),
        (RU.encode("utf-32"), "utf-32", False, 0),
        (RU.encode("cp1251"), "cp1251", True, 0),
        (TYPO.encode("cp1251"), "cp1251", True, 0),
        (RU.encode("koi8_r"), "koi8_r", True, 0),
        ("Привет, как дела?\n".encode("cp1251"), "cp1251", True, 0),  # short, mixed case
        (EN.encode("ascii"), "utf-8", False, 0),
        # UTF-8 text with one junk line: the file is UTF-8, the line is reported by the importer
        (RU.encode() + b"\xff\xfe\xfa junk\n" + RU.encode(), "utf-8", False, 1),
        (EN.encode() + b"\x00\xff\x01\n" + EN.encode(), "utf-8", False, 1),  # NUL: not a code page
        (EN.encode() + b"\xff\xfe\xfd\n", "utf-8", False, 1),  # "яюэ" is not Russian text
    ],
)
def test_sniff_encoding(data: bytes, codec: str, guessed: bool, undecodable_runs: int) -> None:
    enc = sniff_encoding(io.BytesIO(data), "chat.txt")
    assert (enc.codec, enc.guessed, enc.undecodable) == (codec, guessed, undecodable_runs)
    if not undecodable_runs:
        assert data.decode(enc.codec) in (RU, TYPO, EN, "Привет, как дела?\n")


@pytest.mark.parametrize(
    ("data", "where", "needle"),
    [
        # Latin-1 French: not UTF-8, and not Russian in either Cyrillic code page
        (b"ok\n" + "café déjà vu, crème brûlée, naïve été\n".encode("latin-1"),
         "line 2", "byte 0xE9 at column 4 (byte offset 6) is not UTF-8"),
        (RU.encode("utf-16")[:-1], "byte 200", "not valid UTF-16 text"),  # odd length: cut in a character
        (b"\xef\xbb\xbf" + RU.encode("cp1251"), "byte 23", "not valid UTF-8 text"),  # the BOM lies
    ],
)
def test_undecodable_files_are_an_error_naming_the_place(data: bytes, where: str, needle: str) -> None:
    with pytest.raises(InputError) as err:
        sniff_encoding(io.BytesIO(data), "chat.txt")
    assert err.value.code == "E100" and err.value.where.where == where
    assert needle in err.value.message


def test_offsets_are_exact_across_chunk_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A multibyte character split by the chunk size is not an error; a real one is placed."""
    monkeypatch.setattr(_text, "_CHUNK", 7)
    assert sniff_encoding(io.BytesIO(("ё" * 50).encode()), "f").codec == "utf-8"
    assert sniff_encoding(io.BytesIO(("ё" * 20 + "\n").encode() * 3 + b"\xe9\n"), "f").undecodable == 1
    bad = b"ab" * 10 + b"\n" + b"x\xe9 \xe9 \xe9 \xe9\n"
    with pytest.raises(InputError) as err:
        sniff_encoding(io.BytesIO(bad), "f")
    assert err.value.where.where == "line 2" and "column 2 (byte offset 22)" in err.value.message


def test_sniff_head_transcodes_utf16_for_the_sniffers() -> None:
    head = RU.encode("utf-16")[:101]  # odd: the last character is cut
    assert sniff_head(head).startswith(b"12.09.2025, 10:00 - ")
    assert sniff_head(RU.encode()) == RU.encode()


def test_open_utf8_streams_utf16_as_utf8_and_leaves_utf8_alone() -> None:
    assert open_utf8(io.BytesIO(RU.encode("utf-16")), "f").read() == RU.encode()
    assert open_utf8(io.BytesIO(RU.encode("utf-8-sig")), "f").read() == RU.encode()
    plain = io.BytesIO(RU.encode())
    assert open_utf8(plain, "f") is plain


def test_undecodable_names_the_byte_and_column() -> None:
    line = b"abc\xff".decode("utf-8", "surrogateescape")
    assert undecodable(line) == "not UTF-8 text: byte 0xFF at column 4"
    assert undecodable("чисто") is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Привет \x1b]0;pwned\x07!", "Привет !"),  # OSC 0: window title, BEL-terminated
        ("a\x1b]52;c;ZXZpbA==\x1b\\b", "ab"),  # OSC 52: clipboard write, ST-terminated
        ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),  # OSC 8 hyperlink
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),  # DCS (sixel)
        ("a\x1b_payload\x1b\\b\x1bXsos\x9cc\x1b^pm\x07d", "abcd"),  # APC, SOS, PM
        ("\x1b[31mred\x1b[0m \x1b[2J\x1b[1;1H", "red "),  # CSI colours, erase, cursor
        ("a\x9b31mb\x9d0;title\x9cc\x90dcs\x9cd", "abcd"),  # C1 CSI, OSC, DCS, ST
        ("a\x1bcb\x1b7c\x1b(Bd", "abcd"),  # ESC c (reset), DECSC, charset
        ("a\x1b]0;never terminated", "a0;never terminated"),  # opener removed, text harmless
        ("a\x00b\x07c\x08d\x7fe\x85f\x1b", "abcdef"),  # raw C0, DEL, C1 (NEL), lone ESC
        ("line 1\r\nline 2\rline 3", "line 1\nline 2\nline 3"),  # CR cannot overwrite a line
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("Grace ðŸ§¤ ðŸ\x8d’", "Grace ðŸ§¤ ðŸ’"),
        ("«ёлка» — №5 🎄 \u200b", "«ёлка» — №5 🎄 \u200b"),  # printable Unicode untouched
    ],
)
def test_strip_controls(raw: str, clean: str) -> None:
    assert strip_controls(raw) == clean


def test_strip_controls_returns_clean_text_itself() -> None:
    text = "обычное сообщение"
    assert strip_controls(text) is text
