"""Importers: turn chat and mail exports into domain objects, format told by content.

``read_path`` is the one entry point the store uses; ``detect`` picks the importer by
sniffing the first bytes (and, for zips, the member names), never by file name, because
users rename exports freely. A directory is read as the set of files it contains.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from pathlib import Path

from clientguard.errors import InputError, Msg, NotFoundError, UnknownFormatError, Where, msg, os_reason
from clientguard.ingest._common import HEAD_SIZE
from clientguard.ingest._text import sniff_encoding, sniff_head, strip_controls
from clientguard.ingest.base import Importer, ParsedConversation, ReadContext, SkippedRecord
from clientguard.ingest.notices import NoticeCode

__all__ = [
    "IMPORTERS",
    "Importer",
    "ParsedConversation",
    "ReadContext",
    "SkippedRecord",
    "detect",
    "importers",
    "read_path",
    "sniff_encoding",
]


@functools.cache
def importers() -> list[Importer]:
    """The importers in the order ``detect`` tries them, imported on first use.

    Order matters: the first importer whose sniff() accepts the head wins; the most
    specific signatures come first, the loose ones (CSV) last. Built here, not at import:
    every module of the store imports ``clientguard.ingest.base`` (the import contract),
    which runs this package's ``__init__``; with the importers at module level each
    ``clients`` or ``invoice list`` loaded the mail parser, lxml and the WhatsApp date
    grammar (~30 ms) to read nothing.
    """
    from clientguard.ingest.mail import MailImporter
    from clientguard.ingest.slack import SlackImporter
    from clientguard.ingest.tabular import TabularImporter
    from clientguard.ingest.telegram_html import TelegramHtmlImporter
    from clientguard.ingest.telegram_json import TelegramJsonImporter
    from clientguard.ingest.whatsapp import WhatsAppImporter

    return [
        TelegramJsonImporter(),
        TelegramHtmlImporter(),
        SlackImporter(),
        WhatsAppImporter(),
        MailImporter(),
        TabularImporter(),
    ]


def __getattr__(name: str) -> list[Importer]:
    """``IMPORTERS``, the registry's old module-level name, built by :func:`importers`."""
    if name == "IMPORTERS":
        return importers()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _head(path: Path) -> bytes:
    """The first bytes of ``path``, as UTF-8 when the file is UTF-16/32 (Notepad's "Unicode")."""
    try:
        with path.open("rb") as fh:
            return sniff_head(fh.read(HEAD_SIZE))
    except OSError as exc:  # missing, a directory, no permission: the user's to fix
        raise InputError(msg("ingest.cannot_read", reason=os_reason(exc)), Where(str(path))) from None


def detect(path: Path) -> Importer:
    """The importer for ``path``, chosen by content; :class:`UnknownFormatError` otherwise."""
    path = Path(path)
    head = _head(path)
    for importer in importers():
        if importer.sniff(path, head):
            return importer
    what = _damaged_zip(path, head) or _unsupported(head)
    tail = msg("ingest.what", what=what) if what else ""
    raise UnknownFormatError(msg("ingest.unknown_format", what=tail), Where(str(path)))


def _damaged_zip(path: Path, head: bytes) -> Msg | None:
    """What to say of a zip that starts as one but cannot be opened (cut off while copied).

    Half a WhatsApp .zip was called "a zip (or .docx) without a WhatsApp chat in it", so
    the user looked for the chat in a file that only needed copying again.
    """
    import zipfile

    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(path):
            return None
    except (zipfile.BadZipFile, OSError):
        return msg("ingest.damaged_zip")


#: Known files no importer reads, by their first bytes (data, not code).
UNSUPPORTED_FILE = Path(__file__).with_name("data") / "unsupported.yaml"


def _unsupported(head: bytes) -> Msg | None:
    """What a known unsupported file is and what to do instead (``data/unsupported.yaml``,
    ``what`` in English and ``what_ru`` in Russian)."""
    import yaml

    table = yaml.safe_load(UNSUPPORTED_FILE.read_text(encoding="utf-8"))
    for row in table:
        if head.startswith(bytes.fromhex(str(row["magic"]))):
            return msg("ingest.unsupported", what={"en": str(row["what"]), "ru": str(row["what_ru"])})
    return None


def read_path(path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
    """Stream the conversations of a file (or of every file under a directory)."""
    path = Path(path)
    if path.is_dir():
        yield from _read_dir(path, ctx)
        return
    importer = detect(path)
    try:
        for parsed in importer.read(path, ctx):
            yield _safe(parsed)
    except OSError as exc:  # vanished or unreadable while reading
        raise InputError(msg("ingest.cannot_read", reason=os_reason(exc)), Where(str(path))) from None


#: Suffixes of the files the importers read. In a folder, a file with one of them that no
#: importer recognises is named in a notice: ``import FOLDER`` had left out a chat whose
#: export it could not read (an unusual WhatsApp date line, a cut CSV header) without a
#: word. Documents and media are not named: exports carry them as attachments.
EXPORT_SUFFIXES = frozenset({".txt", ".json", ".jsonl", ".csv", ".eml", ".mbox"})


def _read_dir(path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
    """Every export under ``path``; a folder without any is an error, not an empty import.

    Why an error: ``import FOLDER --client X`` on the wrong folder would otherwise
    "succeed" with 0 conversations (and the store would create an empty client X).
    """
    done: set[Path] = set()
    files = sorted(p for p in path.rglob("*") if p.is_file())
    found = False
    for child in files:
        if child in done:
            continue
        try:
            importer = detect(child)
        except UnknownFormatError:
            # media, css and the like sit next to exports; a file named like one is said
            if child.suffix.lower() in EXPORT_SUFFIXES:
                ctx.notice(child, "", NoticeCode.FILE_NOT_READ, name=str(child.relative_to(path)))
            continue
        found = True
        # multi-file formats (Telegram HTML parts) read their siblings: skip those later
        claimed = getattr(importer, "parts", None)
        if callable(claimed):
            done.update(claimed(child))
        for parsed in importer.read(child, ctx):
            yield _safe(parsed)
    if not found:
        why = msg("ingest.none_of_files", count=len(files)) if files else msg("ingest.empty_folder")
        raise NotFoundError(msg("ingest.no_export", path=path, why=why))


def _safe(parsed: ParsedConversation) -> ParsedConversation:
    """The conversation's title and key without terminal control sequences (they are printed).

    Message and event fields are cleaned where the importers build them (the hot path).
    """
    conv = parsed.conversation
    title = strip_controls(conv.title) if conv.title is not None else None
    key = strip_controls(conv.source_key)
    if title != conv.title or key != conv.source_key:
        parsed.conversation = dataclasses.replace(conv, title=title, source_key=key)
    return parsed

