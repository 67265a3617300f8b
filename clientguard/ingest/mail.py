"""E-mail: single ``.eml`` files and ``.mbox`` mailboxes (FORMATS.md §4).

Mail is parsed from bytes (each part has its own charset) with the stdlib parser, but
headers are decoded by our own RFC 2047 decoder from the raw values: real Russian mail
puts encoded-words inside quotes, splits multibyte characters across adjacent words and
carries raw 8-bit headers, which ``email.policy.default`` handles only partly. One broken
mail never aborts an import; a mail with an absurd or missing date keeps ``timestamp=None``.
The analysed ``text`` has quotes, forwarded copies and signatures cut (``quotes.py``);
``original_text`` keeps the full body.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import hashlib
import io
import quopri
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email import errors
from email.message import Message as MimeMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from clientguard.domain import AttachmentKind, Conversation, Message, Source
from clientguard.errors import msg
from clientguard.ingest._common import path_key, safe_sender
from clientguard.ingest._html import html_to_text
from clientguard.ingest._text import open_utf8, strip_controls
from clientguard.ingest.base import ParsedConversation, ReadContext
from clientguard.ingest.quotes import strip_quotes
from clientguard.reasons import told

_FIELD = re.compile(rb"^[!-9;-~]{1,76}:")
_KNOWN = re.compile(rb"(^|\n)(from|date|subject|received|message-id|mime-version|return-path|"
                    rb"delivered-to|to|content-type):", re.IGNORECASE)
_SEPARATOR = re.compile(
    rb"^From (-.*|\S*@\S*(\s.*)?|\S+\s+(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s.*\d{4}.*)\r?\n?$"
)
# without a blank line before it, only these unmistakable shapes (mboxcl files omit the blank)
_STRICT_SEPARATOR = re.compile(rb"^From (-.*|\S+\s+(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s.*\d{4}.*)\r?\n?$")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)[ \t\r\n]+(=\?)")
_CHARSETS = {"windows-1251": "cp1251", "win-1251": "cp1251", "koi8r": "koi8_r", "x-unknown": "utf-8",
             "unknown-8bit": "utf-8", "us-ascii": "utf-8", "ascii": "utf-8", "8bit": "utf-8",
             "utf8": "utf-8", "cp-1251": "cp1251"}
_MIN_YEAR, _MAX_YEAR = 1980, 2100
_COMPAT32: Any = email.policy.compat32  # typeshed ties message_from_bytes to EmailMessage policies


def _codec(charset: str | None) -> str:
    name = (charset or "utf-8").strip().strip('"').lower()
    name = _CHARSETS.get(name, name)
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in the declared charset; undeclared/wrong 8-bit falls back UTF-8 → cp1251."""
    codec = _codec(charset)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        pass
    for fallback in ("utf-8", "cp1251"):
        try:
            return data.decode(fallback)
        except UnicodeDecodeError:
            continue
    return data.decode(codec, errors="replace")


def decode_header(raw: str | None) -> str:
    """Decode a raw header value: RFC 2047 words anywhere (also inside quotes), adjacent
    words joined (bytes first, so split multibyte characters survive), raw 8-bit kept."""
    if not raw:
        return ""
    if any("\udc80" <= ch <= "\udcff" for ch in raw):  # raw 8-bit bytes (surrogateescape)
        raw = decode_bytes(raw.encode("utf-8", "surrogateescape"), None)
    raw = _BETWEEN_WORDS.sub(r"\1\2", raw)
    out: list[str] = []
    pos = 0
    pending: list[tuple[str, bytes]] = []

    def flush() -> None:
        if pending:
            out.append(decode_bytes(b"".join(b for _, b in pending), pending[0][0]))
            pending.clear()

    for m in _ENCODED_WORD.finditer(raw):
        if m.start() > pos:
            flush()
            out.append(raw[pos:m.start()])
        charset, enc, payload = m.group(1).split("*")[0], m.group(2).upper(), m.group(3)
        try:
            data = _b64(payload) if enc == "B" else _qp(payload)
        except ValueError:
            flush()
            out.append(m.group(0))
            pos = m.end()
            continue
        if pending and pending[0][0].lower() != charset.lower():
            flush()
        pending.append((charset, data))
        pos = m.end()
    flush()
    out.append(raw[pos:])
    return re.sub(r"\s*\r?\n\s+", " ", "".join(out)).strip()


def _b64(payload: str) -> bytes:
    try:
        return base64.b64decode(payload + "=" * (-len(payload) % 4))
    except binascii.Error as exc:
        raise ValueError(str(exc)) from exc


def _qp(payload: str) -> bytes:
    return quopri.decodestring(payload.replace("_", " ").encode("ascii", "replace"), header=False)


# ------------------------------------------------------------------ one message


def _raw_header(msg: MimeMessage, name: str) -> str | None:
    for key, value in msg.raw_items() if hasattr(msg, "raw_items") else msg.items():
        if key.lower() == name:
            return str(value)
    return None


