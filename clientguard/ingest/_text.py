"""Bytes → text we can trust, at the border of every text-based importer.

Two jobs, both about never storing something the user did not write:

* **Encoding.** Exports are UTF-8, but users re-save them: Windows Notepad's "Unicode"
  is UTF-16 with a byte-order mark, older Russian Windows tools write Windows-1251, old
  Unix mail KOI8-R. :func:`sniff_encoding` decides once per file — a byte-order mark,
  else strict UTF-8, else one of the two Cyrillic code pages when the letters prove it —
  and U+FFFD never reaches the store: bytes that cannot be decoded with confidence are
  an error naming the line and byte. One exception keeps a stray line from sinking a
  whole export: a file that is UTF-8 but for a few undecodable runs (a line of binary
  junk) is read with those bytes escaped, and the importer reports each such line as a
  broken record (:func:`undecodable`), skippable with ``--skip-bad`` like any other.
* **Terminal safety.** Message text, names and titles are printed to terminals later.
  :func:`strip_controls` removes every terminal control sequence (CSI colours and cursor
  moves, OSC window titles and clipboard writes, DCS/SOS/PM/APC strings, raw C0 and C1
  controls) and keeps newlines and tabs, so an export cannot drive the user's terminal.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import IO, TYPE_CHECKING, cast

from clientguard.errors import InputError, Msg, Where, msg
from clientguard.reasons import told

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_CHUNK = 1 << 20
# validation only: the decoded text is thrown away, so small chunks keep the peak memory of
# checking a gigabyte export at a few hundred KiB (a 1 MiB chunk of emoji decodes to 4 MiB)
_CHECK_CHUNK = 1 << 16


@dataclass(frozen=True)
class _Bom:
    """A byte-order mark: the codec that consumes it when reading, the one for what follows."""

    mark: bytes
    codec: str
    body_codec: str
    label: str


# UTF-32 LE before UTF-16 LE: same first two bytes
_BOMS = (
    _Bom(b"\xef\xbb\xbf", "utf-8-sig", "utf-8", "UTF-8"),
    _Bom(b"\xff\xfe\x00\x00", "utf-32", "utf-32-le", "UTF-32"),
    _Bom(b"\x00\x00\xfe\xff", "utf-32", "utf-32-be", "UTF-32"),
    _Bom(b"\xff\xfe", "utf-16", "utf-16-le", "UTF-16"),
    _Bom(b"\xfe\xff", "utf-16", "utf-16-be", "UTF-16"),
)
# 8-bit fallbacks, tried only for a file that is not UTF-8. Russian is the one non-Latin
# language the tool reads, and these are the code pages Russian text files come in;
# the first wins a tie (Windows-1251 is by far the more common today).
LEGACY: tuple[tuple[str, str], ...] = (("cp1251", "Windows-1251"), ("koi8_r", "KOI8-R"))

_SURROGATE = re.compile("[\udc80-\udcff]")
_SURROGATE_RUN = re.compile("[\udc80-\udcff]+")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_CYRILLIC = re.compile("[А-Яа-яЁё]")
_LOWER = re.compile("[а-яё]")
_VOWEL = re.compile("[АЕЁИОУЫЭЮЯаеёиоуыэюя]")
# typographic characters that Cyrillic code pages carry and Russian text uses
_PUNCT = re.compile("[«»–—…№„“”‘’\u00a0•°±€‚]")
# Cyrillic touching Latin inside a word: what Latin-1 text ("café") looks like read as 1251
_MIXED = re.compile("[A-Za-z][А-Яа-яЁё]|[А-Яа-яЁё][A-Za-z]")
# control characters no legacy text file contains (tab, newlines, form feed and ESC aside)
_BINARY = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


@dataclass(frozen=True)
class TextEncoding:
    """How to decode one file, and how sure we are.

    ``codec`` is a Python codec name (the BOM codecs consume their mark). ``guessed``:
    not proven by a BOM or by valid UTF-8 but told from the letters; the import notes it.
    ``undecodable``: runs of bytes that are not UTF-8 in an otherwise UTF-8 file; the file
    is then read with ``surrogateescape`` and each line holding one is a broken record.
    """

    codec: str
    label: str
    guessed: bool = False
    undecodable: int = 0

    @property
    def errors(self) -> str:
        """The ``errors=`` argument for decoding: strict unless bad lines are expected."""
        return "surrogateescape" if self.undecodable else "strict"


@dataclass
class _Candidate:
    """Letter statistics of the whole file read in one legacy code page."""

    codec: str
    label: str
    alive: bool = True
    cyrillic: int = 0
    lower: int = 0
    vowels: int = 0
    punct: int = 0
    non_ascii: int = 0
    mixed: int = 0

    def add(self, data: bytes) -> None:
        if not self.alive:
            return
        try:
            text = data.decode(self.codec)
        except UnicodeDecodeError:  # cp1251 leaves 0x98 undefined
            self.alive = False
            return
        if _BINARY.search(text):
            self.alive = False
            return
        self.cyrillic += len(_CYRILLIC.findall(text))
        self.lower += len(_LOWER.findall(text))
        self.vowels += len(_VOWEL.findall(text))
        self.punct += len(_PUNCT.findall(text))
        self.non_ascii += len(_NON_ASCII.findall(text))
        self.mixed += len(_MIXED.findall(text))

    @property
    def plausible(self) -> bool:
        """Reads as Russian: Cyrillic words, hardly anything else outside ASCII, mostly lower case.

        Russian text is ~43% vowels; a short run of junk bytes (``яюэ``) is not.
        """
        return (
            self.alive
            and self.cyrillic >= 2
            and 0.2 <= self.vowels / self.cyrillic <= 0.7
            and (self.cyrillic + self.punct) * 10 >= self.non_ascii * 9
            and self.mixed <= self.cyrillic // 10 + 1
            and self.lower * 10 >= self.cyrillic * 3
        )

    @property
    def score(self) -> float:
        """Share of lower-case letters: 1251 read as KOI8-R (or back) swaps the cases."""
        return self.lower / self.cyrillic if self.cyrillic else 0.0


@dataclass(frozen=True)
class _FirstBad:
    line: int
    column: int
    offset: int
    byte: int

    def describe(self) -> str:
        return f"byte 0x{self.byte:02X} at column {self.column} (byte offset {self.offset})"


def _chunks(fh: IO[bytes], size: int = _CHUNK) -> Iterator[bytes]:
    while chunk := fh.read(size):
        yield chunk


def _bom(head: bytes) -> _Bom | None:
    return next((b for b in _BOMS if head.startswith(b.mark)), None)


def _valid(fh: IO[bytes], codec: str = "utf-8", fed: int = 0) -> UnicodeDecodeError | None:
    """Whether the rest of ``fh`` decodes strictly; the error (offset in the file) if not.

    ``fed``: where ``fh`` stands (after a byte-order mark), so offsets count from the file start.
    """
    decoder = codecs.getincrementaldecoder(codec)("strict")
    for chunk in _chunks(fh, _CHECK_CHUNK):
        buffered = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            exc.start += fed - buffered
            return exc
        fed += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        exc.start += fed - len(decoder.getstate()[0])
        return exc
    return None


def sniff_encoding(fh: IO[bytes], file: str) -> TextEncoding:
    """The encoding of the text in ``fh`` (read from its start, left at an unknown position).

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides, and the rest must decode;
    else valid UTF-8; else a file with some undecodable runs in otherwise valid UTF-8
    text (see the module docstring); else Windows-1251 or KOI8-R when the whole file reads
    as Russian in it; else up to three stray runs in an ASCII file; else
    :class:`~clientguard.errors.InputError` naming the first undecodable byte.
    """
    head = fh.read(4)
    bom = _bom(head)
    fh.seek(len(bom.mark) if bom else 0)
    if bom is not None:
        error = _valid(fh, bom.body_codec, len(bom.mark))
        if error is not None:
            raise InputError(msg("ingest.bad_bom_text", label=bom.label, reason=told(error.reason, "codec")),
                             Where(file, f"byte {error.start}"))
        return TextEncoding(bom.codec, bom.label)
    if _valid(fh) is None:
        return TextEncoding("utf-8", "UTF-8")
    fh.seek(0)
    return _not_utf8(fh, file)


def sniff_encoding_whole(fh: IO[bytes], file: str) -> TextEncoding:
    """:func:`sniff_encoding` for a file that is one document, not line records (JSON).

    The "UTF-8 with a few undecodable runs" verdict exists so that a line-based importer
    can skip the broken lines; a JSON document has no line to skip, and a byte parser
    fed such bytes reports a misleading syntax error (Telegram JSON read "the file is
    truncated" at its last byte). So here that verdict is an error naming the first
    undecodable byte.
    """
    enc = sniff_encoding(fh, file)
    if not enc.undecodable:
        return enc
    fh.seek(0)
    error = _valid(fh)
    offset = error.start if error is not None else 0
    fh.seek(offset)
    byte = fh.read(1)
    names = [label for _, label in LEGACY]
    said = msg("ingest.unknown_encoding_byte", byte=byte[0] if byte else 0, offset=offset, names=names)
    raise InputError(said, Where(file, f"byte {offset}"))


def _not_utf8(fh: IO[bytes], file: str) -> TextEncoding:
    """Classify a file that is not valid UTF-8 (the rare path: one more pass, with statistics)."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    candidates = [_Candidate(codec, label) for codec, label in LEGACY]
    valid_chars = bad_bytes = runs = 0
    first: _FirstBad | None = None
    line, offset = 1, 0
    for chunk in chain(_chunks(fh), (b"",)):  # b"": flush what the decoder holds back at the end
        for c in candidates:
            c.add(chunk)
        text = decoder.decode(chunk, final=not chunk)
        found = _SURROGATE_RUN.findall(text)
        runs += len(found)
        bad = sum(len(r) for r in found)
        bad_bytes += bad
        valid_chars += len(_NON_ASCII.findall(text)) - bad
        m = _SURROGATE.search(text) if first is None else None
        if m is not None:
            before = text[: m.start()]
            at = offset + len(before.encode("utf-8", "surrogateescape"))
            column = m.start() - before.rfind("\n")
            first = _FirstBad(line + before.count("\n"), column, at, ord(m.group()) - 0xDC00)
        line += text.count("\n")
        offset += len(text.encode("utf-8", "surrogateescape"))
    if first is None or valid_chars >= bad_bytes:
        # UTF-8 text with a few broken runs (a junk line): the importer reports each line
        return TextEncoding("utf-8", "UTF-8", undecodable=runs)
    best = max((c for c in candidates if c.plausible), key=lambda c: c.score, default=None)
    if best is not None:
        return TextEncoding(best.codec, best.label, guessed=True)
    if runs <= 3:  # an ASCII file with a stray junk line or two
        return TextEncoding("utf-8", "UTF-8", undecodable=runs)
    names = [label for _, label in LEGACY]
    said = msg("ingest.unknown_encoding_line", byte=first.byte, column=first.column, offset=first.offset,
               names=names)
    raise InputError(said, Where(file, f"line {first.line}"))


def undecodable(line: str) -> str | None:
    """Why a line read with ``surrogateescape`` is broken, or None when it decoded cleanly."""
    said = undecodable_said(line)
    return None if said is None else said.text("en")


def undecodable_said(line: str) -> Msg | None:
    """:func:`undecodable` as an error message (worded in the interface language when printed)."""
    m = _SURROGATE.search(line)
    if m is None:
        return None
    return msg("ingest.not_utf8_byte", byte=ord(m.group()) - 0xDC00, column=m.start() + 1)


def sniff_head(head: bytes) -> bytes:
    """The first bytes of a file as UTF-8, for the importers' content sniffers.

    Sniffers look for ASCII signatures (``{"name":``, a date, ``From ``); in UTF-16 or
    UTF-32 those are interleaved with zero bytes, so such a head is transcoded first.
    """
    bom = _bom(head)
    if bom is None or bom.body_codec == "utf-8":
        return head
    decoder = codecs.getincrementaldecoder(bom.codec)("ignore")
    return decoder.decode(head, final=False).encode("utf-8")


class _Utf8Reader(io.RawIOBase):
    """A UTF-16/32 file streamed as UTF-8 bytes, for readers that parse bytes (ijson, mail).

    ``tell()`` is the position in the original file, so byte offsets in error messages
    point at the user's file.
    """

    def __init__(self, raw: IO[bytes], codec: str) -> None:
        super().__init__()
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(codec)("strict")
        self._pending = b""
        self._pos = 0
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while self._pos >= len(self._pending) and not self._eof:
            chunk = self._raw.read(_CHUNK)
            self._eof = not chunk
            self._pending, self._pos = self._decoder.decode(chunk, final=self._eof).encode("utf-8"), 0
        out = memoryview(buffer).cast("B")
        n = min(len(out), len(self._pending) - self._pos)
        out[:n] = self._pending[self._pos:self._pos + n]
        self._pos += n
        return n

    def tell(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_utf8(fh: IO[bytes], file: str, enc: TextEncoding | None = None) -> IO[bytes]:
    """``fh`` (a binary file at its start) as a stream of UTF-8 bytes, byte-order mark removed.

    UTF-8 files are returned as they are, so byte-level parsers keep their speed and
    their own UTF-8 validation; UTF-16/32 files (told by their mark, checked whole first)
    are transcoded on the fly. ``enc``: the encoding already decided for this file
    (:func:`sniff_encoding_whole`); then a Windows-1251/KOI8-R file is transcoded too.
    Without it only a byte-order mark is looked at.
    """
    head = fh.read(4)
    bom = _bom(head)
    if bom is not None and bom.body_codec == "utf-8":
        fh.seek(len(bom.mark))
        return fh
    fh.seek(0)
    if enc is None:
        if bom is None:
            return fh
        enc = sniff_encoding(fh, file)  # raises on a broken UTF-16 file
        fh.seek(0)
    if enc.codec == "utf-8":
        return fh
    return cast(IO[bytes], _Utf8Reader(fh, enc.codec))


# ------------------------------------------------------------------ terminal safety

_ANY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# One table, first alternative wins; every branch names what it removes.
_CONTROL_SEQUENCE = re.compile(
    r"\r\n?"  # carriage return (alone it overwrites the line on screen): a newline
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erasing the screen
    r"|(?:\x1b[]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # OSC (title,
    # clipboard), DCS, SOS, PM, APC strings up to their BEL or ST terminator
    r"|\x1b[ -/]*[0-~]"  # any other escape (ESC c resets the terminal), an unterminated string's opener
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # every other C0 control (tab and newline stay), DEL, C1
)


#: ``has_control(text)`` is not None when ``text`` holds any control character but tab and newline
has_control = _ANY_CONTROL.search


def _replace(m: re.Match[str]) -> str:
    return "\n" if m.group()[0] == "\r" else ""


def strip_controls(text: str) -> str:
    """``text`` without terminal control sequences; newlines and tabs kept, CR → newline.

    The common case (no control character at all) costs one scan and returns ``text``.
    """
    if has_control(text) is None:
        return text
    return _CONTROL_SEQUENCE.sub(_replace, text)


def strip_controls_opt(text: str | None) -> str | None:
    """:func:`strip_controls` for optional fields."""
    return None if text is None else strip_controls(text)


# -- Double-encoded UTF-8 in names ------------------------------------------------------
#: A name some tool read as Windows-1252 and wrote back as UTF-8 ("Grace ðŸ§¤" for
#: "Grace 🧤", "Ð˜Ð³Ð¾Ñ€ÑŒ" for "Игорь"; FORMATS.md, langchain-community/telegram.json).
#: Each character maps back to one byte; the five bytes cp1252 leaves undefined come back
#: as the C1 controls a lenient decoder made of them.
_CP1252_BYTE: dict[str, int] = {
    bytes([b]).decode("cp1252", errors="strict"): b
    for b in range(256)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
} | {chr(b): b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
#: A UTF-8 lead byte's character followed by a continuation byte's: the mark of mojibake.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4]"  # a lead byte, then a continuation byte (0x80-0xBF) as cp1252 shows it
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def repair_mojibake(text: str) -> str:
    """``text`` decoded once more when it is UTF-8 that was read as Windows-1252.

    Only a string that maps back to bytes in full and then decodes as strict UTF-8 is
    repaired; real text almost never does both, so anything else is returned as it is.
    """
    if _MOJIBAKE.search(text) is None:
        return text
    try:
        raw = bytes(_CP1252_BYTE[ch] for ch in text)
        return raw.decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return text
