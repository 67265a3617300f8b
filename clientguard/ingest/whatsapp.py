"""WhatsApp "Export chat" text files, bare or inside the export ``.zip`` (FORMATS.md §3).

The text has no time zone and prints dates in the phone's locale, so reading takes two
passes over the file: the first collects every header's date to settle the day/month
order for the whole file (a component > 12 proves it; otherwise a locale hint decides and
a notice records the guess), the second streams the messages. Everything that is not a
full header line continues the previous message, with two exceptions that would
otherwise put words in the wrong mouth: a header-shaped line whose date or time cannot
exist (``31.02.2025``, ``25:70``) and a line of binary junk (a NUL byte, bytes that are
not text) are broken records, reported by line number, never glued to the message above.
The text encoding is decided once per file (``_text.sniff_encoding``: BOM, UTF-8, or a
Cyrillic code page told from the letters).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from clientguard.domain import AttachmentKind, Conversation, Event, Message, Sender, Source
from clientguard.errors import Msg, UnknownFormatError, Where, msg
from clientguard.ingest._common import ContentIds, chat_message, localize, safe_details, safe_sender
from clientguard.ingest._text import TextEncoding, sniff_encoding, sniff_head, undecodable_said
from clientguard.ingest.base import NoticeCode, ParsedConversation, ReadContext
from clientguard.reasons import told

_TIME = r"(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)(?:[ _]?(?P<ampm>[AaPp]\.? ?[Mm]\.?))?"
_DATE = r"(?P<date>\d{1,4}[./-]\d{1,2}[./-]\d{1,4})"
_HEADERS = (
    re.compile(rf"^{_DATE},? {_TIME} - (?P<rest>.*)$"),  # Android
    re.compile(rf"^\[{_DATE},? {_TIME}\] (?P<rest>.*)$"),  # iOS (and bracketed third-party)
)
# invisible marks WhatsApp sprinkles around names, numbers and attachment lines
# (regex, not str.translate: translate with a dict is ~10x slower on long chats)
_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\ufeff]")
_SPACES = re.compile("[\u202f\u00a0\u2007]")
_DATE_SEP = re.compile(r"[./-]")
_TIME_SEP = re.compile(r"[:.]")
_YEAR_FIRST = re.compile(r"^\d{4}")
_EMPTY_BODY = re.compile(r"^([^:]{1,80}):(\.)$")
# dotted dates are day-first in every locale that writes them (ru, de, …): not worth a notice
_DOTS = "dots"
#: Every reason :func:`settle_order` gives, each worded in ``data/notices.yaml`` (``reason.text``).
REASONS = ("year_first", "first_over_12", "second_over_12", "set_by_user", _DOTS, "us_12h",
           "default_dayfirst")

# (regex on the body, AttachmentKind) — Android/iOS placeholders in English and Russian
_PLACEHOLDERS: tuple[tuple[re.Pattern[str], AttachmentKind], ...] = tuple(
    (re.compile(p, re.IGNORECASE), kind) for p, kind in (
        (r"^<(media omitted|без медиафайлов|медиафайл отсутствует)>$", AttachmentKind.OTHER),
        (r"^(image|photo) omitted$|^изображение отсутствует$", AttachmentKind.PHOTO),
        (r"^video omitted$|^видео отсутствует$", AttachmentKind.VIDEO),
        (r"^audio omitted$|^аудио отсутствует$", AttachmentKind.VOICE),
        (r"^sticker omitted$|^стикер отсутствует$", AttachmentKind.STICKER),
        (r"^gif omitted$|^gif отсутствует$", AttachmentKind.ANIMATION),
        (r"^(contact card|vcard) omitted$|^карточка контакта отсутствует$", AttachmentKind.CONTACT),
        (r"^document omitted$|^документ отсутствует$|^.*\.\w{2,4} \((file attached|файл добавлен)\)$",
         AttachmentKind.FILE),
        (r"^<attached: .*(PHOTO|jpg|jpeg|png)[^>]*>$", AttachmentKind.PHOTO),
        (r"^<attached: .*(VIDEO|mp4)[^>]*>$", AttachmentKind.VIDEO),
        (r"^<attached: .*(AUDIO|opus|m4a)[^>]*>$", AttachmentKind.VOICE),
        (r"^<attached: .*>$", AttachmentKind.FILE),
        (r"^(location|местоположение): https?://", AttachmentKind.LOCATION),
    )
)
# the encryption notice, old and new wordings; anchored so a client asking about
# encryption in a message is not mistaken for it
_E2E = (r"^(messages and calls are end-to-end encrypted|messages (to|you send to) this (group|chat) "
        r"are now secured|сообщения и звонки защищены сквозным шифрованием)")
# (regex on the body of an authored line, event kind): lines that are events, not speech
_AUTHORED_EVENTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), kind) for p, kind in (
        (_E2E, "e2e_notice"),
        (r"^(this message was deleted|you deleted this message|данное сообщение удалено|"
         r"вы удалили данное сообщение|сообщение удалено)$", "message_deleted"),
        (r"^missed (group )?(voice|video) call$|^пропущенный (групповой )?(аудио|видео)?звонок$",
         "missed_call"),
        (r"^(waiting for this message|ожидание сообщения)", "message_pending"),
    )
)
# (regex on a line without "Author: ", event kind); unknown ones become kind "system"
_SYSTEM_EVENTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), kind) for p, kind in (
        (_E2E, "e2e_notice"),
        (r"created group|создал\(а\)? группу|создали группу", "create_group"),
        (r"\badded\b|were added|добавил|добавлены", "invite_members"),
        (r"\bremoved\b|удалил\(а\)? ", "remove_members"),
        (r"\bleft$|вышел|покинул", "left"),
        (r"joined using|присоединил", "join_group_by_link"),
        (r"changed the subject|changed this group's|изменил\(а\)? (тему|название)", "edit_group_title"),
        (r"changed (the group|this group's) (icon|description)|изменил\(а\)? (значок|описание)",
         "edit_group"),
        (r"security code|код безопасности", "security_code_changed"),
        (r"changed (their|to) phone number|сменил\(а\)? номер", "number_changed"),
        (r"missed .*call|пропущенный", "missed_call"),
        (r"disappearing messages|исчезающие сообщения", "set_messages_ttl"),
    )
)
# one match decides whether the per-rule tables need to be consulted at all (every
# pattern in them is anchored at the start, so match() == search() here, and fast)
_ANY_SPECIAL = re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in (*_AUTHORED_EVENTS, *_PLACEHOLDERS)),
                          re.IGNORECASE)
_CHAT_NAME = re.compile(r"^(?:WhatsApp Chat with |WhatsApp Chat - |Чат WhatsApp с |Чат WhatsApp - )(.+)$")
_ZIP_MEMBER = re.compile(r"(^|/)(_chat\.txt|WhatsApp Chat with .+\.txt|Чат WhatsApp с .+\.txt)$")


def _clean(line: str) -> str:
    line = line.rstrip("\r\n")
    if line.isascii():
        return line
    return _SPACES.sub(" ", _INVISIBLE.sub("", line))


def _header(line: str) -> re.Match[str] | None:
    for rx in _HEADERS:
        m = rx.match(line)
        if m:
            return m
    return None


@dataclass(frozen=True)
class DateOrder:
    """How this file writes dates: ``ymd``, ``dmy`` or ``mdy``, and whether it was proven."""

    order: str
    proven: bool
    #: Why, as a code the notice words (``data/notices.yaml``, terms ``reason.text``): see :data:`REASONS`.
    reason: str


def settle_order(dates: list[str], has_ampm: bool, dayfirst: bool | None = None) -> DateOrder:
    """Decide the day/month order of a whole file from all its header dates.

    Proof beats hints: any first field > 12 means day-first, any second field > 12
    means month-first. Without proof: an explicit ``dayfirst`` wins; dots are the
    Russian/German style (day-first); a 12-hour clock with slashes is the US style
    (month-first); otherwise day-first, the more common convention outside the US.
    """
    firsts = seconds = 0
    dots = False
    dated = [d for d in dates if not _YEAR_FIRST.match(d)]  # yyyy/mm/dd is never ambiguous
    if dates and not dated:
        return DateOrder("ymd", True, "year_first")
    for d in dated:
        parts = _DATE_SEP.split(d)
        first, second = int(parts[0]), int(parts[1])
        if not (0 < first <= 31 and 0 < second <= 31) or (first > 12 and second > 12):
            continue  # impossible either way (99.99.2025): a broken line must not vote
        firsts = max(firsts, first)
        seconds = max(seconds, second)
        dots = dots or "." in d
    if firsts > 12 and seconds <= 12:
        return DateOrder("dmy", True, "first_over_12")
    if seconds > 12 and firsts <= 12:
        return DateOrder("mdy", True, "second_over_12")
    if dayfirst is not None:
        return DateOrder("dmy" if dayfirst else "mdy", False, "set_by_user")
    if dots:
        return DateOrder("dmy", False, _DOTS)
    if has_ampm:
        return DateOrder("mdy", False, "us_12h")
    return DateOrder("dmy", False, "default_dayfirst")


def _timestamp(m: re.Match[str], order: DateOrder) -> datetime:
    parts = [int(x) for x in _DATE_SEP.split(m["date"])]
    if _YEAR_FIRST.match(m["date"]):
        year, month, day = parts
    elif order.order == "mdy":
        month, day, year = parts
    else:
        day, month, year = parts
    if year < 100:
        year += 2000
    t = [int(x) for x in _TIME_SEP.split(m["time"])]
    hour, minute, second = t[0], t[1], t[2] if len(t) > 2 else 0
    ampm = m["ampm"]
    if ampm:
        pm = ampm.lower().startswith("p")
        if hour == 12:
            hour = 12 if pm else 0
        elif pm:
            hour += 12
    return datetime(year, month, day, hour, minute, second)


# ------------------------------------------------------------------ sources


@contextmanager
def _open_text(path: Path, enc: TextEncoding | None = None
               ) -> Iterator[tuple[IO[str], str | None, TextEncoding]]:
    """The chat text, the chat name its file name reveals (None if none) and its encoding.

    ``enc`` None: decide the encoding now (one extra pass over the bytes, cheap next to
    parsing); the caller passes the result back for the second pass.
    """
    with ExitStack() as stack:
        raw: IO[bytes]
        if zipfile.is_zipfile(path):
            zf = stack.enter_context(zipfile.ZipFile(path))
            member = _zip_member(zf)
            if member is None:
                raise UnknownFormatError(msg("ingest.no_whatsapp_chat"), Where(str(path)))
            name_match = _CHAT_NAME.match(Path(member_name(zf, member)).stem) or _CHAT_NAME.match(path.stem)
            raw = stack.enter_context(zf.open(member))
        else:
            name_match = _CHAT_NAME.match(path.stem)
            raw = stack.enter_context(path.open("rb"))
        if enc is None:
            enc = sniff_encoding(raw, str(path))
            raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=enc.codec, errors=enc.errors, newline="")
        yield text, name_match.group(1) if name_match else None, enc


#: The zip flag saying member names are UTF-8; without it they are read as cp437.
_UTF8_NAMES = 0x800


def member_name(zf: zipfile.ZipFile, member: str) -> str:
    """A member's name as its writer meant it (QA6 CLI N10).

    Without the UTF-8 flag ``zipfile`` reads names as cp437, but Info-ZIP on Linux and
    macOS writes UTF-8 bytes without the flag, and Windows' "Send to → Compressed folder"
    writes the OEM code page (cp866 for Russian): "WhatsApp Chat with Игорь.txt" became
    "WhatsApp Chat with ╨ÿ╨│╨╛╤Ç╤î.txt", a chat named in mojibake, stored as a new
    conversation beside the same chat imported as .txt. The bytes are decoded again:
    strict UTF-8, else cp866 when that gives Cyrillic letters; else the name as read.
    """
    info = zf.getinfo(member)
    if info.flag_bits & _UTF8_NAMES or member.isascii():
        return member
    try:
        raw = member.encode("cp437")
    except UnicodeEncodeError:
        return member
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    oem = raw.decode("cp866", errors="replace")
    words = re.findall(r"[^\W\d_]+", oem)
    cyrillic = [w for w in words if any(_is_cyrillic(ch) for ch in w)]
    # Russian names are whole Cyrillic words; "Zoë" read as cp866 is "ZoЙ", a mixed word
    if cyrillic and "\ufffd" not in oem and all(all(_is_cyrillic(ch) for ch in w) for w in cyrillic):
        return oem
    return member


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _zip_member(zf: zipfile.ZipFile) -> str | None:
    names = [n for n in zf.namelist() if not n.endswith("/")]
    for n in names:
        if _ZIP_MEMBER.search(member_name(zf, n)):
            return n
    for n in names:
        if n.lower().endswith(".txt"):
            with zf.open(n) as fh:
                if _looks_like_chat(sniff_head(fh.read(2048))):
                    return n
    return None


def _looks_like_chat(head: bytes) -> bool:
    text = head.decode("utf-8", errors="ignore")
    for line in text.splitlines()[:5]:
        line = _clean(line)
        if line.strip():
            return _header(line) is not None
    return False


def _lines(fh: IO[str]) -> Iterator[str]:
    for raw in fh:
        yield _clean(raw)


# ------------------------------------------------------------------ parsing


def _split_author(rest: str) -> tuple[str | None, str]:
    """``Author: text`` → (author, text); system lines have no author.

    A system line can itself contain ": " (``Alice changed the subject to "Re: price"``);
    a would-be author that reads like a system phrase with a quote in it is not one.
    """
    i = rest.find(": ")
    if i > 0:
        author = rest[:i]
        if any(q in author for q in "\"«“") and any(rx.search(author) for rx, _ in _SYSTEM_EVENTS):
            return None, rest
        return author, rest[i + 2:]
    if rest.endswith(":") and len(rest) < 80:
        return rest[:-1], ""
    m = _EMPTY_BODY.match(rest)  # "John Doe:." (chat-miner)
    if m:
        return m.group(1), m.group(2)
    return None, rest


def _author_name(raw: str) -> str:
    return raw.strip().removeprefix("~").strip()


class _Chat:
    """Builds items from header/continuation lines of one file."""

    def __init__(self, ctx: ReadContext, order: DateOrder) -> None:
        self.ctx = ctx
        self.order = order
        self.ids = ContentIds("w")
        self.senders: dict[str, Sender] = {}

    def sender(self, name: str) -> Sender:
        s = self.senders.get(name)
        if s is None:
            s = self.senders[name] = safe_sender(name, name)
        return s

    def item(self, ts: datetime, author: str | None, lines: list[str]) -> Message | Event:
        while len(lines) > 1 and not lines[-1].strip():  # blank lines before the next header
            lines.pop()
        text = "\n".join(lines)
        stamp = localize(ts, self.ctx.tz)
        iso = ts.isoformat()  # the wall time as printed: ids must not change with ctx.tz
        if author is None:
            kind = next((k for rx, k in _SYSTEM_EVENTS if rx.search(text)), "system")
            return Event(self.ids.make(iso, "", text), kind, stamp, None, safe_details({"text": text}))
        name = _author_name(author)
        body = text.strip()
        if not _ANY_SPECIAL.match(body):
            return chat_message(self.ids.make(iso, name, text), self.sender(name), stamp, text)
        for rx, kind in _AUTHORED_EVENTS:
            if rx.search(body):
                return Event(self.ids.make(iso, name, text), kind, stamp, self.sender(name),
                             safe_details({"text": body}))
        attachment = AttachmentKind.NONE
        for rx, att in _PLACEHOLDERS:
            if rx.search(body):
                attachment = att
                if att is not AttachmentKind.LOCATION:
                    text = ""
                break
        return chat_message(self.ids.make(iso, name, text), self.sender(name), stamp, text,
                            attachment=attachment)


def _junk(line: str, enc: TextEncoding) -> Msg | None:
    """Why ``line`` is binary junk rather than chat text, or None. A chat never holds NUL."""
    if enc.undecodable and (why := undecodable_said(line)) is not None:
        return why
    if "\x00" in line:
        return msg("ingest.nul_byte", column=line.index("\x00") + 1)
    return None


def _possible(m: re.Match[str]) -> bool:
    """Whether a header's date and time exist in some day/month order (31.02 exists in none)."""
    for order in ("dmy", "mdy"):
        try:
            _timestamp(m, DateOrder(order, False, ""))
        except ValueError:
            continue
        return True
    return False


