"""Telegram Desktop HTML exports (``messages.html``, ``messages2.html``, …), FORMATS.md §2.

A fallback for users who exported HTML: it carries no user ids (senders are names) and
no chat id. Given any part or the folder, all parts are read in numeric order as one
conversation. Times come from the ``title`` of the date div with its printed offset;
caveat: tdesktop prints the zone's *standard* offset, so during DST times are one hour
off (prefer the JSON export). Titles without an offset are localised in ``ctx.tz``.
Each part's encoding is decided from its bytes (``_text.sniff_encoding``), not from its
``<meta charset>``: a part re-saved as UTF-16 or Windows-1251 reads correctly, and one that
cannot be decoded is an error naming the line and byte (libxml2 would put U+FFFD instead).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from lxml import html as lhtml

from clientguard.domain import AttachmentKind, Conversation, Event, Message, Sender, Source
from clientguard.errors import InputError, Refusal, Where, msg, refusal
from clientguard.ingest._common import chat_message, localize, path_key, safe_details, safe_sender
from clientguard.ingest._html import element_text
from clientguard.ingest._text import sniff_encoding, undecodable_said
from clientguard.ingest.base import NoticeCode, ParsedConversation, ReadContext
from clientguard.reasons import told

_PART = re.compile(r"^messages(\d*)\.html$")
_TITLE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: UTC([+-])(\d{2}):(\d{2}))?")
_REPLY = re.compile(r"go_to_message(\d+)")
# (substring of a media div class, AttachmentKind): first match wins
_MEDIA = (
    ("photo", AttachmentKind.PHOTO),
    ("sticker", AttachmentKind.STICKER),
    ("voice", AttachmentKind.VOICE),
    ("round", AttachmentKind.VIDEO_MESSAGE),
    ("animated", AttachmentKind.ANIMATION),
    ("video", AttachmentKind.VIDEO),
    ("audio", AttachmentKind.AUDIO),
    ("contact", AttachmentKind.CONTACT),
    ("location", AttachmentKind.LOCATION),
    ("poll", AttachmentKind.POLL),
    ("file", AttachmentKind.FILE),
)
# (regex on the service text, Event kind); the text itself is kept in details
_SERVICE = (
    (re.compile(r"pinned|закрепил", re.I), "pin_message"),
    (re.compile(r"created group|создал\S* групп", re.I), "create_group"),
    (re.compile(r"\binvited\b|пригласил", re.I), "invite_members"),
    (re.compile(r"joined group by link|присоединил\S* .*по ссылке", re.I), "join_group_by_link"),
    (re.compile(r"\bremoved\b|удалил\S* ", re.I), "remove_members"),
    (re.compile(r"\bcall\b|звонок", re.I), "phone_call"),
    (re.compile(r"joined telegram|теперь в telegram", re.I), "joined_telegram"),
    (re.compile(r"changed group title|изменил\S* название", re.I), "edit_group_title"),
)


def parts(path: Path) -> list[Path]:
    """All ``messages*.html`` next to ``path`` (or in it, if a folder), in numeric order."""
    folder = path if path.is_dir() else path.parent
    found = [(int(m.group(1) or 1), p) for p in folder.iterdir() if (m := _PART.match(p.name))]
    if not found and path.is_file():
        return [path]
    return [p for _, p in sorted(found)]


_UTF8_PARSER = lhtml.HTMLParser(encoding="utf-8")


def _load(part: Path, ctx: ReadContext) -> lhtml.HtmlElement:
    """The parsed page, its bytes decoded as :func:`~clientguard.ingest._text.sniff_encoding` says."""
    data = part.read_bytes()  # pages hold at most 1000 messages: small
    enc = sniff_encoding(io.BytesIO(data), str(part))
    if enc.undecodable:  # pages are not line records: one bad byte makes the part unreadable
        text = data.decode("utf-8", "surrogateescape")
        for lineno, line in enumerate(text.split("\n"), 1):
            why = undecodable_said(line)
            if why is not None:
                raise InputError(why, Where(str(part), f"line {lineno}"))
    if enc.guessed:
        ctx.notice(part, "", NoticeCode.ENCODING_GUESSED, encoding=enc.label)
    if enc.codec != "utf-8":
        data = data.decode(enc.codec).encode("utf-8")
    return lhtml.document_fromstring(data, parser=_UTF8_PARSER)


def _classes(el: lhtml.HtmlElement) -> set[str]:
    return set((el.get("class") or "").split())


def _nested(d: lhtml.HtmlElement, el: lhtml.HtmlElement) -> bool:
    """Whether ``d`` sits inside a forwarded or reply block of message ``el``."""
    for a in d.iterancestors():
        if a is el:
            return False
        c = _classes(a)
        if "forwarded" in c or "reply_to" in c:
            return True
    return False


def _child(el: lhtml.HtmlElement, cls: str) -> lhtml.HtmlElement | None:
    """The first descendant with class ``cls`` that belongs to ``el`` itself, not a quote."""
    for d in el.iter("div", "span", "a"):
        if d is not el and cls in _classes(d) and not _nested(d, el):
            return d
    return None


def parse_title(title: str, ctx: ReadContext) -> datetime:
    """``dd.MM.yyyy HH:mm:ss UTC±hh:mm`` → UTC (offset printed, else ``ctx.tz``)."""
    m = _TITLE.match(title.strip())
    if not m:
        raise Refusal(msg("ingest.html_time", title=title))
    d, mo, y, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    try:
        naive = datetime(y, mo, d, h, mi, s)
    except ValueError as exc:  # 31.02, 25:70: Python's words, said in Russian too
        raise Refusal(msg("ingest.html_impossible_time", title=title, error=told(exc, "date"))) from None
    if m.group(7) is None:
        return localize(naive, ctx.tz)
    offset = timedelta(hours=int(m.group(8)), minutes=int(m.group(9)))
    tz = timezone(offset if m.group(7) == "+" else -offset)
    return naive.replace(tzinfo=tz).astimezone(UTC)


class _Reader:
    """Carries the previous sender across ``joined`` messages and across parts."""

    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx
        self.last_sender: Sender | None = None
        self.senders: dict[str, Sender] = {}

    def sender(self, name: str) -> Sender:
        s = self.senders.get(name)
        if s is None:
            s = self.senders[name] = safe_sender(f"name:{name}", name)
        return s

    def items(self, part: Path) -> Iterator[Message | Event]:
        doc = _load(part, self.ctx)
        for div in doc.iter("div"):
            cls = _classes(div)
            if "message" not in cls:
                continue
            raw_id = (div.get("id") or "").removeprefix("message")
            if not re.fullmatch(r"-?\d+", raw_id) or raw_id.startswith("-"):
                continue  # date separators have negative ids; not events
            where = f"div#message{raw_id}"
            try:
                if "service" in cls:
                    yield self._service(div, raw_id)
                elif "default" in cls:
                    yield self._message(div, raw_id)
            except ValueError as exc:  # a Refusal of ours, or an impossible date (Python's words)
                self.ctx.bad(part, where, refusal(exc))

    def _time(self, div: lhtml.HtmlElement) -> datetime | None:
        date = _child(div, "date")
        title = date.get("title") if date is not None else None
        return parse_title(title, self.ctx) if title else None

    def _service(self, div: lhtml.HtmlElement, raw_id: str) -> Event:
        body = _child(div, "body")
        text = element_text(body) if body is not None else ""
        kind = next((k for rx, k in _SERVICE if rx.search(text)), "service")
        return Event(raw_id, kind, self._time(div), None, safe_details({"text": text}))

    def _message(self, div: lhtml.HtmlElement, raw_id: str) -> Message:
        name_el = _child(div, "from_name")
        if name_el is not None:
            self.last_sender = self.sender(" ".join(name_el.text_content().split()))
        if self.last_sender is None:
            raise Refusal(msg("ingest.html_joined"))
        text_el = _child(div, "text")
        fwd_name: str | None = None
        for d in div.iter("div"):
            if "forwarded" in _classes(d):
                inner = next((x for x in d.iter("div") if "from_name" in _classes(x)), None)
                if inner is not None:
                    fwd_name = " ".join((inner.text or "").split()) or " ".join(inner.text_content().split())
                if text_el is None:
                    text_el = next((x for x in d.iter("div") if "text" in _classes(x)), None)
                break
        reply_to = None
        reply = _child(div, "reply_to")
        if reply is not None:
            for a in reply.iter("a"):
                m = _REPLY.search(a.get("href") or "")
                if m:
                    reply_to = m.group(1)
        attachment = AttachmentKind.NONE
        for d in div.iter("div", "a"):
            dcls = " ".join(_classes(d))
            if "media" in dcls or "photo_wrap" in dcls or "sticker" in dcls:
                attachment = next((k for key, k in _MEDIA if key in dcls), AttachmentKind.OTHER)
                if attachment is not AttachmentKind.OTHER:
                    break
        text = element_text(text_el) if text_el is not None else ""
        return chat_message(raw_id, self.last_sender, self._time(div), text, reply_to=reply_to,
                            forwarded_from=fwd_name, attachment=attachment)


class TelegramHtmlImporter:
    """Telegram Desktop ``messages*.html``: an HTML page with ``page_wrap``/``history``."""

    name = "telegram_html"

    def sniff(self, path: Path, head: bytes) -> bool:
        """HTML whose head carries tdesktop's markers (title and page wrapper)."""
        low = head.lower()
        return b"<html" in low and (b"<title>exported data</title>" in low or b'class="page_wrap"' in low)

    def parts(self, path: Path) -> list[Path]:
        """The files this importer reads for ``path`` (so a folder scan reads them once)."""
        return parts(path)

    def read(self, path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
        """All parts as one conversation titled by the page header."""
        files = parts(path)
        first = _load(files[0], ReadContext())  # the title only; its notices come with the items
        header = next((d for d in first.iter("div") if "page_header" in _classes(d)), None)
        title = " ".join(header.text_content().split()) if header is not None else None
        key = f"telegram_html:{title}" if title else f"telegram_html:file:{path_key(files[0].parent)}"
        reader = _Reader(ctx)

        def items() -> Iterator[Message | Event]:
            for part in files:
                yield from reader.items(part)

        yield ParsedConversation(Conversation(Source.TELEGRAM_HTML, key, title), items(), str(files[0]))
