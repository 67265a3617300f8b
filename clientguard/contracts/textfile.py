"""Decoding a user's text document: contracts, briefs and a lead's copied messages.

Texts come from Word's "Save as text", Windows Notepad (whose "Unicode" is UTF-16 with a
byte-order mark), old Russian editors (Windows-1251) and, by mistake, from anything else.
A wrong guess is worse than an error: a UTF-16 contract read as cp1251 gave "all 15
clauses missing" in English, and binary junk screened as a lead gave a decision (QA F22,
F23). So binary data is refused, and a text is decoded as the importers decide
(:func:`clientguard.ingest.sniff_encoding`: its byte-order mark, else UTF-8, else
Windows-1251/KOI8-R only when the letters prove Russian); anything else is an
:class:`InputError` naming the file and the first byte that does not fit.
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import Final, Literal

from clientguard.errors import InputError, Msg, Where, msg, os_reason

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
# Bytes without a mark read as UTF-16 when at least this share of the result is letters,
# digits, spaces and ordinary punctuation (for the "save it as UTF-8" hint).
_MIN_PLAIN_SHARE = 0.8


def path_kind(path: Path) -> Literal["dir", "file", ""]:
    """What a document's path names: a folder, a file, or nothing ("").

    ``Path.is_dir`` and ``is_file`` raise instead of answering when the system cannot even
    look (a name longer than the file system allows): that was a traceback from ``contract
    check`` and ``screen``; it is an :class:`InputError` naming the path and the system's
    reason, as for a file that cannot be read.
    """
    try:
        return "dir" if path.is_dir() else "file" if path.is_file() else ""
    except OSError as exc:
        raise InputError(msg("reader.cannot_read", reason=os_reason(exc)), Where(str(path))) from None


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
        if text and plain / len(text) >= _MIN_PLAIN_SHARE:
            return True
    return False


def decode_text(data: bytes, path: str) -> str:
    """The text of a document's bytes, or an :class:`InputError` naming ``path``.

    Binary data is refused first (with a hint when it is UTF-16 without a mark); then the
    importers' decision applies (:func:`clientguard.ingest.sniff_encoding`: a byte-order
    mark, UTF-8, or Windows-1251/KOI8-R when the letters prove Russian). A document is read
    whole, so the one run of stray bytes an import would report as a broken line is an
    error here.
    """
    from clientguard.ingest import sniff_encoding

    if not has_bom(data) and looks_binary(data):
        head = data[:_SNIFF]
        bad = next(i for i, b in enumerate(head) if b == 0 or (b < 0x20 and b not in _TEXT_CONTROLS))
        hint = msg("reader.utf16_hint") if _reads_as_utf16(head) else ""
        raise InputError(msg("reader.binary", byte=head[bad], hint=hint), Where(path, f"byte {bad}"))
    enc = sniff_encoding(io.BytesIO(data), path)
    try:
        return data.decode(enc.codec)
    except UnicodeDecodeError as exc:  # UTF-8 but for a few stray runs
        said = msg("reader.not_utf8", byte=data[exc.start])
        raise InputError(said, Where(path, f"byte {exc.start}")) from None


# Shapes of text that is plainly something else. Contracts open with a title or a
# heading, never with a JSON bracket, an HTML tag, mail headers or a run of chat lines.
_CHAT_LINE = re.compile(r"^\s*\[?\d{1,2}[./-]\d{1,2}[./-]\d{2,4},?\s+\d{1,2}:\d{2}")
_MAIL_HEADER = re.compile(
    r"^(?:From \S+ |(?:Received|Return-Path|Delivered-To|Message-ID|MIME-Version|X-[\w-]+):)", re.IGNORECASE
)
_HTML = re.compile(r"^\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
# At least this share of the non-empty lines (and 2 lines) start with a chat time stamp.
_CHAT_SHARE = 0.6


def not_a_contract(text: str) -> Msg | None:
    """What ``text`` plainly is instead of a contract ("a JSON file …"), or None.

    A message, not a sentence: the error that names it is worded in the interface language.
    """
    head = text.lstrip("\ufeff \t\r\n")
    if head[:1] in ("{", "["):
        import json

        try:
            json.loads(head)
        except ValueError:
            if head[:1] == "{" or head[1:].lstrip()[:1] in ("{", '"'):
                return msg("reader.json_cut")
        else:
            return msg("reader.json")
    if _HTML.match(head):
        return msg("reader.html")
    if _MAIL_HEADER.match(head):
        return msg("reader.mail")
    lines = [ln for ln in head.splitlines() if ln.strip()][:200]
    chat = sum(1 for ln in lines if _CHAT_LINE.match(ln))
    if chat >= 2 and chat >= _CHAT_SHARE * len(lines):
        return msg("reader.chat")
    return None