@dataclass(frozen=True)
class _Scan:
    """What the first pass learns: header dates, 12-hour clock, authors, chat name, encoding."""

    dates: list[str]
    ampm: bool
    authors: set[str]
    chat_name: str | None
    enc: TextEncoding


def _scan(path: Path) -> _Scan:
    dates: list[str] = []
    ampm = False
    authors: set[str] = set()
    with _open_text(path) as (fh, chat_name, enc):
        for line in _lines(fh):
            m = _header(line)
            if m is None or (("\x00" in line or enc.undecodable) and _junk(line, enc)):
                continue
            dates.append(m["date"])
            ampm = ampm or bool(m["ampm"])
            author, _text = _split_author(m["rest"])
            if author is not None:
                name = _author_name(author)
                # a broken header's author must not change the chat's participants key
                if name not in authors and _possible(m):
                    authors.add(name)
    return _Scan(dates, ampm, authors, chat_name, enc)


class _Broken:
    """A broken record being read: its header line, its continuation lines, and why."""

    def __init__(self, first: int, why: str | Msg) -> None:
        self.first = self.last = first
        self.why = why

    def where(self) -> str:
        return f"line {self.first}" if self.first == self.last else f"lines {self.first}-{self.last}"


def _items(path: Path, ctx: ReadContext, chat: _Chat, enc: TextEncoding) -> Iterator[Message | Event]:
    current: tuple[datetime, str | None, list[str]] | None = None
    broken: _Broken | None = None  # continuation lines after a broken header belong to it
    with _open_text(path, enc) as (fh, _name, _enc):
        for lineno, line in enumerate(_lines(fh), 1):
            m = _header(line)
            junk = _junk(line, enc) if "\x00" in line or enc.undecodable else None
            if junk is not None and m is None:
                ctx.bad(path, f"line {lineno}", junk)  # a junk line inside a message: only it is left out
                continue
            if m is None:
                if current is not None:
                    current[2].append(line)
                elif broken is not None:
                    if line.strip():
                        broken.last = lineno
                elif line.strip():
                    ctx.bad(path, f"line {lineno}", msg("ingest.before_first_header"))
                continue
            why = junk
            if why is None:
                try:
                    ts = _timestamp(m, chat.order)
                except ValueError as exc:  # 31.02, 99.99, 25:70: shaped like a header, but impossible
                    said = told(exc, "date")  # "day is out of range for month": in Russian too
                    why = msg("ingest.impossible_header", date=m["date"], time=m["time"], error=said)
            if current is not None:
                yield chat.item(*current)
                current = None
            if broken is not None:
                ctx.bad(path, broken.where(), broken.why)
                broken = None
            if why is not None:
                broken = _Broken(lineno, why)
                continue
            author, text = _split_author(m["rest"])
            current = (ts, author, [text])
        if current is not None:
            yield chat.item(*current)
        if broken is not None:
            ctx.bad(path, broken.where(), broken.why)


