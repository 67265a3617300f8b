"""Telegram Desktop JSON records → domain objects (the adapter half of the importer).

Kept apart from the streaming in ``telegram_json.py`` so each file does one thing: this
one knows what the keys of a message mean (FORMATS.md §1.2–1.4), that one only how to
get message dicts out of a multi-GB file without loading it.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clientguard.domain import AttachmentKind, Conversation, Event, Message, Sender, Source
from clientguard.errors import Msg, msg
from clientguard.ingest._common import SeenInts, chat_message, localize, path_key, safe_details, safe_sender
from clientguard.ingest._text import repair_mojibake, strip_controls
from clientguard.ingest.base import ReadContext

_MEDIA_TYPES = {
    "sticker": AttachmentKind.STICKER,
    "voice_message": AttachmentKind.VOICE,
    "video_message": AttachmentKind.VIDEO_MESSAGE,
    "animation": AttachmentKind.ANIMATION,
    "video_file": AttachmentKind.VIDEO,
    "audio_file": AttachmentKind.AUDIO,
}
_OTHER_MEDIA = (
    ("contact_information", AttachmentKind.CONTACT),
    ("location_information", AttachmentKind.LOCATION),
    ("place_name", AttachmentKind.LOCATION),
    ("poll", AttachmentKind.POLL),
    ("game_title", AttachmentKind.OTHER),
    ("invoice_information", AttachmentKind.OTHER),
    ("todo_list", AttachmentKind.OTHER),
)
# keys of a service message that are not action details
_SERVICE_COMMON = {"id", "type", "date", "date_unixtime", "actor", "actor_id", "action", "text",
                   "text_entities", "edited", "edited_unixtime", "from", "from_id"}
_NO_TIME = re.compile(r"^0+$")
_fromtimestamp = datetime.fromtimestamp


def _run_text(run: Any) -> str:
    """One run of ``text``/``text_entities``; a ``text_link`` keeps its target visibly."""
    if isinstance(run, str):
        return run
    if not isinstance(run, dict):
        return ""
    text = run.get("text")
    text = text if isinstance(text, str) else ""
    href = run.get("href")
    if run.get("type") == "text_link" and isinstance(href, str) and href and href != text:
        return f"{text} ({href})"
    return text


def flatten_text(value: Any) -> str:
    """Plain text of a ``text`` value (string or list of strings and entity objects)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(_run_text(r) for r in value)
    return ""


def _message_text(m: dict[str, Any]) -> str:
    """``text_entities`` when present (authoritative, FORMATS.md §1.3), else ``text``."""
    ents = m.get("text_entities")
    if isinstance(ents, list) and ents:
        if len(ents) == 1:
            return _run_text(ents[0])
        return "".join(_run_text(r) for r in ents)
    if ents == [] and isinstance(m.get("text"), str):
        return m["text"]  # type: ignore[no-any-return]
    return flatten_text(m.get("text"))