def _parse(raw: bytes) -> MimeMessage:
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:
        msg = email.message_from_bytes(raw, policy=_COMPAT32)
    if any(isinstance(d, errors.StartBoundaryNotFoundDefect) for d in msg.defects):
        # Outlook Express writes unquoted boundaries containing "=": quote them and retry
        head, sep, body = raw.partition(b"\r\n\r\n" if b"\r\n\r\n" in raw[:65536] else b"\n\n")
        fixed = re.sub(rb'(?i)(boundary=)([^"\s;]+)', rb'\1"\2"', head, count=1)
        if fixed != head:
            msg = email.message_from_bytes(fixed + sep + body, policy=_COMPAT32)
    return msg


def _part_text(part: MimeMessage) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        payload = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    text = decode_bytes(payload, part.get_content_charset())
    if part.get_content_subtype() == "html":
        return html_to_text(text, quote_marks=True)
    return text.replace("\r\n", "\n")


def _bodies(msg: MimeMessage) -> tuple[str, list[MimeMessage]]:
    """The message's own body text (plain preferred over html) and its forwarded mails."""
    forwarded: list[MimeMessage] = []
    chosen: list[str] = []

    def walk(part: MimeMessage) -> None:
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            forwarded.extend(p for p in (inner if isinstance(inner, list) else [inner])
                             if isinstance(p, MimeMessage))
            return
        if part.is_multipart():
            subs = [p for p in part.get_payload() if isinstance(p, MimeMessage)]
            if part.get_content_subtype() == "alternative":
                plain = [p for p in subs if p.get_content_type() == "text/plain"]
                html = [p for p in subs if p.get_content_type() == "text/html"]
                for p in plain:
                    if _part_text(p).strip():
                        chosen.append(_part_text(p))
                        return
                for p in html or subs:
                    walk(p)
                    return
                return
            for p in subs:
                walk(p)
            return
        if part.get_content_disposition() == "attachment" or part.get_content_maintype() != "text":
            return
        if part.get_content_subtype() not in ("plain", "html"):
            return
        if part.get_content_subtype() == "html" and chosen:
            return  # an extra html copy after the body (FORMATS.md: eml_parser inline sample)
        text = _part_text(part)
        if text.strip():
            chosen.append(text)

    walk(msg)
    return "\n\n".join(t.strip("\n") for t in chosen), forwarded


#: A mail part's media type → the attachment kind shown beside the message (``[файл]``).
_ATTACHMENT_KINDS = {"image": AttachmentKind.PHOTO, "video": AttachmentKind.VIDEO,
                     "audio": AttachmentKind.AUDIO}


def _attachment(msg: MimeMessage) -> AttachmentKind:
    """What the mail carries attached (QA6 CLI N8): the first attached file's kind.

    A part counts when it is marked ``attachment`` or, not being a text part, has a file
    name; not a part of ``multipart/related`` with a Content-ID (a picture the HTML body
    shows, a logo: Yandex marks those ``attachment`` too). A forwarded mail
    (``message/rfc822``) is quoted in ``original_text``; only one sent as a named
    attachment is also an attached file.
    """

    def walk(part: MimeMessage, related: bool) -> AttachmentKind | None:
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            attached = part.get_content_disposition() == "attachment" and bool(part.get_filename())
            return AttachmentKind.FILE if attached else None
        if part.is_multipart():
            inner = related or part.get_content_subtype() == "related"
            for sub in part.get_payload():
                if isinstance(sub, MimeMessage) and (found := walk(sub, inner)) is not None:
                    return found
            return None
        try:
            disposition = part.get_content_disposition()
            named = bool(part.get_filename())
        except Exception:  # a malformed parameter: not worth losing the mail over
            return None
        if related and part.get("content-id"):
            return None
        if disposition == "attachment" or (named and part.get_content_maintype() != "text"):
            return _ATTACHMENT_KINDS.get(part.get_content_maintype(), AttachmentKind.FILE)
        return None

    return walk(msg, False) or AttachmentKind.NONE


def _date(msg: MimeMessage) -> datetime | None:
    raw = decode_header(_raw_header(msg, "date"))
    if not raw:
        return None
    try:
        dt = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not _MIN_YEAR <= dt.year <= _MAX_YEAR:
        return None  # "year 3609": keep the mail, drop the nonsense
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def mail_to_message(raw: bytes) -> Message:
    """One RFC 5322 mail → Message: sender, subject, UTC date, cleaned and full text."""
    msg = _parse(raw)
    body, forwarded = _bodies(msg)
    full = body
    for fwd in forwarded:
        inner_body, _ = _bodies(fwd)
        head = "\n".join(f"{h}: {decode_header(_raw_header(fwd, h.lower()))}"
                         for h in ("From", "Date", "Subject") if _raw_header(fwd, h.lower()))
        full += f"\n\n---------- Forwarded message ----------\n{head}\n\n{inner_body}"
    frm = decode_header(_raw_header(msg, "from"))
    addrs = getaddresses([frm]) if frm else []
    name, addr = addrs[0] if addrs else ("", "")
    addr = addr.strip().lower() or frm.strip().lower() or "unknown"
    msg_id = decode_header(_raw_header(msg, "message-id")).strip().strip("<>").strip()
    reply = decode_header(_raw_header(msg, "in-reply-to")).strip()
    reply_id = re.findall(r"<([^>]+)>", reply)
    subject = decode_header(_raw_header(msg, "subject")) or None
    return Message(
        source_id=msg_id or "sha1:" + hashlib.sha1(raw).hexdigest(),
        sender=safe_sender(addr, name.strip() or None),
        timestamp=_date(msg),
        text=strip_controls(strip_quotes(body)),
        original_text=strip_controls(full),
        reply_to=reply_id[-1] if reply_id else (reply or None),
        subject=strip_controls(subject) if subject is not None else None,
        attachment=_attachment(msg),
    )


