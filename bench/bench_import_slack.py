"""Import speed of a Slack workspace export: a generated 100,000-record export zip into SQLite.

Run: python bench/bench_import_slack.py [--messages N] [--repeat R] [--channels C] [--folder]

The export is generated here (seeded): C channels (a quarter of them Slack Connect), about
40 users, one day file per channel per day with ~120 records each; messages carry mrkdwn
mentions, links and escapes, every 8th is a thread reply, every 40th is edited, every
50th is a service record (join, topic, bot post). Prints, best of R runs each: a bare
``json.loads`` of every day file, the importer alone (``read_path`` iterated, nothing
stored) and the import end to end (open + migrate + parse + roles + insert + evidence hook
+ commit), as wall and CPU seconds and records/s. ``--folder`` reads the unzipped export.
Target, as for Telegram: >= 50,000 records/s end to end.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import best  # one way to time a run, as the Telegram bench

from clientguard.ingest import read_path
from clientguard.ingest.base import ReadContext
from clientguard.store import open_store

ME = "U000ME0001"
PER_DAY = 120
WORDS = [
    "пост", "сторис", "охваты", "бриф", "правки", "макет", "дедлайн", "оплата", "счёт", "договор",
    "контент-план", "рилс", "post", "story", "reach", "brief", "edits", "mockup", "deadline", "invoice",
    "contract", "caption", "reels", "approve",
]


def generate(folder: Path, records: int, channels: int, seed: int = 1) -> Path:
    """An unzipped export of ``records`` day-file records in ``folder``; returns the folder."""
    rnd = random.Random(seed)
    users = [{"id": ME, "team_id": "T0AGENCY1", "name": "me", "real_name": "Мария Соколова",
              "profile": {"real_name": "Мария Соколова", "display_name": "Маша"}}]
    users += [{"id": f"U{i:09d}", "team_id": "T0AGENCY1" if i % 3 else "T0CLIENT9", "name": f"user{i}",
               "real_name": f"Клиент {i}", "profile": {"real_name": f"Клиент {i}", "display_name": ""}}
              for i in range(1, 40)]
    chans = [{"id": f"C{i:09d}", "name": f"ext-client-{i}", "created": 1_700_000_000, "creator": ME,
              "members": [ME, users[i % 39 + 1]["id"]], "is_ext_shared": i % 4 == 0} for i in range(channels)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "users.json").write_text(json.dumps(users, ensure_ascii=False, indent=4), encoding="utf-8")
    (folder / "channels.json").write_text(json.dumps(chans, ensure_ascii=False, indent=4), encoding="utf-8")
    (folder / "integration_logs.json").write_text("[]", encoding="utf-8")
    start = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())
    written, day = 0, 0
    while written < records:
        for ch in chans:
            if written >= records:
                break
            n = min(PER_DAY, records - written)
            base = start + day * 86_400
            out: list[dict[str, Any]] = []
            parent = None
            for k in range(n):
                ts = f"{base + k * 600 + rnd.randrange(600)}.{rnd.randrange(1_000_000):06d}"
                uid = ME if k % 2 else ch["members"][1]
                text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(4, 18)))
                if k % 5 == 0:
                    text = f"<@{ME}> {text}"
                if k % 7 == 0:
                    text += " <https://example.com/brief|бриф> &amp; :fire:"
                rec: dict[str, Any] = {"type": "message", "user": uid, "text": text, "ts": ts,
                                       "team": "T0AGENCY1"}
                if k % 50 == 49:
                    rec = {"type": "message", "subtype": "channel_join", "user": uid, "ts": ts,
                           "text": f"<@{uid}> has joined the channel"}
                elif k % 8 == 0:
                    parent = ts
                    rec["thread_ts"] = ts
                elif k % 8 == 3 and parent is not None:
                    rec["thread_ts"] = parent
                if k % 40 == 7:
                    rec["edited"] = {"user": uid, "ts": f"{base + k * 600 + 599}.000000"}
                out.append(rec)
            day_file = folder / ch["name"] / f"{datetime.fromtimestamp(base, UTC):%Y-%m-%d}.json"
            day_file.parent.mkdir(exist_ok=True)
            day_file.write_text(json.dumps(out, ensure_ascii=False, indent=4), encoding="utf-8")
            written += n
        day += 1
    return folder


def zip_export(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--messages", type=int, default=100_000, help="day-file records (messages + service)")
    ap.add_argument("--channels", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3, help="best of R runs, each into a fresh database")
    ap.add_argument("--folder", action="store_true", help="read the unzipped export instead of the zip")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        folder = generate(tmp / "export", args.messages, args.channels)
        export = folder if args.folder else zip_export(folder, tmp / "export.zip")
        size_mb = sum(p.stat().st_size for p in folder.rglob("*.json")) / 1e6
        counter = iter(range(1_000_000))

        def load() -> None:
            for p in folder.glob("*/*.json"):
                json.loads(p.read_bytes())

        def parse() -> None:
            n = sum(1 for parsed in read_path(export, ReadContext()) for _ in parsed.items)
            assert n == args.messages, n

        def import_() -> None:
            with open_store(f"sqlite:///{tmp / f'db{next(counter)}.sqlite3'}") as store:
                summary = store.import_paths([export], me=[ME])
            assert summary.messages_added + summary.events_added == args.messages

        rows = [
            ("json.loads of the day files", best(load, args.repeat)),
            ("importer only (read_path)", best(parse, args.repeat)),
            ("import end to end", best(import_, args.repeat)),
        ]
    n = args.messages
    kind = "folder" if args.folder else "zip"
    print(f"Slack export ({kind}): {n:,} records in {args.channels} channels, {size_mb:.1f} MB of JSON")
    for name, (wall, cpu) in rows:
        print(f"{name:<30} wall {wall:6.3f} s = {n / wall:>9,.0f}/s   cpu {cpu:6.3f} s = {n / cpu:>9,.0f}/s")
    ew = rows[-1][1][0]
    print(f"target >= 50,000 records/s end to end (wall): {'OK' if n / ew >= 50_000 else 'MISSED'}")


if __name__ == "__main__":
    main()
