"""Slack workspace exports ("Export data"): the ``.zip`` or its unzipped folder (FORMATS.md §5).

An export holds ``users.json``, ``channels.json`` (Business exports add ``groups.json``,
``mpims.json`` and ``dms.json``), ``integration_logs.json`` and one folder per channel with
one JSON array of messages per day (``general/2023-04-13.json``). Agencies talk to clients
in Slack Connect channels, so every channel, private channel and DM becomes a conversation
of its own, as the chats of a Telegram full-account export do; a notice names them.

Why the ids are what they are: a later export of the same workspace repeats every
message it shares with an earlier one, so a message's id is its channel's id and its
``ts`` (Slack's own id of a message within a channel), and a conversation's key is
``slack:<team>:<channel id>`` (the team told by ``users.json``): a re-import adds only
the messages that are new, whatever the channels are called by then.

The text is Slack's mrkdwn rendered as a person reads it in Slack: ``<@U123>`` becomes
"@Name" (``users.json``: real name, else display name), ``<#C123|chan>`` "#chan",
``<https://x|label>`` "label (https://x)" as Telegram's text links, and ``&lt; &gt; &amp;``
the characters they stand for; emoji shortcodes stay as written. The rendered text is
what is stored, so evidence offsets point into what the user reads. Joins, topics, bot
posts and the other service subtypes are events, never client messages.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from clientguard.domain import AttachmentKind, Conversation, Event, Message, Sender, Source
from clientguard.errors import InputError, Msg, Where, msg
from clientguard.ingest._common import HEAD_SIZE, chat_message, safe_details, safe_sender
from clientguard.ingest._text import sniff_head
from clientguard.ingest.base import NoticeCode, ParsedConversation, ReadContext

__all__ = ["MESSAGE_SUBTYPES", "SlackImporter", "parse_ts", "render"]

#: A day file's name: one JSON array of a channel's messages per UTC day.
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
#: The lists of conversations an export may hold, with the chat type each gives.
_CHANNEL_LISTS = {
    "channels.json": "channel",
    "groups.json": "private_channel",
    "mpims.json": "group_dm",
    "dms.json": "dm",
}
_META = ("users.json", *_CHANNEL_LISTS, "integration_logs.json")
#: Subtypes that are something a person wrote; every other subtype (channel_join,
#: channel_topic, bot_message, pinned_item, tombstone…) is a service event.
MESSAGE_SUBTYPES = frozenset({"", "file_share", "thread_broadcast", "me_message"})
#: Slackbot's user id: its posts (reminders, tips) are events.
SLACKBOT = "USLACKBOT"
#: How many conversations the notice names before "…" (a workspace may have hundreds).
NAMED_IN_NOTICE = 20

# Content shapes, looked for in the first bytes of a JSON array.
_DAY_SHAPE = re.compile(rb'"ts"\s*:\s*"\d{9,11}\.\d{1,6}"')
_USERS_SHAPE = re.compile(rb'"team_id"\s*:\s*"[TE][A-Z0-9]+"')
_LIST_SHAPE = re.compile(rb'"id"\s*:\s*"[CGD][A-Z0-9]{6,}"')
_LOG_SHAPE = re.compile(rb'"change_type"\s*:')
_TS = re.compile(r"(\d{1,11})(?:\.(\d{1,6}))?")
_TOKEN = re.compile(r"<([^<>\n]*)>")
#: Slack escapes only these three in message text.
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
_LAST_SECOND = 4_102_444_800  # 2100-01-01: a larger ts is not a time
_BOM = b"\xef\xbb\xbf"


def _array_head(head: bytes) -> bytes | None:
    body = head.removeprefix(_BOM).lstrip()
    return body if body.startswith(b"[") else None


def _is_day(head: bytes) -> bool:
    body = _array_head(head)
    return body is not None and _DAY_SHAPE.search(body) is not None


def _is_meta(head: bytes) -> bool:
    body = _array_head(head)
    if body is None:
        return False
    return bool(_USERS_SHAPE.search(body) or _LIST_SHAPE.search(body) or _LOG_SHAPE.search(body))


# ------------------------------------------------------------------ the export's files


class _Export:
    """The files of one export, by their names relative to its root (``general/2023-04-13.json``).

    A zip and a folder differ only in how a member is read and how its place is named:
    ``export.zip`` + ``general/2023-04-13.json[3].ts``, or the day file itself + ``[3].ts``.
    """

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.days: dict[str, list[str]] = {}
        for name in sorted(names):
            folder, _, leaf = name.rpartition("/")
            if folder and "/" not in folder and _DAY.match(leaf):
                self.days.setdefault(folder, []).append(name)

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        raise NotImplementedError

    def place(self, name: str, where: str) -> tuple[str, str]:
        """``(file, where)`` of a spot in member ``name`` for an error or a notice."""
        raise NotImplementedError

    def whole(self) -> str:
        """The file (or folder) the user gave, for what concerns the whole export."""
        raise NotImplementedError

    def source(self, folder: str) -> str:
        """The file a channel's messages are stored as coming from: the zip, or (unzipped)
        the channel's first day file, a file the store can hash."""
        return self.whole()