# ------------------------------------------------------------------ mbox splitting


def _valid_end(fh: IO[bytes], offset: int) -> bool:
    """Whether a Content-Length claim lands on EOF or, after ≤1 blank line, a separator."""
    here = fh.tell()
    fh.seek(offset)
    chunk = fh.read(512)
    fh.seek(here)
    for prefix in (b"", b"\n", b"\r\n"):
        if chunk.startswith(prefix):
            rest = chunk[len(prefix):]
            if not rest.strip() or _SEPARATOR.match(rest.split(b"\n", 1)[0] + b"\n"):
                return True
    return False


def split_mbox(fh: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """(line number, raw bytes) of each mail in an mbox.

    A separator is a ``From `` line of the known shapes at the file start, after a blank
    line, or (``From -``/``From x <date>`` only) anywhere: mboxcl writers omit the blank.
    ``Content-Length`` is honoured only when it lands on a separator (it is often wrong).
    """
    first = fh.readline()
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]
    lineno, start_line = 1, 1
    current: list[bytes] = []
    in_headers = True
    body_end: int | None = None
    prev_blank = True
    if not _SEPARATOR.match(first):
        current.append(first)
    while True:
        pos = fh.tell()
        line = fh.readline()
        if not line:
            break
        lineno += 1
        if _SEPARATOR.match(line) and (body_end is None or pos >= body_end) and \
                (prev_blank or pos == body_end or _STRICT_SEPARATOR.match(line)):
            if current:
                yield start_line, _unquote(current)
            current, in_headers, body_end, start_line = [], True, None, lineno + 1
            prev_blank = False
            continue
        current.append(line)
        if in_headers and not line.strip():
            in_headers = False
            length = _content_length(current)
            if length is not None and _valid_end(fh, fh.tell() + length):
                body_end = fh.tell() + length
        prev_blank = not line.strip()
    if current and any(x.strip() for x in current):
        yield start_line, _unquote(current)


def _content_length(header_lines: list[bytes]) -> int | None:
    for line in header_lines:
        m = re.match(rb"(?i)content-length:\s*(\d+)", line)
        if m:
            return int(m.group(1))
    return None


def _unquote(lines: list[bytes]) -> bytes:
    """mboxrd: ``>From `` → ``From ``; strip the blank line that precedes a separator."""
    if lines and not lines[-1].strip():
        lines = lines[:-1]
    return b"".join(line[1:] if re.match(rb"^>+From ", line) else line for line in lines)


# ------------------------------------------------------------------ importer


def _open(path: Path) -> IO[bytes]:
    """The file's bytes; a UTF-16/32 file (saved as "Unicode") as UTF-8, in memory because
    the mbox splitter seeks (such files are hand-saved single mails, not mail archives)."""
    fh = path.open("rb")
    if not fh.read(4).startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        fh.seek(0)
        return fh
    fh.seek(0)
    with open_utf8(fh, str(path)) as utf8:
        return io.BytesIO(utf8.read())


class MailImporter:
    """``.eml`` (RFC 5322 headers first) or mbox (``From `` separator first)."""

    name = "email"

    def _is_mbox(self, head: bytes) -> bool:
        return bool(_SEPARATOR.match(head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0] + b"\n"))

    def sniff(self, path: Path, head: bytes) -> bool:
        """A ``From `` separator, or header fields including at least one mail header."""
        if self._is_mbox(head):
            return True
        body = head.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n")
        return bool(_FIELD.match(body)) and bool(_KNOWN.search(body.split(b"\n\n", 1)[0]))

    def read(self, path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
        """All mails of the file as one conversation (threads are built later)."""
        with _open(path) as fh:
            mbox = self._is_mbox(fh.read(1024))
        conv = Conversation(Source.EMAIL, f"email:{path_key(path)}", path.name, "mbox" if mbox else "eml")
        yield ParsedConversation(conv, self._items(path, ctx, mbox), str(path))

    def _items(self, path: Path, ctx: ReadContext, mbox: bool) -> Iterator[Message]:
        with _open(path) as fh:
            mails = split_mbox(fh) if mbox else iter([(1, fh.read())])
            for lineno, raw in mails:
                try:
                    yield mail_to_message(raw)
                except Exception as exc:
                    # the library's words in English; in Russian what they mean (error_terms "mail …")
                    # and no exception class name, which tells a Russian reader nothing
                    kind = {"en": type(exc).__name__, "ru": ""}
                    said = msg("ingest.unreadable_mail", kind=kind, error=told(exc, "mail"))
                    ctx.bad(path, f"line {lineno}", said)
