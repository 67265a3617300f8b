"""Decoding a user's text document: contracts, briefs and a lead's copied messages.

Texts come from Word's "Save as text", Windows Notepad (whose "Unicode" is UTF-16 with a
byte-order mark), old Russian editors (Windows-1251) and, by mistake, from anything else.
A wrong guess is worse than an error: a UTF-16 contract read as cp1251 gave "all 15
clauses missing" in English, and binary junk screened as a lead gave a decision (QA F22,
F23). So a text is decoded by its byte-order mark, else as UTF-8, else as Windows-1251
only when the result reads as Russian text; anything else is an :class:`InputError`
naming the file and the first byte that does not fit.
"""

from __future__ import annotations

import codecs
import re
from typing import Final

from clientguard.errors import InputError, Where

# Longest mark first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# How much of the start is inspected for binary content.
_SNIFF = 4096
# Control characters that ordinary text holds: tab, line feed, vertical tab, form feed
# (PDF-to-text pages), carriage return, and the DOS end-of-file mark.
_TEXT_CONTROLS: Final = frozenset(b"\t\n\x0b\x0c\r\x1a")
# More than this share of other control bytes in the sniffed start means binary data.
_MAX_CONTROL_SHARE = 0.02
# Windows-1251 decodes almost any byte string; the result counts as text only when its
# non-ASCII characters are at least this share Cyrillic letters and Russian punctuation.
_MIN_CYRILLIC_SHARE = 0.8
_RU_PUNCT: Final = frozenset("«»—–№…„“”‘’ ")
# ... and at most this share of its Cyrillic words may also hold Latin letters.
_MAX_MIXED_SHARE = 0.2
_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
_LATIN = re.compile("[a-z]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")


def has_bom(data: bytes) -> bool:
    """Whether ``data`` starts with a Unicode byte-order mark."""
    return any(data.startswith(bom) for bom, _, _ in _BOMS)


def looks_binary(data: bytes) -> bool:
    """Whether the start of ``data`` (without a byte-order mark) is not text at all."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS)
    return bool(head) and controls / len(head) > _MAX_CONTROL_SHARE


def _reads_as_utf16(head: bytes) -> bool:
    """Whether bytes without a mark decode as UTF-16 to mostly letters, digits and spaces."""
    for encoding in ("utf-16-le", "utf-16-be"):
        text = head[: len(head) // 2 * 2].decode(encoding, errors="replace")
        plain = sum(1 for ch in text if ch.isalnum() or ch.isspace() or ch in ".,;:!?-—«»\"'()")
        if text and plain / len(text) >= _MIN_CYRILLIC_SHARE:
            return True
    return False


def _reads_as_russian(text: str) -> bool:
    """Whether a Windows-1251 reading is Russian text, not another 8-bit encoding.

    Latin-1 "Grüße aus München" reads as "Grьяe aus Mьnchen": Cyrillic letters, but
    inside Latin words, which Russian text does not have.
    """
    other = [ch for ch in text if ord(ch) > 127]
    if not other or any(ord(ch) < 0x20 and ch not in "\t\n\x0b\x0c\r\x1a" for ch in text):
        return False
    good = sum(1 for ch in other if _CYRILLIC.match(ch) or ch in _RU_PUNCT)
    if good / len(other) < _MIN_CYRILLIC_SHARE:
        return False
    cyrillic_words = [w for w in _WORD.findall(text) if _CYRILLIC.search(w)]
    mixed = sum(1 for w in cyrillic_words if _LATIN.search(w))
    return bool(cyrillic_words) and mixed <= _MAX_MIXED_SHARE * len(cyrillic_words)


def decode_text(data: bytes, path: str) -> str:
    """The text of a document's bytes, or an :class:`InputError` naming ``path``.

    UTF-8/16/32 with a byte-order mark, UTF-8, or Windows-1251 that reads as Russian.
    """
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"expected {name} text after its byte-order mark, got undecodable bytes",
                    Where(path, f"byte {exc.start + len(bom)}"),
                ) from None
    if looks_binary(data):
        head = data[:_SNIFF]
        bad = next(i for i, b in enumerate(head) if b == 0 or (b < 0x20 and b not in _TEXT_CONTROLS))
        hint = " (UTF-16 without a byte-order mark? save it as UTF-8)" if _reads_as_utf16(head) else ""
        raise InputError(
            f"expected UTF-8 text, got binary data (byte 0x{head[bad]:02x}){hint}", Where(path, f"byte {bad}")
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    legacy = data.decode("cp1251", errors="replace")
    if "\ufffd" not in legacy and _reads_as_russian(legacy):
        return legacy
    raise InputError(
        f"expected UTF-8 text, got byte 0x{data[first_bad]:02x} (save the file as UTF-8)",
        Where(path, f"byte {first_bad}"),
    )


# Shapes of text that is plainly something else. Contracts open with a title or a
# heading, never with a JSON bracket, an HTML tag, mail headers or a run of chat lines.
_CHAT_LINE = re.compile(r"^\s*\[?\d{1,2}[./-]\d{1,2}[./-]\d{2,4},?\s+\d{1,2}:\d{2}")
_MAIL_HEADER = re.compile(
    r"^(?:From \S+ |(?:Received|Return-Path|Delivered-To|Message-ID|MIME-Version|X-[\w-]+):)", re.IGNORECASE
)
_HTML = re.compile(r"^\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
# At least this share of the non-empty lines (and 2 lines) start with a chat time stamp.
_CHAT_SHARE = 0.6


def not_a_contract(text: str) -> str | None:
    """What ``text`` plainly is instead of a contract ("a JSON file …"), or None."""
    head = text.lstrip("\ufeff \t\r\n")
    if head[:1] in ("{", "["):
        import json

        try:
            json.loads(head)
        except ValueError:
            if head[:1] == "{" or head[1:].lstrip()[:1] in ("{", '"'):
                return "JSON (a chat export?), and it is not even complete"
        else:
            return "a JSON file (a chat export?)"
    if _HTML.match(head):
        return "an HTML page (a Telegram HTML export?)"
    if _MAIL_HEADER.match(head):
        return "an e-mail or mailbox"
    lines = [ln for ln in head.splitlines() if ln.strip()][:200]
    chat = sum(1 for ln in lines if _CHAT_LINE.match(ln))
    if chat >= 2 and chat >= _CHAT_SHARE * len(lines):
        return "a chat export (lines start with a date and time)"
    return None
