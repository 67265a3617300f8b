"""Telegram Desktop JSON exports (``result.json``): single chat and full account.

Exports can be gigabytes, so nothing is ``json.load``-ed. A single-chat file streams its
``messages`` array through ijson's fused C ``items`` generator (the fastest path). A
full-account file is fed chunk by chunk into one ijson builder whose partially built
document we watch: every list element that has a successor is complete, so messages are
converted and deleted from the list as soon as they are done (bounded memory) and we
always know which chat they belong to. See FORMATS.md §1 for the layouts handled here;
what the keys of a message mean lives in ``telegram_records.py``.

A file that breaks off (truncated, or JSON broken part-way) raises
:class:`~clientguard.errors.TruncatedFileError` once the parser reaches the break:
messages before it were already streamed, so the only honest outcome is no import at
all, never "the first N messages and one skipped record". Full-account exports leave
out the chats that are nobody's conversation with a client (Saved Messages, bots…) and
say so in a notice.
"""

from __future__ import annotations

import codecs
import io
import queue
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson

from clientguard.domain import Event, Message, Sender
from clientguard.errors import JsonSyntaxError, Msg, TruncatedFileError, Where, msg
from clientguard.ingest._text import TextEncoding, open_utf8, sniff_encoding_whole, strip_controls
from clientguard.ingest.base import NoticeCode, ParsedConversation, ReadContext
from clientguard.ingest.telegram_records import Converter, conversation, flatten_text, owner_of
from clientguard.reasons import told, yajl_reason

__all__ = ["TelegramJsonImporter", "flatten_text"]

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
# Chats of a full-account export that are nobody's conversation with a client (FORMATS.md
# §1.1), imported each would become a "client": chat type → the kind the notice names
# (data/notices.yaml, terms kind.label and kind.why).
NOT_CLIENT_TYPES = {
    "saved_messages": "saved_messages",
    "replies": "replies",
    "verification_codes": "verification_codes",
    "bot_chat": "bot_chat",
    # A channel is one-way posting (news the user follows, or a channel they run for a
    # client): its posts are nobody's messages to the specialist. A client's discussion
    # group is a group chat and is read.
    "public_channel": "channel",
    "private_channel": "channel",
}
# ... and by chat id: Telegram's own service account (login alerts, terms updates)
NOT_CLIENT_IDS = {777000: "service"}


# ---------------------------------------------------------------- single-chat fast path


@dataclass(frozen=True)
class _Break:
    """Where and why yajl stopped: its message and the text around the place.

    yajl writes the place as a snippet under its message: up to 30 bytes before it and 30
    after it (newlines shown as spaces), then ``(right here) ------^`` with the caret
    under the place, always at column 40. That is how a cut-off file (nothing after the
    place: the text ends early) is told from a syntax error in the middle (text goes on),
    and how the place is found again in the file to name its line and column.
    """

    error: str  # "broken JSON: <yajl's first line>", as the messages always said it
    before: bytes = b""
    after: bytes = b""
    #: Whether the message had yajl's snippet (another ijson backend words it otherwise).
    shown: bool = False

    @property
    def ends_early(self) -> bool:
        """The text ends at the place (a cut download, a full disk): nothing follows it."""
        if self.shown:
            return not self.after.strip()
        return "premature EOF" in self.error or "incomplete" in self.error.lower()


#: The caret's column in yajl's verbose message (``yajl_render_error_string``).
_CARET = 40


def _json_error(exc: BaseException) -> _Break:
    """yajl's message on one line (without the snippet and caret under it), and the snippet.

    The CLI prints an input error as one red line; yajl appends the offending text and a
    ``(right here) ------^`` marker on further lines. File, JSON path and byte offset are
    in the ``where`` part of the report already. ijson gives the message as bytes when the
    snippet cuts a multi-byte character, so it is read as bytes.
    """
    arg = exc.args[0] if exc.args else str(exc)
    raw = arg if isinstance(arg, bytes) else str(arg).encode("utf-8", "surrogateescape")
    lines = raw.split(b"\n")
    text = [" ".join(line.decode("utf-8", "replace").split()) for line in lines]
    first = next((line for line in text if line), type(exc).__name__)
    error = "broken JSON: " + first.removeprefix("parse error: ")
    if len(lines) < 3 or b"(right here)" not in lines[2] or lines[2].find(b"^") != _CARET:
        return _Break(error)
    snippet = lines[1]
    # the padding before the text is spaces, so is JSON's own whitespace: the part used to
    # find the place again starts at the first non-space byte (a few bytes less, same place)
    return _Break(error, snippet[:_CARET].lstrip(b" "), snippet[_CARET:], shown=True)


