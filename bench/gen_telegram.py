"""Generate a realistic Telegram Desktop ``result.json`` for speed and memory tests.

Why a generator and not a checked-in file: benchmarks need 100k–1M messages (hundreds
of MB), and the store engineer reuses the same deterministic data for end-to-end import
timings. The shape follows FORMATS.md §1: one-space indentation, literal UTF-8, plain
string ``text`` for unformatted runs and entity lists for ~10 % of messages, ~1 % service
messages, replies, edits, media placeholders, DST-crossing dates.

Usage::

    python bench/gen_telegram.py out.json --messages 100000 --seed 1 [--full-account]
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

_RU = [
    "Добрый день! Когда будет готов контент-план?",
    "Сделайте, пожалуйста, ещё одну правку, последнюю.",
    "Почему пост до сих пор не опубликован??",
    "Оплату переведу на следующей неделе, честно.",
    "Нам нужно срочно, прямо сегодня вечером.",
    "Спасибо, всё отлично 👍",
    "Это вообще не то, что мы обсуждали.",
    "Можно добавить ещё пару сторис в рамках бюджета?",
]
_EN = [
    "Hi! Any update on the campaign?",
    "Can you just make the logo bigger?",
    "We need this ASAP, like yesterday.",
    "Invoice received, will pay next month.",
    "Great job, thanks!",
    "That's not what we agreed on.",
]
_SERVICE = ["pin_message", "phone_call", "invite_members", "edit_group_title", "topic_created"]
_PLACEHOLDER = "(File not included. Change data exporting settings to download.)"
_TZ = ZoneInfo("Europe/Berlin")  # has DST, so `date` offsets change inside the file


def _local(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).astimezone(_TZ).strftime("%Y-%m-%dT%H:%M:%S")


def _entities(rng: random.Random, text: str) -> list[dict[str, Any]]:
    cut = rng.randrange(1, max(2, len(text)))
    return [
        {"type": "bold", "text": text[:cut]},
        {"type": "plain", "text": text[cut:] + " "},
        {"type": "text_link", "text": "ТЗ", "href": "https://example.com/brief"},
    ]


def _message(rng: random.Random, msg_id: int, ts: int, users: list[tuple[str, str]]) -> dict[str, Any]:
    name, uid = users[rng.randrange(len(users))]
    if rng.random() < 0.01:
        action = _SERVICE[rng.randrange(len(_SERVICE))]
        svc: dict[str, Any] = {
            "id": msg_id, "type": "service", "date": _local(ts), "date_unixtime": str(ts),
            "actor": name, "actor_id": uid, "action": action,
        }
        if action == "phone_call":
            svc["duration_seconds"] = rng.randrange(5, 900)
            svc["discard_reason"] = "hangup"
        elif action == "pin_message":
            svc["message_id"] = max(1, msg_id - rng.randrange(1, 50))
        elif action == "invite_members":
            svc["members"] = [users[0][0]]
        elif action in ("edit_group_title", "topic_created"):
            svc["title"] = "Проект «Весна»"
        svc["text"] = ""
        svc["text_entities"] = []
        return svc
    pool = _RU if rng.random() < 0.6 else _EN
    text = pool[rng.randrange(len(pool))]
    if rng.random() < 0.3:
        text = text + " " + pool[rng.randrange(len(pool))]
    msg: dict[str, Any] = {"id": msg_id, "type": "message", "date": _local(ts), "date_unixtime": str(ts)}
    if rng.random() < 0.05:
        edited = ts + rng.randrange(10, 3600)
        msg["edited"] = _local(edited)
        msg["edited_unixtime"] = str(edited)
    msg["from"] = name
    msg["from_id"] = uid
    if msg_id > 1 and rng.random() < 0.15:
        msg["reply_to_message_id"] = max(1, msg_id - rng.randrange(1, 30))
    roll = rng.random()
    if roll < 0.03:
        msg["photo"] = _PLACEHOLDER
        msg["width"], msg["height"] = 1280, 960
    elif roll < 0.04:
        msg["file"] = _PLACEHOLDER
        msg["media_type"] = "voice_message"
        msg["duration_seconds"] = rng.randrange(1, 120)
    if rng.random() < 0.1:
        ents = _entities(rng, text)
        msg["text"] = [e if e["type"] != "plain" else e["text"] for e in ents]
        msg["text_entities"] = ents
    else:
        msg["text"] = text
        msg["text_entities"] = [{"type": "plain", "text": text}]
    return msg


def _write_chat(out: Any, rng: random.Random, n: int, chat_id: int, start_id: int, indent: str) -> None:
    users = [("Мария Клиентова", "user100200300"), ("Alex SMM", "user555666777"), ("Пётр", "user42")]
    out.write(f'{indent}"name": "Клиент ООО Ромашка",\n{indent}"type": "personal_chat",\n')
    out.write(f'{indent}"id": {chat_id},\n{indent}"messages": [')
    ts = 1_700_000_000 - n * 40
    for i in range(n):
        ts += rng.randrange(1, 80)
        body = json.dumps(_message(rng, start_id + i, ts, users), ensure_ascii=False, indent=1)
        out.write(("\n" if i == 0 else ",\n") + body.replace("\n", "\n" + indent))
    out.write(f"\n{indent}]\n")


def generate(path: Path | str, n_messages: int, seed: int = 0, full_account: bool = False) -> Path:
    """Write ``n_messages`` messages to ``path`` (streamed, constant memory); same seed → same bytes."""
    rng = random.Random(seed)
    path = Path(path)
    with path.open("w", encoding="utf-8") as out:
        if not full_account:
            out.write("{\n")
            _write_chat(out, rng, n_messages, 5965280513, 1, " ")
            out.write("}\n")
            return path
        out.write('{\n "about": "Here is the data you requested.",\n')
        out.write(' "personal_information": {\n  "user_id": 555666777,\n  "first_name": "Alex",\n')
        out.write('  "last_name": "SMM"\n },\n "chats": {\n  "about": "chats",\n  "list": [\n   {\n')
        half = n_messages // 2
        _write_chat(out, rng, half, 100200300, 1, "    ")
        out.write('   },\n   {\n')
        _write_chat(out, rng, n_messages - half, 42, 1, "    ")
        out.write('   }\n  ]\n },\n "left_chats": {\n  "about": "left",\n  "list": []\n }\n}\n')
    return path


def main(argv: list[str] | None = None) -> None:
    """CLI wrapper around :func:`generate`."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("path", type=Path)
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--full-account", action="store_true")
    args = ap.parse_args(argv)
    generate(args.path, args.messages, args.seed, args.full_account)


if __name__ == "__main__":
    main()