class _ZipExport(_Export):
    def __init__(self, path: Path, zf: zipfile.ZipFile, members: dict[str, str]) -> None:
        super().__init__(list(members))
        self.path, self.zf, self.members = path, zf, members

    def read(self, name: str) -> bytes:
        """A member's bytes; a member that does not unpack (a bit flipped on a disk or in a
        copy) is the damaged-zip error at that member, not a library's traceback."""
        try:
            return self.zf.read(self.members[name])
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError):
            raise InputError(msg("ingest.damaged_zip"), Where(str(self.path), name)) from None

    def place(self, name: str, where: str) -> tuple[str, str]:
        return str(self.path), f"{name}{where}"

    def whole(self) -> str:
        return str(self.path)


class _DirExport(_Export):
    def __init__(self, root: Path, names: list[str]) -> None:
        super().__init__(names)
        self.root = root

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()

    def place(self, name: str, where: str) -> tuple[str, str]:
        return str(self.root / name), where

    def whole(self) -> str:
        return str(self.root)

    def source(self, folder: str) -> str:
        return str(self.root / self.days[folder][0])


def _zip_members(zf: zipfile.ZipFile) -> dict[str, str] | None:
    """The members of a Slack export in ``zf`` by their names below the export's root, or None.

    The root is the zip's top, or the one folder around it when the unzipped export was
    zipped again. Told by content: a ``users.json`` or conversation list of Slack's shape,
    or a day file whose records carry Slack's ``ts``.
    """
    from clientguard.ingest.whatsapp import member_name

    names = {member_name(zf, n): n for n in zf.namelist() if not n.endswith("/")}
    roots: Counter[str] = Counter()
    for name in names:
        parts = name.split("/")
        if len(parts) <= 2 and parts[-1] in _META:
            roots["/".join(parts[:-1])] += 2
        elif 2 <= len(parts) <= 3 and _DAY.match(parts[-1]):
            roots["/".join(parts[:-2])] += 1
    for root, _ in roots.most_common():
        prefix = f"{root}/" if root else ""
        found = {n[len(prefix):]: m for n, m in names.items() if n.startswith(prefix)}
        export = _Export(list(found))
        meta = [n for n in ("users.json", *_CHANNEL_LISTS) if n in found]
        first_day = next((days[0] for days in export.days.values()), None)
        try:
            if meta and _is_meta(sniff_head(_zip_head(zf, found[meta[0]]))):
                return found
            if first_day is not None and _is_day(sniff_head(_zip_head(zf, found[first_day]))):
                return found
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            return None
    return None


def _zip_head(zf: zipfile.ZipFile, member: str) -> bytes:
    with zf.open(member) as fh:
        return fh.read(HEAD_SIZE)


def _has_meta(folder: Path) -> bool:
    return any((folder / name).is_file() for name in ("users.json", *_CHANNEL_LISTS))


def _is_export_root(folder: Path) -> bool:
    """Whether ``folder`` is an unzipped export: a ``users.json`` or conversation list of
    Slack's shape, and a folder of day files."""
    meta = [folder / n for n in ("users.json", *_CHANNEL_LISTS) if (folder / n).is_file()]
    return bool(meta) and _is_meta(_file_head(meta[0])) and any(_day_files(d) for d in _subdirs(folder))


def _day_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_file() and _DAY.match(p.name))
    except OSError:
        return []