#: Bytes of a word or number besides letters and digits (``-1.5e+3``), or of a UTF-8 letter (>= 0x80).
_WORD = (b".", b"_", b"+", b"-")


def _token_start(buf: bytes, spot: int, floor: int) -> int:
    """Where the token yajl stopped at starts: yajl's place is after it, or inside it.

    A bracket, comma or colon is one byte; a word, number or string is walked back to
    its first byte (a string to its opening quote); never before ``floor``, the start of
    the snippet. So the column is the one a person (and Python's parser) would name.
    """
    if spot > floor and buf[spot - 1:spot] in (b"{", b"}", b"[", b"]", b",", b":"):
        return spot - 1
    i = spot
    while i > floor and (buf[i - 1:i].isalnum() or buf[i - 1:i] in _WORD or buf[i - 1] >= 0x80):
        i -= 1
    if i > floor and buf[i - 1:i] == b'"':
        i -= 1
        if i == spot - 1:  # after a whole string: back to its opening quote
            opening = buf.rfind(b'"', floor, i)
            while opening > floor and buf[opening - 1:opening] == b"\\":
                opening = buf.rfind(b'"', floor, opening - 1)
            i = opening if opening >= floor else i
    return i


def _locate(path: Path, enc: TextEncoding, brk: _Break) -> tuple[int, int, int | None] | None:
    """``(line, column, byte)`` of the place yajl stopped at, read again from the file.

    The place is the first spot whose text around it is yajl's snippet (newlines read as
    spaces, as yajl shows them): the parser stopped at the first bad spot, so an earlier
    copy of the same bytes would have stopped it earlier. Only a broken file is read
    again, so a good import pays nothing for this. ``byte`` is None for a file read
    through a transcoder (Windows-1251, UTF-16): its UTF-8 offsets are not the file's.
    None: not found (a snippet cut by a NUL byte, say); the message then names no line.
    """
    needle = brk.before + brk.after.rstrip(b" ")
    if not needle:
        return None
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    lines, carried, base = 1, 0, 0  # line of buf[0]; characters of that line left behind; offset of buf
    buf = b""
    with _open(path, enc) as fh:
        start = fh.tell() if type(fh) is io.BufferedReader else None
        while chunk := fh.read(_CHUNK):
            buf += chunk
            at = buf.replace(b"\r", b" ").replace(b"\n", b" ").find(needle)
            if at >= 0:
                spot = _token_start(buf, at + len(brk.before), at)
                newline = buf.rfind(b"\n", 0, spot)
                if newline >= 0:
                    column = len(buf[newline + 1:spot].decode("utf-8", "replace")) + 1
                else:
                    column = carried + len(decoder.decode(buf[:spot])) + 1
                byte = None if start is None else start + base + spot
                return lines + buf.count(b"\n", 0, spot), column, byte
            cut = max(len(buf) - len(needle), 0)  # a match may start in the last len(needle) bytes
            newline = buf.rfind(b"\n", 0, cut)
            if newline >= 0:
                lines += buf.count(b"\n", 0, newline + 1)
                decoder.reset()
                carried = len(decoder.decode(buf[newline + 1:cut]))
            else:
                carried += len(decoder.decode(buf[:cut]))
            base += cut
            buf = buf[cut:]
    return None


def _encoding(path: Path) -> TextEncoding:
    """The file's encoding, decided once from its bytes like every text importer's.

    Without this a Windows-1251 re-save reached yajl as invalid UTF-8 and was reported
    as "the file is truncated" at its last byte; undecodable bytes are an encoding error
    naming the byte (:func:`~clientguard.ingest._text.sniff_encoding_whole`).
    """
    with path.open("rb") as fh:
        return sniff_encoding_whole(fh, str(path))


