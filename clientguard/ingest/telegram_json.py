"""Telegram Desktop JSON exports (``result.json``): single chat and full account.

Exports can be gigabytes, so nothing is ``json.load``-ed. A single-chat file streams its
``messages`` array through ijson's fused C ``items`` generator (the fastest path). A
full-account file is fed chunk by chunk into one ijson builder whose partially built
document we watch: every list element that has a successor is complete, so messages are
converted and deleted from the list as soon as they are done (bounded memory) and we
always know which chat they belong to. See FORMATS.md §1 for the layouts handled here.
"""

from __future__ import annotations

import hashlib
import queue
import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from clientguard.domain import AttachmentKind, Conversation, Event, Message, Sender, Source
from clientguard.ingest._common import SeenInts, chat_message, localize, path_key
from clientguard.ingest.base import ParsedConversation, ReadContext

try:  # the C backend is ~10x faster; fall back to whatever ijson picked
    from ijson.backends import yajl2_c as _backend
except ImportError:  # pragma: no cover - depends on the platform wheel
    _backend = ijson

_CHUNK = 1 << 16
_SNIFF = re.compile(
    rb'^\s*\{\s*"(name|type|id|messages|about|personal_information|profile_pictures|stories|'
    rb'contacts|frequent_contacts|sessions|web_sessions|other_data|chats|left_chats)"\s*:'
)
_FULL_KEYS = {"about", "personal_information", "profile_pictures", "stories", "contacts",
              "frequent_contacts", "sessions", "web_sessions", "other_data", "chats", "left_chats"}
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


class _Converter:
    """Turns message dicts of one chat into domain objects; remembers used ids."""

    def __init__(self, path: Path, ctx: ReadContext, where_prefix: str) -> None:
        self.path = path
        self.ctx = ctx
        self.where_prefix = where_prefix
        self.seen = SeenInts()
        self.dups: dict[str, int] = {}
        self.senders: dict[tuple[Any, Any], Sender] = {}

    def _bad(self, index: int, field: str, error: str) -> None:
        self.ctx.bad(self.path, f"{self.where_prefix}messages[{index}]{field}", error)

    def _time(self, m: dict[str, Any], key: str, index: int) -> datetime | None:
        """``<key>_unixtime`` (UTC truth) unless absent/scrubbed, else ``<key>`` in ctx.tz."""
        unix = m.get(key + "_unixtime")
        if isinstance(unix, str) and unix and not _NO_TIME.match(unix):
            try:
                return datetime.fromtimestamp(int(unix), UTC)
            except (ValueError, OverflowError, OSError):
                self._bad(index, f".{key}_unixtime", f"expected unix seconds, got {unix!r}")
                raise _Skip from None
        local = m.get(key)
        if local is None:
            return None
        try:
            return localize(datetime.fromisoformat(local), self.ctx.tz)
        except (TypeError, ValueError):
            self._bad(index, f".{key}", f"expected YYYY-MM-DDTHH:MM:SS, got {local!r}")
            raise _Skip from None

    def _sender(self, sid: Any, name: Any) -> Sender:
        # ids stay strings: "user123", bare ints (old exports) and anonymised "userA1…" alike
        sid_s = str(sid) if sid is not None else (f"name:{name}" if name else "unknown")
        return Sender(sid_s, name if isinstance(name, str) else None)

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
            self._bad(index, "", f"expected an object, got {type(m).__name__}")
            return None
        try:
            if m.get("type", "message") != "message":
                return self._other(m, index)
            unix = m.get("date_unixtime")
            if type(unix) is str and unix.isdigit() and unix[0] != "0":
                ts: datetime | None = _fromtimestamp(int(unix), UTC)
            else:
                ts = self._time(m, "date", index)
            ents = m.get("text_entities")
            if type(ents) is list and len(ents) == 1 and type(ents[0]) is dict and \
                    ents[0].get("type") == "plain" and type(ents[0].get("text")) is str:
                text: str = ents[0]["text"]
            else:
                text = _message_text(m)
            attachment = AttachmentKind.NONE
            if "photo" in m:
                attachment = AttachmentKind.PHOTO
            elif "media_type" in m:
                attachment = _MEDIA_TYPES.get(m["media_type"], AttachmentKind.FILE)
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
            sender_key = (m.get("from_id"), m.get("from"))
            try:
                sender = self.senders[sender_key]
            except (KeyError, TypeError):  # TypeError: an unhashable (broken) from_id
                sender = self._sender(sender_key[0], sender_key[1] or m.get("author"))
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
                kind=str(m.get("action") or "service"),
                timestamp=ts,
                actor=self._sender(*actor) if actor != (None, None) else None,
                details=details,
            )
        details = {"type": str(kind)} if kind != "unsupported" else {}
        return Event(source_id=self._source_id(m, ""), kind="unsupported", timestamp=ts, details=details)


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