def _dir_export(path: Path) -> _DirExport:
    """The export a file of an unzipped export belongs to.

    A day file's export is two folders up when that folder holds ``users.json`` or a
    conversation list; a day file found alone (copied out of its export) is read with the
    other days of its channel only, never with whatever else sits two folders up.
    """
    if _DAY.match(path.name) and not _has_meta(path.parent.parent):
        root = path.parent.parent
        return _DirExport(root, [f"{path.parent.name}/{p.name}" for p in _day_files(path.parent)])
    root = path.parent.parent if _DAY.match(path.name) else path.parent
    names: list[str] = []
    for child in sorted(root.iterdir()):
        if child.is_dir():
            names += [f"{child.name}/{p.name}" for p in _day_files(child)]
        elif child.suffix.lower() == ".json" and (child.name in _META or _array_head(_file_head(child))):
            names.append(child.name)
    return _DirExport(root, names)


def _file_head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return sniff_head(fh.read(HEAD_SIZE))
    except OSError:
        return b""


@contextmanager
def _open_export(path: Path) -> Iterator[_Export]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            members = _zip_members(zf)
            yield _ZipExport(path, zf, members or {})
    else:
        yield _dir_export(path)


# ------------------------------------------------------------------ records


def parse_ts(value: Any) -> tuple[str, datetime] | None:
    """Slack's ``ts`` ("1681413317.397479", seconds.microseconds UTC) as id text and time.

    A number (some tools write one) is given six decimals, Slack's own form, so the id
    is the same as the string's. None: not a time (empty, letters, negative, past 2100).
    """
    if isinstance(value, str):
        text = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        text = f"{value:.6f}"
    else:
        return None
    m = _TS.fullmatch(text)
    if m is None:
        return None
    seconds = int(m.group(1))
    if seconds >= _LAST_SECOND:
        return None
    micro = int((m.group(2) or "0").ljust(6, "0"))
    return text, _EPOCH + timedelta(0, seconds, micro)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _fast_ts(text: str) -> tuple[str, datetime] | None:
    """:func:`parse_ts` of Slack's own form ("1681413317.397479"); None for any other."""
    if len(text) != 17 or text[10] != "." or not text.isascii():
        return None
    seconds, micro = text[:10], text[11:]
    if not (seconds.isdigit() and micro.isdigit()):
        return None
    return text, _EPOCH + timedelta(0, int(seconds), int(micro))  # exact, and faster than fromtimestamp


def _person_name(record: Any) -> str | None:
    """The name a person goes by: real name, else display name, else user name."""
    if not isinstance(record, dict):
        return None
    profile = record.get("profile")
    profile = profile if isinstance(profile, dict) else {}
    for value in (record.get("real_name"), profile.get("real_name"), record.get("display_name"),
                  profile.get("display_name"), record.get("name")):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _unescape(text: str) -> str:
    if "&" in text:
        for entity, char in _ENTITIES:
            text = text.replace(entity, char)
    return text


def render(text: str, user: Callable[[str], str | None], channel: Callable[[str], str | None]) -> str:
    """Slack mrkdwn as a person reads it (module docstring); ``user``/``channel`` name an id."""
    if "<" not in text:
        return _unescape(text)
    out: list[str] = []
    at = 0
    for m in _TOKEN.finditer(text):
        out.append(_unescape(text[at:m.start()]))
        at = m.end()
        target, _, label = m.group(1).partition("|")
        label = _unescape(label)
        if target.startswith("@"):
            out.append("@" + (user(target[1:]) or label.lstrip("@") or target[1:]))
        elif target.startswith("#"):
            out.append("#" + (channel(target[1:]) or label.lstrip("#") or target[1:]))
        elif target.startswith("!"):
            special = target[1:]
            if special in ("here", "channel", "everyone"):
                out.append("@" + special)
            elif special.startswith("subteam^"):
                out.append("@" + (label.lstrip("@") or special.removeprefix("subteam^")))
            else:  # <!date^…|fallback>
                out.append(label or special)
        else:
            href = _unescape(target)
            if not label or href in label or href.removeprefix("mailto:") in label:
                out.append(label or href)
            else:
                out.append(f"{label} ({href})")
    out.append(_unescape(text[at:]))
    return "".join(out)


def _attachment(files: Any) -> AttachmentKind:
    """The kind of a message's first file; Slack exports carry only links to files."""
    first = files[0] if isinstance(files, list) and files else None
    if not isinstance(first, dict):
        return AttachmentKind.NONE
    mime = first.get("mimetype")
    mime = mime if isinstance(mime, str) else ""
    if first.get("subtype") == "slack_audio":
        return AttachmentKind.VOICE
    if mime == "image/gif":
        return AttachmentKind.ANIMATION
    for prefix, kind in (("image/", AttachmentKind.PHOTO), ("video/", AttachmentKind.VIDEO),
                         ("audio/", AttachmentKind.AUDIO)):
        if mime.startswith(prefix):
            return kind
    return AttachmentKind.FILE


