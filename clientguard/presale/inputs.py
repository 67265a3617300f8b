"""Reading a lead's files: the brief (.md/.txt/.docx/.pdf) and the first messages.

Briefs arrive in whatever the client had at hand; we only need their text, line by line,
so each format gets a small reader here rather than the contract checker's heavier
layout handling. A PDF without a text layer (a scan) is reported by name, because
guessing from nothing would make every brief part look missing.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from clientguard.errors import InputError, UnknownFormatError, Where, msg, os_reason
from clientguard.presale.model import LeadMessage
from clientguard.presale.text import all_prefixed, parse_messages
from clientguard.reasons import told

BRIEF_SUFFIXES = (".md", ".markdown", ".txt", ".docx", ".pdf")
# Fewer letters than this on all PDF pages together means there is no usable text layer.
MIN_PDF_LETTERS = 20
# Presale is about first contacts: from a long chat export only the lead's first messages
# are read (this also keeps a screening under a second).
MAX_EXPORT_MESSAGES = 30


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(msg("reader.cannot_read", reason=os_reason(exc)), Where(str(path))) from None


def _read_text(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or Russian Windows-1251 text.

    Binary junk and other encodings are an error naming the file: read as cp1251 they
    became a "lead" that got a decision (QA F23).
    """
    from clientguard.contracts.textfile import decode_text

    return decode_text(_read_bytes(path), str(path))


def _read_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(msg("presale.bad_docx", error=told(exc, "docx")), Where(str(path))) from exc
    from docx.table import Table

    lines: list[str] = []
    # Document order matters: a table under "## Бюджет" belongs to that section.
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells if c.text.strip()]
                if len(cells) == 2:
                    lines.append(f"{cells[0]}: {cells[1]}")
                elif cells:
                    lines.append(" | ".join(cells))
            continue
        text = block.text.strip()
        if text:
            lines.append(_docx_line(text, (block.style.name if block.style is not None else "") or "", block))
    return "\n".join(lines)


def _docx_line(text: str, style: str, para: Any) -> str:
    """A Word paragraph as a markdown line: headings (also short all-bold lines) get ``#``."""
    low = style.lower()
    if low in ("title", "название", "заголовок"):
        return "# " + text
    if low.startswith(("heading", "заголовок")):
        level = style.split()[-1]
        return "#" * (int(level) + 1 if level.isdigit() else 2) + " " + text
    runs = [r for r in para.runs if r.text.strip()]
    if runs and all(r.bold for r in runs) and len(text) <= 60 and text[-1] not in ".!?;":
        return "## " + text.rstrip(":")
    if "list" in low or "спис" in low:
        return "- " + text
    return text


def _read_pdf(path: Path, what: str = "brief") -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs recoverable damage on stderr; we report what matters ourselves.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise InputError(msg("presale.pdf_password"), Where(str(path)))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, OSError) as exc:
        raise InputError(msg("presale.bad_pdf", error=told(exc, "pdf")), Where(str(path))) from exc
    text = unwrap("\n".join(pages))
    if sum(ch.isalpha() for ch in text) < MIN_PDF_LETTERS:
        export = msg("presale.export_messages") if what == "messages" else msg("presale.export_brief")
        raise InputError(msg("presale.pdf_no_text", what=export), Where(str(path)))
    return text


_WRAPPED = re.compile(r"(?<=[^\s.!?:;])\n(?=[a-zа-яё(«\"])")


def unwrap(text: str) -> str:
    """Join lines a PDF wrapped mid-sentence: the next line starts in lower case."""
    return _WRAPPED.sub(" ", text)


def read_brief(path: str | Path) -> str:
    """The text of a brief file; markdown headings are kept (``#``), Word headings become them."""
    from clientguard.contracts.textfile import path_kind

    p = Path(path)
    if path_kind(p) != "file":
        raise InputError(msg("presale.no_brief"), Where(str(p)))
    suffix = p.suffix.lower()
    if suffix == ".docx":
        return _read_docx(p)
    if suffix == ".pdf":
        return _read_pdf(p)
    if suffix in (".md", ".markdown", ".txt", ""):
        return _read_text(p)
    said = msg("presale.brief_suffix", suffixes=", ".join(BRIEF_SUFFIXES), suffix=suffix)
    raise InputError(said, Where(str(p)))


def read_messages(path: str | Path) -> list[LeadMessage]:
    """The lead's messages: our plain-text format, or any chat export the importers read.

    From a chat export only the first conversation is read, and in it the first
    ``MAX_EXPORT_MESSAGES`` messages of the first writer: at presale the lead writes first.
    """
    from clientguard.contracts.textfile import path_kind

    p = Path(path)
    kind = path_kind(p)
    if kind == "dir":
        raise InputError(msg("presale.messages_directory"), Where(str(p)))
    if kind != "file":
        raise InputError(msg("presale.no_messages"), Where(str(p)))
    if not _read_bytes(p).strip():
        raise InputError(msg("presale.messages_empty"), Where(str(p)))
    if p.suffix.lower() in (".docx", ".pdf"):
        # The lead's first message pasted into Word or saved as a PDF, like the brief
        # beside it (QA6 CLI N9: 'expected UTF-8 text, got binary data (byte 0x03)').
        doc = _read_docx(p) if p.suffix.lower() == ".docx" else _read_pdf(p, "messages")
        msgs = parse_messages(doc, str(p))
        if not msgs:
            raise InputError(msg("presale.messages_no_text"), Where(str(p)))
        return msgs
    text = _read_text(p) if p.suffix.lower() in (".txt", ".md", "") else None
    if text is not None and all_prefixed(text):
        return parse_messages(text, str(p))
    exported = _from_export(p)
    if exported is not None:
        return exported
    if text is None:
        text = _read_text(p)
    msgs = parse_messages(text, str(p))
    if not msgs:
        raise InputError(msg("presale.messages_empty"), Where(str(p)))
    return msgs


def _from_export(path: Path) -> list[LeadMessage] | None:
    """Messages through ``clientguard.ingest.read_path`` when the importers know the file."""
    try:
        from clientguard import ingest
        from clientguard.ingest.base import ReadContext
    except ImportError:
        return None
    read_path = getattr(ingest, "read_path", None)
    if read_path is None:
        return None
    from zoneinfo import ZoneInfo

    from clientguard import config
    from clientguard.domain import Message

    try:
        out: list[LeadMessage] = []
        lead: str | None = None
        for conv in read_path(path, ReadContext(skip_bad=True)):
            for item in conv.items:
                if not isinstance(item, Message) or not item.text.strip():
                    continue
                lead = lead or item.sender.source_id
                if item.sender.source_id != lead:
                    continue
                ts = item.timestamp
                if ts is not None and ts.tzinfo is not None:
                    # Night contacts are judged in local time (CLIENTGUARD_TZ).
                    ts = ts.astimezone(ZoneInfo(config.get("tz"))).replace(tzinfo=None)
                out.append(LeadMessage(item.text.strip(), ts))
                if len(out) >= MAX_EXPORT_MESSAGES:
                    break
            if out:  # the first conversation with messages is the lead's
                break
    except UnknownFormatError:
        return None
    return out or None