def _conversation(meta: dict[str, Any], path: Path, fallback: str, owner: Sender | None) -> Conversation:
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
        title=name if isinstance(name, str) else None,
        chat_type=meta.get("type") if isinstance(meta.get("type"), str) else None,
        owner=owner,
    )


def _owner(info: Any) -> Sender | None:
    """The exporting account of a full export: ``personal_information.user_id``."""
    if not isinstance(info, dict) or info.get("user_id") is None:
        return None
    name = " ".join(str(info[k]) for k in ("first_name", "last_name") if info.get(k)) or None
    return Sender(f"user{info['user_id']}", name)


# ---------------------------------------------------------------- single-chat fast path


def _prescan(fh: BinaryIO) -> tuple[str, dict[str, Any]]:
    """Layout (``single``/``full``) and the chat's top-level scalars, read from the head.

    Writers put ``name``, ``type``, ``id`` before ``messages``; only for hand-made files
    with another order does this scan on (slowly) to the end for the missing scalars.
    """
    meta: dict[str, Any] = {}
    layout = ""
    for prefix, event, value in _backend.parse(fh, use_float=True):
        if prefix == "" and event == "map_key":
            if value in _FULL_KEYS:
                return "full", meta
            if value == "messages":
                layout = "single"
                if "id" in meta:
                    return layout, meta
        elif prefix in ("name", "type", "id") and event in ("string", "number", "null"):
            meta[prefix] = value
    return layout or "single", meta


def _read_single(path: Path, ctx: ReadContext, meta: dict[str, Any]) -> ParsedConversation:
    conv = _Converter(path, ctx, "")

    def items() -> Iterator[Message | Event]:
        index = -1
        with path.open("rb") as fh:
            try:
                for index, m in enumerate(_backend.items(fh, "messages.item", use_float=True)):
                    item = conv.convert(m, index)
                    if item is not None:
                        yield item
            except ijson.JSONError as exc:
                ctx.bad(path, f"messages[{index + 1}] (near byte {fh.tell()})", f"broken JSON: {exc}")

    return ParsedConversation(_conversation(meta, path, "", None), items(), str(path))


# ---------------------------------------------------------------- full-account path


class _Stop(Exception):
    """Internal: raised inside the parser thread when the reader was abandoned."""