def _open(path: Path, enc: TextEncoding) -> IO[bytes]:
    """The file as UTF-8 bytes: after a UTF-8 BOM (hand-edited files; yajl rejects it), or a
    UTF-16/32, Windows-1251 or KOI8-R file (re-saved in Notepad) transcoded on the fly."""
    fh = path.open("rb")
    try:
        return open_utf8(fh, str(path), enc)
    except BaseException:
        fh.close()
        raise


def _broken_off(
    path: Path, where: str, offset: int, brk: _Break, complete: int | None, enc: TextEncoding | None = None
) -> TruncatedFileError:
    """The error for a file the parser cannot read past ``where`` (see the module docstring).

    ``complete``: how many messages of the chat came before the break (None: the break is
    outside any message list). A file whose text ends at the break is cut off; one whose
    text goes on has a syntax error there (a hand edit, a bad tool), named by line and
    column: a small file used to be "truncated" at its last byte whatever was wrong,
    because the parser had read all of it when it stopped.
    """
    before: Msg | str = "" if complete is None else msg("ingest.complete_before", count=complete)
    if brk.ends_early:
        what = msg("ingest.truncated")
        return TruncatedFileError(msg("ingest.broken_off", what=what, complete=before),
                                  Where(str(path), f"{where} (byte {offset})"))
    found = _locate(path, enc or _encoding(path), brk)
    why = told(brk.error.removeprefix("broken JSON: "), "yajl")
    if found is None:
        what = msg("ingest.unreadable_past", error=yajl_reason(brk.error))
        return JsonSyntaxError(msg("ingest.broken_syntax", what=what, complete=before),
                               Where(str(path), f"{where} (byte {offset})"))
    line, column, byte = found
    what = msg("ingest.syntax_at", line=line, column=column, error=why)
    return JsonSyntaxError(msg("ingest.broken_syntax", what=what, complete=before),
                           Where(str(path), f"{where} (byte {offset if byte is None else byte})"))


def _prescan(fh: IO[bytes]) -> tuple[str, dict[str, Any]]:
    """Layout (``single``/``full``) and the chat's top-level scalars, read from the head.

    Writers put ``name``, ``type``, ``id`` before ``messages``; only for hand-made files
    with another order does this scan on (slowly) to the end for the missing scalars.
    """
    meta: dict[str, Any] = {}
    layout = ""
    for prefix, event, value in _backend.parse(fh, use_float=True):
        if prefix == "messages" and layout == "single" and "messages_event" not in meta:
            meta["messages_event"] = event  # what the messages value starts with
            if "id" in meta:
                return layout, meta
        if prefix == "" and event == "map_key":
            if value in _FULL_KEYS:
                return "full", meta
            if value == "messages":
                layout = "single"
        elif prefix in ("name", "type", "id") and event in ("string", "number", "null"):
            meta[prefix] = value
    return layout or "single", meta


def _read_single(path: Path, ctx: ReadContext, meta: dict[str, Any], enc: TextEncoding) -> ParsedConversation:
    conv = Converter(path, ctx, "")

    def items() -> Iterator[Message | Event]:
        if meta.get("messages_event", "start_array") != "start_array":
            ctx.bad(path, "messages", msg("ingest.not_list", kind=meta["messages_event"]))
            return
        index = -1
        with _open(path, enc) as fh:
            try:
                for index, m in enumerate(_backend.items(fh, "messages.item", use_float=True)):
                    item = conv.convert(m, index)
                    if item is not None:
                        yield item
            except ijson.JSONError as exc:
                where, error = f"messages[{index + 1}]", _json_error(exc)
                raise _broken_off(path, where, fh.tell(), error, index + 1, enc) from None

    return ParsedConversation(conversation(meta, path, "", None), items(), str(path))


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

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self.root: dict[str, Any] | None = None
        self.done = False
        self.error: _Break | None = None
        self.offset = 0
        self.reported = False
        self._broken: set[int] = set()
        self._permit: queue.SimpleQueue[bool] = queue.SimpleQueue()
        self._status: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
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
        if size == 0:  # ijson probes the stream type with read(0)
            return b""
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
            self._status.put(("error", _json_error(exc)))
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
            self.error = detail
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


