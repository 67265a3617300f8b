"""Main-job speed: ``analyze`` of a 100,000-message chat end to end, and the HTML report.

Run: python bench/bench_analyze.py [--messages N] [--report-messages M] [--new-messages K]

The chat is generated here with (almost) every text unique, so that no cache or
de-duplication flatters the numbers: words are drawn from an SMM-chat vocabulary with
a few toxic phrases mixed in. End to end = store import (fresh SQLite) + read +
message signals + profile: the same call ``clientguard analyze`` makes. Targets: 100k
messages ≤ 30 s; the HTML report of a 10k-message chat renders in ≤ 2 s and < 5 MB.

The second case is the common one of issue #4: the 100k chat is already in the store
and a newer export of the same chat arrives (1k messages, the first 10 % of them
already stored): import, then profile the client's WHOLE stored history, which means
message signals over the 100k stored messages too (recomputed, nothing cached).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from clientguard.analysis.pipeline import analyze_path
from clientguard.report import render_html

ME = "user555666777"
CLIENT = "user100200300"
_WORDS = [
    "добрый",
    "день",
    "когда",
    "будет",
    "готов",
    "пост",
    "контент-план",
    "сторис",
    "рилс",
    "баннер",
    "правку",
    "сделайте",
    "пожалуйста",
    "срочно",
    "сегодня",
    "завтра",
    "оплата",
    "счёт",
    "неделе",
    "бюджет",
    "охват",
    "подписчики",
    "таргет",
    "отчёт",
    "договор",
    "почему",
    "спасибо",
    "отлично",
    "вариант",
    "цвет",
    "шрифт",
    "логотип",
    "заявки",
    "клиенты",
    "акция",
    "скидка",
    "цена",
    "дорого",
    "ещё",
    "раз",
]
_SPICE = (
    "вы вообще профи?",
    "нужно вчера!!!",
    "оплачу на следующей неделе",
    "сделайте скидку, у других дешевле",
    "заодно сделайте сайт",
    "мой племянник говорит иначе",
    "давайте без договора",
    "ответьте сейчас",
)
_TZ = ZoneInfo("Europe/Moscow")


def _messages(n: int, seed: int, first_id: int = 1, start: int | None = None) -> list[dict[str, object]]:
    """``n`` Telegram messages of unique texts, ids from ``first_id``, after Unix time ``start``."""
    rng = random.Random(seed)
    ts = 1_700_000_000 - n * 60 if start is None else start
    msgs: list[dict[str, object]] = []
    for i in range(first_id, first_id + n):
        ts += rng.randrange(5, 120)
        client = rng.random() < 0.6
        words = [rng.choice(_WORDS) for _ in range(rng.randint(3, 22))]
        if client and rng.random() < 0.15:
            words.insert(rng.randrange(len(words) + 1), rng.choice(_SPICE))
        words.append(str(i))  # unique text, as in a real chat
        msgs.append(
            {
                "id": i,
                "type": "message",
                "date": datetime.fromtimestamp(ts, UTC).astimezone(_TZ).strftime("%Y-%m-%dT%H:%M:%S"),
                "date_unixtime": str(ts),
                "from": "Мария" if client else "Alex SMM",
                "from_id": CLIENT if client else ME,
                "text": " ".join(words),
                "text_entities": [],
            }
        )
    return msgs


def _write(path: Path, msgs: list[dict[str, object]]) -> Path:
    chat = {"name": "Мария", "type": "personal_chat", "id": 100200300, "messages": msgs}
    path.write_text(json.dumps(chat, ensure_ascii=False), encoding="utf-8")
    return path


def generate(path: Path, n: int, seed: int) -> Path:
    """A Telegram Desktop personal-chat export with ``n`` messages of unique texts."""
    return _write(path, _messages(n, seed))


def newer_export(path: Path, older: Path, n: int, seed: int) -> Path:
    """The same chat exported later: the last 10 % of ``n`` already in ``older``, the rest new."""
    old = json.loads(older.read_text(encoding="utf-8"))["messages"]
    overlap = old[-(n // 10) :] if n >= 10 else []
    last = old[-1]
    new = _messages(n - len(overlap), seed, first_id=int(last["id"]) + 1, start=int(last["date_unixtime"]))
    return _write(path, overlap + new)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the forked stages)."""
    self_, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return self_.ru_utime + self_.ru_stime + kids.ru_utime + kids.ru_stime


def _load() -> str:
    """The 1-minute load average: wall times on a busy machine are not comparable."""
    return f"{os.getloadavg()[0]:.1f}/{os.cpu_count()} CPUs"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--report-messages", type=int, default=10_000)
    ap.add_argument("--new-messages", type=int, default=1_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = generate(Path(tmp) / "big.json", args.messages, seed=1)
        db = f"sqlite:///{Path(tmp) / 'big.sqlite3'}"
        start, cpu0 = time.perf_counter(), _cpu()
        result = analyze_path(big, me=(ME,), db=db)
        total, cpu = time.perf_counter() - start, _cpu() - cpu0
        p = result.profile
        print(
            f"analyze {args.messages:,} messages end to end: {total:.2f} s "
            f"({len(p.messages):,} analysed, labels: {p.label_source}, "
            f"stored (new, existing): {result.stored}) "
            f"-> {'OK' if total <= 30 else 'SLOW'} (target <= 30 s); CPU {cpu:.2f} s, load {_load()}"
        )
        for stage, secs in result.timings.items():
            print(f"  {stage}: {secs:.2f} s")

        newer = newer_export(Path(tmp) / "newer.json", big, args.new_messages, seed=3)
        start, cpu0 = time.perf_counter(), _cpu()
        result = analyze_path(newer, me=(ME,), db=db)
        total, cpu = time.perf_counter() - start, _cpu() - cpu0
        p, h = result.profile, result.history
        print(
            f"analyze a {args.new_messages:,}-message newer export over {args.messages:,} stored: "
            f"{total:.2f} s ({len(p.messages):,} analysed, {h.from_store if h else 0:,} from the store, "
            f"stored (new, existing): {result.stored}) "
            f"-> {'OK' if total <= 30 else 'SLOW'} (target <= 30 s); CPU {cpu:.2f} s, load {_load()}"
        )
        for stage, secs in result.timings.items():
            print(f"  {stage}: {secs:.2f} s")

        small = generate(Path(tmp) / "small.json", args.report_messages, seed=2)
        result = analyze_path(small, me=(ME,), db=f"sqlite:///{Path(tmp) / 'small.sqlite3'}")
        start = time.perf_counter()
        html = render_html(result.profile, "ru", result.case)
        render = time.perf_counter() - start
        size = len(html.encode("utf-8"))
        ok = render <= 2 and size < 5 * 1024 * 1024
        print(
            f"HTML report of {args.report_messages:,} messages: {render:.3f} s, {size / 1e6:.2f} MB "
            f"-> {'OK' if ok else 'FAIL'} (target <= 2 s, < 5 MB)"
        )


if __name__ == "__main__":
    main()