class WhatsAppImporter:
    """WhatsApp ``.txt`` export or the ``.zip`` that wraps it."""

    name = "whatsapp"

    def sniff(self, path: Path, head: bytes) -> bool:
        """The first non-empty line is a WhatsApp header, or a zip holds such a text."""
        if head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(path) as zf:
                    return _zip_member(zf) is not None
            except (zipfile.BadZipFile, OSError):
                return False
        return _looks_like_chat(head)

    def read(self, path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
        """One conversation per file; see the module docstring for the two passes."""
        scan = _scan(path)
        dates, authors, chat_name = scan.dates, scan.authors, scan.chat_name
        if scan.enc.guessed:
            ctx.notice(path, "", NoticeCode.ENCODING_GUESSED, encoding=scan.enc.label)
        order = settle_order(dates, scan.ampm, ctx.dayfirst)
        if not order.proven and dates and order.reason != _DOTS:
            ctx.notice(path, "line 1", NoticeCode.DATE_ORDER_GUESSED, order=order.order, reason=order.reason)
        if chat_name:
            key = f"whatsapp:{chat_name}"
        else:
            digest = hashlib.sha1("\x1f".join(sorted(authors)).encode("utf-8")).hexdigest()[:16]
            key = f"whatsapp:participants:{digest}"
        conv = Conversation(Source.WHATSAPP, key, chat_name, "group" if len(authors) > 2 else None,
                            participants=() if chat_name else tuple(sorted(authors)))
        yield ParsedConversation(conv, _items(path, ctx, _Chat(ctx, order), scan.enc), str(path))