class Converter:
    """Turns message dicts of one chat into domain objects; remembers used ids."""

    def __init__(self, path: Path, ctx: ReadContext, where_prefix: str) -> None:
        self.path = path
        self.ctx = ctx
        self.where_prefix = where_prefix
        self.seen = SeenInts()
        self.dups: dict[str, int] = {}
        self.senders: dict[tuple[Any, Any], Sender] = {}

    def _bad(self, index: int, field: str, error: str | Msg) -> None:
        self.ctx.bad(self.path, f"{self.where_prefix}messages[{index}]{field}", error)

    def _time(self, m: dict[str, Any], key: str, index: int) -> datetime | None:
        """``<key>_unixtime`` (UTC truth) unless absent/scrubbed, else ``<key>`` in ctx.tz."""
        unix = m.get(key + "_unixtime")
        if type(unix) is int and unix > 0:  # hand-made files write numbers
            unix = str(unix)
        if isinstance(unix, str) and unix and not _NO_TIME.match(unix):
            try:
                return datetime.fromtimestamp(int(unix), UTC)
            except (ValueError, OverflowError, OSError):
                self._bad(index, f".{key}_unixtime", msg("ingest.unix_seconds", value=unix))
                raise _Skip from None
        local = m.get(key)
        if local is None:
            return None
        try:
            return localize(datetime.fromisoformat(local), self.ctx.tz)
        except (TypeError, ValueError):
            self._bad(index, f".{key}", msg("ingest.local_time", value=local))
            raise _Skip from None

    def _sender(self, sid: Any, name: Any) -> Sender:
        # ids stay strings: "user123", bare ints (old exports) and anonymised "userA1…" alike
        sid_s = str(sid) if sid is not None else (f"name:{name}" if name else "unknown")
        return safe_sender(sid_s, name if isinstance(name, str) else None)

    def _source_id(self, m: dict[str, Any], text: str) -> str:
        raw = m.get("id")
        if type(raw) is int:
            if not self.seen.add(raw):
                return str(raw)
            base, taken = str(raw), 1  # anonymised files repeat ids: keep them apart, in order
        else:
            digest = f"{m.get('date')}|{m.get('date_unixtime')}|{m.get('from_id')}|{text}"
            base, taken = "h" + hashlib.sha1(digest.encode("utf-8")).hexdigest()[:16], 0
        n = self.dups.get(base, taken) + 1
        self.dups[base] = n
        return base if n == 1 else f"{base}#{n}"

    def convert(self, m: Any, index: int) -> Message | Event | None:
        """One record → Message/Event; ``None`` when it was reported as bad and skipped.

        The common case (a plain message with ``date_unixtime`` and one plain run) is
        inlined: this function runs once per message and dominates the parse time.
        """
        if type(m) is not dict:
            self._bad(index, "", msg("ingest.not_object", kind=type(m).__name__))
            return None
        try:
            if m.get("type", "message") != "message":
                return self._other(m, index)
            unix = m.get("date_unixtime")
            # isdecimal, not isdigit ("²" is a digit int() rejects); < 12 digits: within year 9999.
            # Anything else takes the slow path, which reports a bad value instead of crashing.
            if type(unix) is str and unix.isdecimal() and unix[0] != "0" and len(unix) < 12:
                ts: datetime | None = _fromtimestamp(int(unix), UTC)
            else:
                ts = self._time(m, "date", index)
            ents = m.get("text_entities")
            first = ents[0] if type(ents) is list and len(ents) == 1 else None
            if type(first) is dict and first.get("type") == "plain" and type(first.get("text")) is str:
                text: str = first["text"]
            else:
                text = _message_text(m)
            attachment = AttachmentKind.NONE
            if "photo" in m:
                attachment = AttachmentKind.PHOTO
            elif "media_type" in m:
                media = m["media_type"]
                attachment = _MEDIA_TYPES.get(media, AttachmentKind.FILE) if type(media) is str \
                    else AttachmentKind.FILE
                emoji = m.get("sticker_emoji")
                if attachment is AttachmentKind.STICKER and not text and type(emoji) is str:
                    # The sticker's emoji is what the client said ("😡", "🖕", "🙏"): kept as
                    # the text, it is shown, searched and read by the detectors.
                    text = strip_controls(emoji)[:16]
            elif "file" in m:
                attachment = AttachmentKind.FILE
            else:
                for key, att in _OTHER_MEDIA:
                    if key in m:
                        attachment = att
                        if key == "poll" and not text and isinstance(m[key], dict):
                            text = flatten_text(m[key].get("question"))
                        break
            reply = m.get("reply_to_message_id")
            reply_to = None
            if reply is not None:
                peer = m.get("reply_to_peer_id")
                reply_to = str(reply) if peer is None else f"{peer}/{reply}"
            fwd: str | None = None
            if "forwarded_from" in m or "saved_from" in m:
                value = m.get("forwarded_from", m.get("saved_from"))
                fwd = value if isinstance(value, str) else "(hidden)"  # null: author hidden
            sender_key = (m.get("from_id"), m.get("from") or m.get("author"))
            try:
                sender = self.senders[sender_key]
            except (KeyError, TypeError):  # TypeError: an unhashable (broken) from_id
                sender = self._sender(*sender_key)
                if len(self.senders) < 100_000 and _hashable(sender_key):
                    self.senders[sender_key] = sender
            raw = m.get("id")
            source_id = str(raw) if type(raw) is int and not self.seen.add(raw) else self._source_id(m, text)
            edited = self._time(m, "edited", index) if "edited" in m or "edited_unixtime" in m else None
            return chat_message(source_id, sender, ts, text, reply_to, edited, fwd, attachment)
        except _Skip:
            return None

    def _other(self, m: dict[str, Any], index: int) -> Event:
        """Service and unsupported records become Events."""
        kind = m.get("type")
        ts = self._time(m, "date", index)
        if kind == "service":
            actor = m.get("actor_id"), m.get("actor")
            details = {k: _detail(v) for k, v in m.items() if k not in _SERVICE_COMMON}
            text = _message_text(m)
            if text:
                details["text"] = text
            return Event(
                source_id=self._source_id(m, ""),
                kind=strip_controls(str(m.get("action") or "service")),
                timestamp=ts,
                actor=self._sender(*actor) if actor != (None, None) else None,
                details=safe_details(details),
            )
        details = {"type": str(kind)} if kind != "unsupported" else {}
        return Event(source_id=self._source_id(m, ""), kind="unsupported", timestamp=ts,
                     details=safe_details(details))


class _Skip(Exception):
    """Internal: the current record was reported through ctx.bad and must be skipped."""


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _detail(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(flatten_text(v) if not isinstance(v, (int, float)) else str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else str(value)


def conversation(meta: dict[str, Any], path: Path, fallback: str, owner: Sender | None) -> Conversation:
    chat_id = meta.get("id")
    name = meta.get("name")
    if chat_id is not None:
        key = f"telegram:{chat_id}"
    elif isinstance(name, str) and name:
        key = f"telegram:name:{name}"
    else:
        key = f"telegram:file:{path_key(path)}{fallback}"
    return Conversation(
        source=Source.TELEGRAM_JSON,
        source_key=key,
        title=repair_mojibake(name) if isinstance(name, str) else None,
        chat_type=meta.get("type") if isinstance(meta.get("type"), str) else None,
        owner=owner,
    )


def owner_of(info: Any) -> Sender | None:
    """The exporting account of a full export: ``personal_information.user_id``."""
    if not isinstance(info, dict) or info.get("user_id") is None:
        return None
    name = " ".join(str(info[k]) for k in ("first_name", "last_name") if info.get(k)) or None
    return safe_sender(f"user{info['user_id']}", name)
