"""Start-up time of the everyday store commands on a tiny store.

Run: python bench/bench_startup.py [--repeat N] [--only NAME ...]

A user measured ~1 s for ``clients`` and ``invoice list`` and ~2 s for ``analyze
--client``, ``revisions`` and ``evidence export`` on a dozen messages: on data this small
almost all of it is Python start-up (imports, the migration check), not work. The bench
makes a fresh store in a temporary folder (``CLIENTGUARD_HOME``, ``CLIENTGUARD_DB``; the
user's own database is never touched): a 12-message WhatsApp chat written here, imported
with ``--me``, one invoice and a few notes so the evidence log holds ~20 records. Then each
command runs N times in its own ``clientguard`` process; the median wall time and the
median CPU time of the child (user + system, from ``os.wait4``) are printed. The box is
shared: CPU time is the steadier figure. ``version`` is the floor (no store opened).

The children write bytecode to a cache in the temporary folder (``PYTHONPYCACHEPREFIX``,
``PYTHONDONTWRITEBYTECODE`` dropped) and one unmeasured run per command fills it, as an
installed package has its ``.pyc`` files: with ``PYTHONDONTWRITEBYTECODE=1`` (set on the
development box) every clientguard module is compiled from source on every run, which
adds ~0.2-0.4 s a user never pays. ``--no-pyc`` keeps the environment as it is.

``--against DIR`` compares with another checkout (``git worktree add /tmp/old COMMIT``):
the two sides' runs alternate on the same store, so a busy moment of the box hits both.

Median CPU s of 7, ``--against`` bfad7dc (load 4-5, 2 cores), after the holidays module of
the case's country alone (not the ~250 that ``holidays.countries`` imports), the importer
list built on first use (not on every store open) and ``clients`` importing the
analysis's copy rule only for a client with several chats:

====================  ======  =====
command               before  after
====================  ======  =====
version               0.18    0.19
clients               0.57    0.52
invoice list          0.55    0.53
analyze --client      1.32    1.23
revisions             1.33    1.26
evidence export html  1.50    1.38
====================  ======  =====

What is left (``python -X importtime``, cProfile): SQLAlchemy and the store's tables
(~0.15 s, every store command), the NLP models' loading for the commands that analyse
(the char n-gram table, the rule index, the morphology dictionaries), and scipy.sparse,
whose array-API shim imports ``numpy.f2py`` and ``numpy.testing`` (~25 ms).
``clients`` and ``invoice list`` already imported neither numpy nor the analysis models.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLIENT = "Кофейня Пенка"
ME = "Анна SMM"

#: A small invented WhatsApp (Android, Russian) export: greetings, a brief, edits, a payment delay.
CHAT = """\
02.09.2025, 10:01 - Игорь Пенка: Добрый день! Нужны посты на сентябрь, 12 штук
02.09.2025, 10:05 - Анна SMM: Здравствуйте! Пришлю план и смету сегодня
02.09.2025, 15:40 - Анна SMM: План и смета готовы, 45 000 за месяц, две правки на пост
02.09.2025, 18:12 - Игорь Пенка: Ок, согласовано, начинаем
05.09.2025, 11:00 - Анна SMM: Первые три поста на согласование
05.09.2025, 23:47 - Игорь Пенка: Шрифт поменяйте и логотип побольше
06.09.2025, 09:15 - Анна SMM: Поправила, смотрите
06.09.2025, 22:30 - Игорь Пенка: Опять не то, верните как было и сделайте ярче
07.09.2025, 08:02 - Игорь Пенка: И сторис заодно сделайте бесплатно, это же мелочь
09.09.2025, 12:00 - Анна SMM: Выставила счёт на 45 000, срок 15.09
16.09.2025, 10:20 - Анна SMM: Напоминаю про счёт, срок вчера
16.09.2025, 19:55 - Игорь Пенка: Оплатим на следующей неделе, сейчас нет денег
"""

#: (name, arguments after ``clientguard``); ``{out}`` is a file in the temporary folder.
COMMANDS: list[tuple[str, list[str]]] = [
    ("version", ["version"]),
    ("clients", ["clients"]),
    ("invoice list", ["invoice", "list"]),
    ("analyze --client", ["analyze", "--client", CLIENT]),
    ("revisions", ["revisions", CLIENT]),
    ("evidence export html", ["evidence", "export", CLIENT, "--format", "html", "--out", "{out}"]),
]


def clientguard_exe() -> list[str]:
    """The installed script beside this interpreter (what the user runs), else ``-m``."""
    script = Path(sys.executable).with_name("clientguard")
    return [str(script)] if script.exists() else [sys.executable, "-m", "clientguard"]


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process; a failing command stops the bench."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    if proc.stdout:
        proc.stdout.close()
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited {proc.returncode}:\n{out.decode()}\n{err.decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def make_store(exe: list[str], tmp: Path, env: dict[str, str]) -> None:
    chat = tmp / f"WhatsApp Chat with {CLIENT}.txt"
    chat.write_text(CHAT, encoding="utf-8")
    run([*exe, "import", str(chat), "--client", CLIENT, "--me", ME], env)
    run([*exe, "invoice", "add", CLIENT, "45000", "--issued", "2025-09-09", "--due", "2025-09-15"], env)
    for text in (
        "Созвон 03.09: две правки на пост",
        "Встреча 10.09: сторис не входят в смету",
        "Созвон 17.09: оплата на следующей неделе",
    ):
        run([*exe, "note", "add", CLIENT, text, "--kind", "call"], env)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--repeat", type=int, default=7, help="runs per command (median reported)")
    ap.add_argument("--only", nargs="*", default=None, help="command names to run (default: all)")
    ap.add_argument("--no-pyc", action="store_true", help="leave PYTHONDONTWRITEBYTECODE as it is")
    ap.add_argument(
        "--against",
        type=Path,
        default=None,
        help="another checkout (e.g. a git worktree of an older commit): its runs alternate with this one's",
    )
    args = ap.parse_args()
    exe = clientguard_exe()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        env = {
            **os.environ,
            "CLIENTGUARD_HOME": str(tmp / "home"),
            "CLIENTGUARD_LANG": "ru",
            "CLIENTGUARD_DB": f"sqlite:///{tmp / 'cg.sqlite3'}",
            "COLUMNS": "100",
        }
        if not args.no_pyc:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        (tmp / "home").mkdir()
        make_store(exe, tmp, env)
        # PYTHONPATH comes before the editable install's finder, so each side runs its own code.
        trees = {"": env}
        if args.against:
            here = Path(__file__).resolve().parent.parent
            trees = {
                "this": {**env, "PYTHONPATH": str(here)},
                "against": {**env, "PYTHONPATH": str(args.against)},
            }
        cols = " ".join(f"{f'{t} wall':>12} {f'{t} cpu':>12}" for t in trees)
        print(f"{'command':<24} {cols}   (median s of {args.repeat}, {' '.join(exe)})")
        for name, cmd in COMMANDS:
            if args.only and name not in args.only:
                continue
            argv = [*exe, *(a.replace("{out}", str(tmp / "export.html")) for a in cmd)]
            runs: dict[str, list[tuple[float, float]]] = {t: [] for t in trees}
            for tree_env in trees.values():
                run(argv, tree_env)  # warm the page cache and .pyc files
            for _ in range(args.repeat):  # alternated, so a busy moment of the box hits both sides
                for tree, tree_env in trees.items():
                    runs[tree].append(run(argv, tree_env))
            figures = " ".join(
                f"{statistics.median(w for w, _ in r):12.2f} {statistics.median(c for _, c in r):12.2f}"
                for r in runs.values()
            )
            print(f"{name:<24} {figures}", flush=True)


if __name__ == "__main__":
    main()