def _read_full(path: Path, ctx: ReadContext, enc: TextEncoding) -> Iterator[ParsedConversation]:
    with _open(path, enc) as fh:
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
                raise _broken_off(path, "top level", st.offset, st.error, None, enc)
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
    owner = owner_of(root.get("personal_information"))
    index = 0
    while True:
        if chats:
            chat = chats[0]
            if isinstance(chat, dict):
                kind = _not_a_client(st, chat)
                if kind is not None:
                    held = _drain(st, chat, path, f"{section}.list[{index}].")
                    _left_out(ctx, path, f"{section}.list[{index}]", chat.get("name"), kind, held)
                else:
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


def _not_a_client(st: _RootStream, chat: dict[str, Any]) -> str | None:
    """The kind of a chat of a full export that is left out (Saved Messages, bots…), or None to read it."""
    st.wait(lambda: "messages" in chat, chat)  # tdesktop writes name, type and id first
    kind, chat_id = chat.get("type"), chat.get("id")
    known = NOT_CLIENT_TYPES.get(kind) if isinstance(kind, str) else None
    if known is None and type(chat_id) is int:
        known = NOT_CLIENT_IDS.get(chat_id)
    return known


def _left_out(ctx: ReadContext, path: Path, where: str, name: object, kind: str, held: int) -> None:
    """The notice of a left-out chat: its own name when it has one, else what it is."""
    if isinstance(name, str) and name:
        ctx.notice(path, where, NoticeCode.NAMED_CHAT_LEFT_OUT, name=strip_controls(name), kind=kind,
                   messages=held)
    else:
        ctx.notice(path, where, NoticeCode.CHAT_LEFT_OUT, kind=kind, messages=held)


def _drain(st: _RootStream, chat: dict[str, Any], path: Path, prefix: str) -> int:
    """Read past a left-out chat without converting it (memory stays bounded).

    Returns how many records its ``messages`` held, for the notice that says it was left out.
    """
    msgs = chat.get("messages")
    if not isinstance(msgs, list):
        return 0
    base = 0
    while id(msgs) in st.open_ids():
        if st.done:  # the file broke off inside this chat: the same rule as for a read chat
            st.reported = True
            raise _broken_off(path, f"{prefix}messages[{base + max(len(msgs) - 1, 0)}]", st.offset,
                              st.error or _Break("premature EOF"), None)
        if len(msgs) > 1:
            base += len(msgs) - 1
            del msgs[:-1]  # the last one may still be being built
        st.feed()
    held = base + len(msgs)
    msgs.clear()
    return held


def _open_chat(st: _RootStream, chat: dict[str, Any], path: Path, ctx: ReadContext, prefix: str,
               owner: Sender | None) -> ParsedConversation:
    st.wait(lambda: "messages" in chat, chat)
    if "id" not in chat:  # unusual key order: buffer this chat until its scalars are known
        st.wait(lambda: False, chat)
    conv = Converter(path, ctx, prefix)

    def items() -> Iterator[Message | Event]:
        msgs = chat.get("messages")
        if not isinstance(msgs, list):
            if msgs is not None:
                ctx.bad(path, f"{prefix}messages", msg("ingest.not_list", kind=type(msgs).__name__))
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
                    raise _broken_off(path, f"{prefix}messages[{base}]", st.offset, st.error, base)
                return
            if not is_open:
                return
            st.feed()

    return ParsedConversation(conversation(chat, path, f":{prefix}", owner), items(), str(path))


# ---------------------------------------------------------------- importer


class TelegramJsonImporter:
    """Telegram Desktop ``result.json``, told by a leading ``{"<known key>":``."""

    name = "telegram_json"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A JSON object whose first key is one Telegram Desktop writes first."""
        return bool(_SNIFF.match(head.removeprefix(b"\xef\xbb\xbf")))

    def read(self, path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
        """Stream every chat of the file (one for a single-chat export)."""
        enc = _encoding(path)
        if enc.guessed:
            ctx.notice(path, "", NoticeCode.ENCODING_GUESSED, encoding=enc.label)
        with _open(path, enc) as fh:
            try:
                layout, meta = _prescan(fh)
            except ijson.JSONError as exc:  # broken before the first message: same rule, one message
                raise _broken_off(path, "top level", fh.tell(), _json_error(exc), None, enc) from None
        if layout == "full":
            yield from _read_full(path, ctx, enc)
        else:
            yield _read_single(path, ctx, meta, enc)
