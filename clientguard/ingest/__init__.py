"""Importers: turn chat and mail exports into domain objects, format told by content.

``read_path`` is the one entry point the store uses; ``detect`` picks the importer by
sniffing the first bytes (and, for zips, the member names), never by file name, because
users rename exports freely. A directory is read as the set of files it contains.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from clientguard.errors import InputError, UnknownFormatError, Where
from clientguard.ingest._common import HEAD_SIZE
from clientguard.ingest.base import Importer, ParsedConversation, ReadContext, SkippedRecord
from clientguard.ingest.mail import MailImporter
from clientguard.ingest.tabular import TabularImporter
from clientguard.ingest.telegram_html import TelegramHtmlImporter
from clientguard.ingest.telegram_json import TelegramJsonImporter
from clientguard.ingest.whatsapp import WhatsAppImporter

__all__ = [
    "IMPORTERS",
    "Importer",
    "ParsedConversation",
    "ReadContext",
    "SkippedRecord",
    "detect",
    "read_path",
]

# Order matters: the first importer whose sniff() accepts the head wins; the most
# specific signatures come first, the loose ones (CSV) last.
IMPORTERS: list[Importer] = [
    TelegramJsonImporter(),
    TelegramHtmlImporter(),
    WhatsAppImporter(),
    MailImporter(),
    TabularImporter(),
]


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(HEAD_SIZE)
    except OSError as exc:  # missing, a directory, no permission: the user's to fix
        raise InputError(f"cannot read: {exc.strerror or exc}", Where(str(path))) from None


def detect(path: Path) -> Importer:
    """The importer for ``path``, chosen by content; :class:`UnknownFormatError` otherwise."""
    path = Path(path)
    head = _head(path)
    for importer in IMPORTERS:
        if importer.sniff(path, head):
            return importer
    raise UnknownFormatError("no importer recognises this content", Where(str(path)))


def read_path(path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
    """Stream the conversations of a file (or of every file under a directory)."""
    path = Path(path)
    if path.is_dir():
        yield from _read_dir(path, ctx)
        return
    importer = detect(path)
    try:
        yield from importer.read(path, ctx)
    except OSError as exc:  # vanished or unreadable while reading
        raise InputError(f"cannot read: {exc.strerror or exc}", Where(str(path))) from None


def _read_dir(path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
    done: set[Path] = set()
    for child in sorted(p for p in path.rglob("*") if p.is_file()):
        if child in done:
            continue
        try:
            importer = detect(child)
        except UnknownFormatError:
            continue  # media, css and the like sit next to exports
        # multi-file formats (Telegram HTML parts) read their siblings: skip those later
        claimed = getattr(importer, "parts", None)
        if callable(claimed):
            done.update(claimed(child))
        yield from importer.read(child, ctx)