class _RootStream:
    """ijson's fused C builder run chunk by chunk; ``root`` is the document built so far.

    Why a thread: the fused generator (``items(file, "")``) is about twice as fast as the
    push/coroutine API, but it only returns at the end of the document. So it runs in a
    helper thread whose ``read()`` hands over control after every chunk: strict
    alternation (never concurrent), so the reader can inspect and trim the partially
    built lists between chunks exactly as with a coroutine.
    """

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self.root: dict[str, Any] | None = None
        self.done = False
        self.error: str | None = None
        self.offset = 0
        self.reported = False
        self._broken: set[int] = set()
        self._permit: queue.SimpleQueue[bool] = queue.SimpleQueue()
        self._status: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self._started = False
        self._reads = 0
        self._thread = threading.Thread(target=self._run, name="telegram-json-parser", daemon=True)

    def _new_map(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        if self.root is None:
            self.root = d
        return d

    def read(self, size: int = -1) -> bytes:
        """Called by the parser thread: report the previous chunk done, wait, hand the next."""
        if self._reads:
            self._status.put(("chunk", ""))
        self._reads += 1
        if not self._permit.get():
            raise _Stop
        chunk = self._fh.read(_CHUNK)
        self.offset += len(chunk)
        return chunk

    def _run(self) -> None:
        try:
            for _ in _backend.items(self, "", map_type=self._new_map, use_float=True, buf_size=_CHUNK):
                pass
            self._status.put(("end", ""))
        except _Stop:
            self._status.put(("stopped", ""))
        except ijson.JSONError as exc:
            self._status.put(("error", str(exc)))
        except BaseException as exc:  # a bug: surface it in the reader, don't hang it
            self._status.put(("crash", f"{type(exc).__name__}: {exc}"))

    def feed(self) -> None:
        """Let the parser consume one more chunk; on broken JSON remember where and stop."""
        if self.done:
            return
        if not self._started:
            self._started = True
            self._thread.start()
        self._permit.put(True)
        kind, detail = self._status.get()
        if kind == "chunk":
            return
        if kind == "error":
            self._broken = self.open_ids()
            self.error = f"broken JSON near byte {self.offset}: {detail}"
        self.done = True
        if kind == "crash":
            raise RuntimeError(f"Telegram JSON parser thread failed: {detail}")

    def close(self) -> None:
        """Stop the parser thread if the reader is abandoned before the end."""
        if self._started and not self.done:
            self.done = True
            self._permit.put(False)
            self._status.get()
        if self._started:
            self._thread.join(timeout=5)

    def open_ids(self) -> set[int]:
        """ids of the containers still being built: the chain of last children from the root."""
        if self.done:
            return self._broken
        ids: set[int] = set()
        node: Any = self.root
        while isinstance(node, (dict, list)):
            ids.add(id(node))
            if not node:
                break
            node = node[-1] if isinstance(node, list) else next(reversed(node.values()))
        return ids

    def wait(self, ready: Callable[[], bool], container: Any) -> None:
        """Feed until ``ready()`` or ``container`` is complete."""
        while not ready() and not self.done and id(container) in self.open_ids():
            self.feed()


def _read_full(path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
    with path.open("rb") as fh:
        st = _RootStream(fh)
        try:
            while st.root is None and not st.done:
                st.feed()
            root = st.root if st.root is not None else {}
            done_sections: set[str] = set()
            while True:
                for section in ("chats", "left_chats"):
                    if section in root and section not in done_sections:
                        done_sections.add(section)
                        yield from _read_section(st, root, section, path, ctx)
                if st.done:
                    break
                st.feed()
            if st.error and not st.reported:
                ctx.bad(path, f"byte {st.offset}", st.error)
        finally:
            st.close()


def _read_section(st: _RootStream, root: dict[str, Any], section: str, path: Path,
                  ctx: ReadContext) -> Iterator[ParsedConversation]:
    sec = root[section]
    if not isinstance(sec, dict):
        return
    st.wait(lambda: "list" in sec, sec)
    chats = sec.get("list")
    if not isinstance(chats, list):
        return
    owner = _owner(root.get("personal_information"))
    index = 0
    while True:
        if chats:
            chat = chats[0]
            if isinstance(chat, dict):
                pc = _open_chat(st, chat, path, ctx, f"{section}.list[{index}].", owner)
                yield pc
                for _ in pc.items:  # drain what the consumer left, to keep the stream in step
                    pass
            del chats[0]
            index += 1
            continue
        if st.done or id(chats) not in st.open_ids():
            return
        st.feed()


def _open_chat(st: _RootStream, chat: dict[str, Any], path: Path, ctx: ReadContext, prefix: str,
               owner: Sender | None) -> ParsedConversation:
    st.wait(lambda: "messages" in chat, chat)
    if "id" not in chat:  # unusual key order: buffer this chat until its scalars are known
        st.wait(lambda: False, chat)
    conv = _Converter(path, ctx, prefix)

    def items() -> Iterator[Message | Event]:
        msgs = chat.get("messages")
        if not isinstance(msgs, list):
            return
        base = 0
        while True:
            is_open = id(msgs) in st.open_ids()
            complete = len(msgs) - 1 if is_open else len(msgs)
            for j in range(max(complete, 0)):
                item = conv.convert(msgs[j], base + j)
                if item is not None:
                    yield item
            if complete > 0:
                del msgs[:complete]
                base += complete
            if st.done:
                if is_open and st.error:
                    st.reported = True
                    ctx.bad(path, f"{prefix}messages[{base}]", st.error)
                return
            if not is_open:
                return
            st.feed()

    return ParsedConversation(_conversation(chat, path, f":{prefix}", owner), items(), str(path))


# ---------------------------------------------------------------- importer


class TelegramJsonImporter:
    """Telegram Desktop ``result.json``, told by a leading ``{"<known key>":``."""

    name = "telegram_json"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A JSON object whose first key is one Telegram Desktop writes first."""
        return bool(_SNIFF.match(head.removeprefix(b"\xef\xbb\xbf")))

    def read(self, path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
        """Stream every chat of the file (one for a single-chat export)."""
        with path.open("rb") as fh:
            try:
                layout, meta = _prescan(fh)
            except ijson.JSONError as exc:
                ctx.bad(path, f"near byte {fh.tell()}", f"broken JSON: {exc}")
                return
        if layout == "full":
            yield from _read_full(path, ctx)
        else:
            yield _read_single(path, ctx, meta)