@dataclass
class _Workspace:
    """Who and what the export names: people, channels, the team."""

    users: dict[str, str | None] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    senders: dict[str, Sender] = field(default_factory=dict)

    def user(self, uid: str) -> str | None:
        return self.users.get(uid)

    def channel(self, cid: str) -> str | None:
        return self.channels.get(cid)

    def sender(self, uid: str, profile: Any) -> Sender:
        """The sender ``uid``, named by ``users.json``, else by the message's ``user_profile``.

        A Slack Connect client's people are often missing from the agency's ``users.json``
        (they belong to another workspace); their messages carry their profile, and the
        name learnt from it also names their later @-mentions.
        """
        found = self.senders.get(uid)
        if found is None:
            name = self.users.get(uid)
            if name is None:
                name = _person_name(profile)
                if name is not None:
                    self.users[uid] = name
            found = self.senders[uid] = safe_sender(uid, name)
        return found

    def text(self, value: Any) -> str:
        return render(value, self.user, self.channel) if isinstance(value, str) else ""


@dataclass
class _Channel:
    """One conversation of the export and the day files that hold it."""

    folder: str
    cid: str | None
    kind: str | None
    title: str
    shown: str = ""


# ------------------------------------------------------------------ reading


class _Reader:
    """One export being read: its metadata loaded once, then one conversation per channel."""

    def __init__(self, export: _Export, ctx: ReadContext) -> None:
        self.ex = export
        self.ctx = ctx
        self.ws = _Workspace()
        self.team = ""

    def bad(self, name: str, where: str, error: str | Msg) -> None:
        file, place = self.ex.place(name, where)
        self.ctx.bad(file, place, error)

    def load(self, name: str, required: bool) -> list[dict[str, Any]]:
        """The records of a metadata list; a missing required one is a broken record."""
        if not self.ex.has(name):
            if required:
                self.ctx.bad(self.ex.whole(), "", msg("ingest.row_missing", fields=name))
            return []
        records = self.array(name)
        if records is None:
            return []
        out: list[dict[str, Any]] = []
        for i, record in enumerate(records):
            if isinstance(record, dict):
                out.append(record)
            else:
                self.bad(name, f"[{i}]", msg("ingest.not_object", kind=type(record).__name__))
        return out

    def array(self, name: str) -> list[Any] | None:
        """A member as a JSON array, or None (reported) when it is not one."""
        return self._array(name, self.ex.read(name))

    def _array(self, name: str, raw: bytes) -> list[Any] | None:
        try:
            data = json.loads(raw.removeprefix(_BOM))
        except (ValueError, UnicodeDecodeError) as exc:
            self.bad(name, "", msg("ingest.broken_json", error=str(exc)))
            return None
        if not isinstance(data, list):
            self.bad(name, "", msg("ingest.not_list", kind=type(data).__name__))
            return None
        return data

    def channels(self) -> list[_Channel]:
        """Every conversation with a day file, in the order of the export's lists."""
        users = self.load("users.json", required=True)
        for u in users:
            uid = u.get("id")
            if isinstance(uid, str):
                self.ws.users[uid] = _person_name(u)
        self.team = self._team(users)
        listed: list[tuple[str, dict[str, Any]]] = []
        for listing, kind in _CHANNEL_LISTS.items():
            listed += [(kind, c) for c in self.load(listing, required=listing == "channels.json")]
        for _, c in listed:
            if isinstance(c.get("id"), str) and isinstance(c.get("name"), str):
                self.ws.channels[c["id"]] = c["name"]
        found: list[_Channel] = []
        taken: set[str] = set()
        for kind, c in listed:
            cid, name = _text_or_none(c.get("id")), _text_or_none(c.get("name"))
            folder = next((f for f in (name, cid) if f and f in self.ex.days and f not in taken), None)
            if folder is None:
                continue  # a channel without a message in the export's dates
            taken.add(folder)
            members = c.get("members")
            members = [m for m in members if isinstance(m, str)] if isinstance(members, list) else []
            people = [self.ws.user(m) or m for m in members]
            if kind in ("dm", "group_dm") and people:
                title, shown = ", ".join(people), " + ".join(f"@{p}" for p in people)
            else:
                title = name or folder
                shown = f"#{title}"
            shared = bool(c.get("is_ext_shared") or c.get("is_shared") or c.get("is_org_shared"))
            found.append(_Channel(folder, cid, "shared_channel" if shared else kind, title, shown))
        for folder in self.ex.days:  # a folder no list names (or no list at all): read it too
            if folder not in taken:
                found.append(_Channel(folder, None, None, folder, shown=f"#{folder}"))
        return found

    def _team(self, users: list[dict[str, Any]]) -> str:
        """The workspace's team id: the one most of ``users.json`` belongs to.

        Without ``users.json`` (read under ``--skip-bad``) the first message's ``team``
        names it; else a hash of the export's folder names, the best a broken export gives.
        """
        teams = Counter(t for t in (_text_or_none(u.get("team_id")) for u in users) if t is not None)
        if teams:
            return min(teams.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        for days in self.ex.days.values():
            for name in days:
                try:
                    records = json.loads(self.ex.read(name).removeprefix(_BOM))
                except (ValueError, UnicodeDecodeError):
                    continue
                for r in records if isinstance(records, list) else []:
                    if isinstance(r, dict) and isinstance(r.get("team"), str) and r["team"]:
                        return str(r["team"])
                break
        digest = hashlib.sha1("\x1f".join(sorted(self.ex.days)).encode("utf-8")).hexdigest()[:16]
        return f"export-{digest}"

    def conversation(self, ch: _Channel) -> Conversation:
        ident = ch.cid or f"name:{ch.folder}"
        return Conversation(Source.SLACK, f"slack:{self.team}:{ident}", ch.title, ch.kind)

    def items(self, ch: _Channel) -> Iterator[Message | Event]:
        prefix = ch.cid or f"name:{ch.folder}"
        for name in self.ex.days[ch.folder]:
            raw = self.ex.read(name)
            records = self._array(name, raw)
            if records is None:
                continue
            yield from self._day(name, records, prefix, b'"message_changed"' in raw)

    def _day(self, name: str, records: list[Any], prefix: str, changes: bool) -> Iterator[Message | Event]:
        """The records of one day file (``changes``: it holds ``message_changed`` records).

        The hot loop: a plain message by a user (most of them) takes the short path, with
        Slack's own ``ts`` form parsed without a regex.
        """
        edits, applied = _edits(records) if changes else ({}, set())
        ws = self.ws
        senders, users, channels = ws.senders, ws.user, ws.channel
        for i, m in enumerate(records):
            if type(m) is not dict:
                self.bad(name, f"[{i}]", msg("ingest.not_object", kind=type(m).__name__))
                continue
            raw_ts = m.get("ts")
            parsed = _fast_ts(raw_ts) if type(raw_ts) is str else None
            if parsed is None:
                if i in applied:  # an edit already applied to the message it edits
                    continue
                if "ts" not in m:
                    self.bad(name, f"[{i}].ts", msg("ingest.row_missing", fields="ts"))
                    continue
                parsed = parse_ts(raw_ts)
                if parsed is None:
                    self.bad(name, f"[{i}].ts", msg("ingest.unix_seconds", value=raw_ts))
                    continue
            elif applied and i in applied:
                continue
            ts, when = parsed
            sid = f"{prefix}:{ts}"
            if edits:
                newer = edits.get(i)
                if newer is not None:
                    m = {**m, **newer}
            uid = m.get("user")
            subtype = m.get("subtype")
            if subtype is not None or type(uid) is not str or uid == SLACKBOT or "bot_id" in m \
                    or m.get("type", "message") != "message":
                kind = _service_kind(m, uid)
                if kind is not None:
                    yield self._event(sid, m, when, kind)
                    continue
            sender = senders.get(uid) if type(uid) is str else None
            if sender is None:
                sender = ws.sender(uid if isinstance(uid, str) else "unknown", m.get("user_profile"))
            thread = m.get("thread_ts")
            reply_to = f"{prefix}:{thread}" if type(thread) is str and thread != ts else None
            edited_at = m.get("edited")
            edited = parse_ts(edited_at.get("ts")) if type(edited_at) is dict else None
            files = m.get("files")
            if files:
                attachment = _attachment(files)
            else:
                attachment = AttachmentKind.FILE if subtype == "file_share" else AttachmentKind.NONE
            text = m.get("text")
            if type(text) is str:
                if "<" in text or "&" in text:
                    text = render(text, users, channels)
            else:
                text = ""
            yield chat_message(sid, sender, when, text, reply_to, edited[1] if edited else None, None,
                               attachment)

    def _event(self, sid: str, m: dict[str, Any], when: datetime, kind: str) -> Event:
        uid = m.get("user")
        actor: Sender | None
        if isinstance(uid, str):
            actor = self.ws.sender(uid, m.get("user_profile"))
        elif isinstance(m.get("bot_id"), str):
            bot = m.get("bot_profile")
            name = m.get("username") or (bot.get("name") if isinstance(bot, dict) else None)
            actor = safe_sender(m["bot_id"], name if isinstance(name, str) else None)
        else:
            actor = None
        details = {"text": self.ws.text(m.get("text"))}
        if isinstance(m.get("username"), str):
            details["name"] = m["username"]
        return Event(sid, kind, when, actor, safe_details({k: v for k, v in details.items() if v}))


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _service_kind(m: dict[str, Any], uid: Any) -> str | None:
    """The event kind of a record that is not something a person wrote, else None.

    A post by an integration (``bot_id``, with or without a user: apps post as their bot
    user too) is a ``bot_message`` even without the subtype (older exports), and one by
    Slackbot (``USLACKBOT``: reminders, tips) is ``slackbot``: neither is the client's
    word. A record of another ``type`` keeps its type.
    """
    subtype = m.get("subtype") or ""
    if not isinstance(subtype, str):
        return str(subtype)
    if subtype not in MESSAGE_SUBTYPES:
        return subtype
    kind = m.get("type", "message")
    if kind != "message":
        return str(kind or "unknown")
    if m.get("bot_id"):
        return "bot_message"
    if uid == SLACKBOT:
        return "slackbot"
    return None


def _is_change(record: Any) -> bool:
    return isinstance(record, dict) and record.get("subtype") == "message_changed"


def _edits(records: list[Any]) -> tuple[dict[int, dict[str, Any]], set[int]]:
    """Edits (``message_changed``) of a day's messages, applied to the message they edit.

    Slack's own export writes the latest text with an ``edited`` mark; tools that write
    the change events instead get the same result when the edit is in the same day file:
    index of the edited message → its newer fields, and the indexes of the edits so used.
    An edit of a message of another day stays an event.
    """
    by_ts = {r.get("ts"): i for i, r in enumerate(records) if isinstance(r, dict) and not _is_change(r)}
    found: dict[int, dict[str, Any]] = {}
    used: set[int] = set()
    for i, r in enumerate(records):
        if not _is_change(r):
            continue
        newer = r.get("message")
        target = by_ts.get(newer.get("ts")) if isinstance(newer, dict) else None
        if target is None or not isinstance(newer, dict):
            continue
        fields = {k: newer[k] for k in ("text", "files", "edited") if k in newer}
        fields.setdefault("edited", {"ts": r.get("ts")})
        found[target] = {**found.get(target, {}), **fields}
        used.add(i)
    return found, used


class SlackImporter:
    """A Slack workspace export: the ``.zip`` or its unzipped folder; one conversation per channel."""

    name = "slack"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A zip holding a Slack export, or a file of an unzipped one (by its JSON's shape)."""
        if head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(path) as zf:
                    return _zip_members(zf) is not None
            except (zipfile.BadZipFile, OSError):
                return False
        if _is_day(head):
            return True
        # users.json, a channel list or another list Slack writes beside them (canvases,
        # huddles…): a file of an export when its folder is one
        return _array_head(head) is not None and _is_export_root(path.parent)

    def parts(self, path: Path) -> set[Path]:
        """Every file of the unzipped export ``path`` belongs to (a folder import reads it once)."""
        if zipfile.is_zipfile(path):
            return {path}
        ex = _dir_export(path)
        return {ex.root / n for n in ex.names} | {path}

    def read(self, path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
        """Every channel, private channel and DM of the export that ``path`` is or belongs to."""
        with _open_export(path) as ex:
            reader = _Reader(ex, ctx)
            found = reader.channels()
            if len(found) > 1:
                names = [c.shown for c in found[:NAMED_IN_NOTICE]]
                names += ["…"] if len(found) > NAMED_IN_NOTICE else []
                ctx.notice(ex.whole(), "", NoticeCode.SLACK_CONVERSATIONS, count=len(found),
                           names=", ".join(names))
            for ch in found:
                yield ParsedConversation(reader.conversation(ch), reader.items(ch), ex.source(ch.folder))


def _subdirs(folder: Path) -> list[Path]:
    try:
        return [d for d in folder.iterdir() if d.is_dir()]
    except OSError:
        return []

