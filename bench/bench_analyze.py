"""Main-job speed: ``analyze`` of a 100,000-message chat end to end, and the HTML report.

Run: python bench/bench_analyze.py [--messages N] [--report-messages M]

The chat is generated here with (almost) every text unique, so that no cache or
de-duplication flatters the numbers: words are drawn from an SMM-chat vocabulary with
a few toxic phrases mixed in. End to end = store import (fresh SQLite) + read +
message signals + profile: the same call ``clientguard analyze`` makes. Targets: 100k
messages ≤ 30 s; the HTML report of a 10k-message chat renders in ≤ 2 s and < 5 MB.
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


def generate(path: Path, n: int, seed: int) -> Path:
    """A Telegram Desktop personal-chat export with ``n`` messages of unique texts."""
    rng = random.Random(seed)
    ts = 1_700_000_000 - n * 60
    msgs = []
    for i in range(1, n + 1):
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
    path.write_text(
        json.dumps(
            {"name": "Мария", "type": "personal_chat", "id": 100200300, "messages": msgs}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    return path


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
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = generate(Path(tmp) / "big.json", args.messages, seed=1)
        start, cpu0 = time.perf_counter(), _cpu()
        result = analyze_path(big, me=(ME,), db=f"sqlite:///{Path(tmp) / 'big.sqlite3'}")
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
