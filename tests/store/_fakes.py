"""A tiny fake importer, so store tests do not depend on the real parsers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from clientguard.domain import Conversation, Event, Message, Role, Sender, Source
from clientguard.ingest.base import ParsedConversation, ReadContext

# A fake export is a JSON file:
#   {"key": "tg:1", "title": "Игорь", "type": "personal_chat", "source": "telegram_json",
#    "owner": ["user1", "Анна"] | null,
#    "items": [["m", sid, sender_key, sender_name, iso_ts, text],
#              ["e", sid, kind, iso_ts],
#              "BAD", ...]}
# and "BAD" is reported through ctx.bad with place "items[i]".


def write_export(
    path: Path,
    items: list[Any],
    *,
    key: str = "tg:1",
    title: str | None = "Игорь",
    chat_type: str | None = "personal_chat",
    owner: list[str] | None = None,
) -> Path:
    data = {
        "key": key,
        "title": title,
        "type": chat_type,
        "source": "telegram_json",
        "owner": owner,
        "items": items,
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def msgs(
    start: int,
    stop: int,
    client: tuple[str, str] = ("user2", "Игорь"),
    me: tuple[str, str] = ("user1", "Анна"),
) -> list[Any]:
    """Messages ``start..stop-1``: even ones from the client, odd ones from the user."""
    out: list[Any] = []
    for i in range(start, stop):
        key, name = me if i % 2 else client
        out.append(
            ["m", str(i), key, name, f"2025-09-01T{10 + i // 60:02d}:{i % 60:02d}:00+03:00", f"text {i}"]
        )
    return out


def fake_reader(path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    owner = Sender(*data["owner"]) if data.get("owner") else None
    conv = Conversation(Source(data["source"]), data["key"], data["title"], data["type"], owner)

    def items() -> Iterator[Message | Event]:
        for i, item in enumerate(data["items"]):
            if item == "BAD":
                ctx.bad(path, f"items[{i}]", "expected a message, got BAD")
                continue
            if item[0] == "m":
                _, sid, key, name, ts, body = item
                yield Message(sid, Sender(key, name), datetime.fromisoformat(ts), body, role=Role.CLIENT)
            else:
                _, sid, kind, ts = item
                yield Event(sid, kind, datetime.fromisoformat(ts), None, {"k": "v"})

    yield ParsedConversation(conv, items(), str(path))
