"""Evidence export of a big client: wall time and peak RSS of each format, whole client and one week.

Run: python bench/bench_evidence_export.py [--messages 50000] [--formats html,json,pdf]
     [--periods all,week] [--timeout 600] [--root PATH] [--keep DIR]

A generated Telegram export (``gen_telegram.py``, one personal chat of ``--messages``
messages, ~23 days at 50,000) is imported into a temp SQLite store through the real
importer, then ``clientguard evidence export CLIENT --format F --out FILE`` runs as a child
process per format and period, on a fresh copy of the store each time (the export syncs
the log first, so every run starts from the same state). Each child's wall time and peak
RSS are its own (``os.wait4``), so generating and importing do not count; its CPU time
(user + system) is printed too, the steadier figure on a shared machine.

``--root``: run the exports with the clientguard package of another checkout (a
``git worktree`` of an older commit, for before/after figures); the store is made by
this checkout's importer either way. ``--timeout``: a run still going is killed and
reported as such (the PDF of the whole client did not finish before). ``--keep DIR``
keeps the store and the exported files there (and reuses a store already in it).

``--web json,html``: also download the whole client from the dashboard (a uvicorn child
on a fresh copy of the store, fresh app, so the profile is computed for the download),
streamed to a file here; the row's figures are the server's (start-up included).

Targets: the whole 50,000-message client to PDF in under ~3 minutes and under 1 GB peak;
JSON under 300 MB peak.

Figures (50,000 messages, whole client, 2 shared cores, load 3-5; before = the code of
f04afc0 for the CLI, of f620842 for the dashboard, run with ``--root``):

=========  =====================  =====================  ======================
run        before (CPU s / peak)  after (CPU s / peak)   ac87935 -> 603399b
=========  =====================  =====================  ======================
json       10.4 s / 407 MB        10.4 s / 345 MB        10.0 s / 348 -> 297 MB
html       11.3 s / 406 MB        12.5 s / 347 MB        10.6 s / 345 -> 296 MB
pdf        33.9 s / 496 MB        34.8 s / 483 MB        31.0 s / 483 -> 404 MB
web-json    8.6 s / 711 MB (x2)    8.5 s / 304 MB (4/5)     8.0 s / 304 -> 292 MB (x2; one 371)
web-html   11.9 s / 540 MB (x2)    9.9 s / 303-304 MB
=========  =====================  =====================  ======================

The CLI's first drop: the messages are flagged first and the client profile dropped before
the log is read (``evidence.export.flags_first``). What was left at the JSON's peak,
measured with tracemalloc: ~80 MB the interpreter and its libraries, ~60 MB native code of
numpy, scipy and the morphology dictionaries, ~125 MB the analysis models and rule sets
(kept cached by ``clientguard.nlp`` once loaded: the char n-gram trie alone was 43 MB of
int64, 21 MB resident), and either the profile's transient (~100 MB: every message as a
domain object, 1.2 KB each, its analysis and its in-context copy) or, after it, the
chronology (~72 MB: each message's logged JSON, 32 MB, its parsed text and the entries).
The second (last column, CPU time unchanged, the files the same but for their time):
the trie is uint16 node ids with int32 tables (43 -> 11 MB, scores bit-identical,
``bench_signals.py`` speed the same; the int32 step alone took the JSON 346 -> 340 MB); and
``evidence.dispute.prepare`` without a profile (the CLI) calls
``clientguard.nlp.api.release()`` once the flags are computed, so the chronology is read
without the models (340 -> 297 MB). The peak is now the profile's own, with the models
still loaded (``compute_profile`` analyses, then builds the profile; releasing between
the two would need that function to change). The dashboard's drop: the body is no longer
built whole (it was the JSON as a str and as bytes at once, the HTML a third time), and
the web passes its cached profile, so nothing else is computed; it keeps its models.

The third (RSS sampled every 10 ms in the process, the main thread's stack at the
maximum): the peak was inside ``build_profile`` (``risk.assess``), 308 MB, with the models
still loaded. ``compute_profile(..., release_models=True)`` (the CLI export's
``flags_first`` only) releases them once the messages are labelled, the stored messages
are streamed into ``assemble`` instead of listed, and only the labelled copies outlive
``label``. The peak is now shared by the labelling (the models plus every message and its
analysis) and the chronology, each ~10 MB under it. Same bytes (files compared but for
their time). Before = f03c5fd, after = the change on it, alternated on one store, load 4-7:

=========  ==========================  =========================
run        before (CPU s / peak)       after (CPU s / peak)
=========  ==========================  =========================
json (x3)  9.8, 9.2, 9.1 s / 290-297   9.7, 8.8, 9.0 s / 254-255
html        9.8 s / 289 MB              9.4 s / 255 MB
pdf        29.1 s / 403 MB             28.8 s / 391 MB
json week   7.2, 6.9 s / 290 MB         7.2, 7.5 s / 254-255 MB
web-json   10.0, 7.4 s / 364, 287 MB    7.4, 7.5 s / 287 MB (models kept, as before)
=========  ==========================  =========================
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CLIENT = "Клиент ООО Ромашка"  # gen_telegram's personal chat
ME = "user555666777"
#: One week inside gen_telegram's history of 50,000 messages (it ends 2023-11-14).
WEEK = ("2023-11-01", "2023-11-07")


def make_store(messages: int, db: Path) -> None:
    sys.path.insert(0, str(HERE))
    from gen_telegram import generate

    from clientguard.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        export = generate(Path(tmp) / "result.json", messages, seed=3)
        with open_store(f"sqlite:///{db}") as store:
            summary = store.import_paths([export], me=[ME])
    print(
        f"store: {summary.messages_added:,} messages + {summary.events_added:,} events imported "
        f"in {time.perf_counter() - start:.0f} s ({db.stat().st_size / 1e6:.0f} MB)"
    )


def run_export(
    root: Path, db: Path, out: Path, fmt: str, period: tuple[str, str] | None, timeout: float
) -> tuple[float, float, float, int | None, str]:
    """(wall s, CPU s, peak RSS MB, exit code or None when killed, last output line) of one export."""
    args = ["evidence", "export", CLIENT, "--format", fmt, "--out", str(out), "--db", f"sqlite:///{db}"]
    if period:
        args += ["--since", period[0], "--until", period[1]]
    code = "import sys; from clientguard.cli import main; sys.argv[0] = 'clientguard'; main()"
    env = os.environ | {"PYTHONPATH": str(root), "CLIENTGUARD_LANG": "ru"}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *args], cwd=root, env=env, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        lines = log.read().decode("utf-8", "replace").strip().splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, None if killed else proc.returncode, lines[-1] if lines else ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_download(
    root: Path, db: Path, out: Path, fmt: str, timeout: float
) -> tuple[float, float, float, int | None, str]:
    """(wall s, CPU s, peak RSS MB, HTTP status or None when killed, note) of one dashboard download.

    The dashboard runs as a child process (uvicorn, one worker, a fresh app: the client's
    profile is computed for the download as on a first visit); this process downloads
    ``/clients/ID/evidence.FMT`` to ``out`` piece by piece, then stops the server and reads
    its peak RSS (``os.wait4``): start-up, the profile and the export.
    """
    import sqlite3
    import urllib.request

    with sqlite3.connect(db) as conn:
        (cid,) = conn.execute("SELECT id FROM clients WHERE name = ?", (CLIENT,)).fetchone()
    port = free_port()
    code = (
        "import uvicorn; from clientguard.web.app import create_app; "
        "from clientguard.web.settings import WebConfig; from pathlib import Path; "
        f"cfg = WebConfig(db_url={f'sqlite:///{db}'!r}, secret='bench', "
        f"upload_dir=Path({str(db.parent / 'up')!r})); "
        f"uvicorn.run(create_app(cfg), host='127.0.0.1', port={port}, log_level='warning')"
    )
    env = os.environ | {
        "PYTHONPATH": str(root),
        "CLIENTGUARD_LANG": "ru",
        "CLIENTGUARD_HOME": str(db.parent / "home"),
    }
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    status: int | None = None
    note = ""
    try:
        while True:  # the server is up when its port answers
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - start > 60:
                    return time.perf_counter() - start, 0.0, 0.0, None, "the server did not start"
                time.sleep(0.2)
        begun = time.perf_counter()
        url = f"http://127.0.0.1:{port}/clients/{cid}/evidence.{fmt}"
        with urllib.request.urlopen(url, timeout=timeout) as resp, out.open("wb") as fh:
            status = resp.status
            note = f"{resp.headers.get('Content-Type')}, length {resp.headers.get('Content-Length')}"
            while chunk := resp.read(1 << 16):
                fh.write(chunk)
        wall = time.perf_counter() - begun
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        _pid, _status, usage = os.wait4(proc.pid, 0)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, status, note


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--messages", type=int, default=50_000)
    ap.add_argument("--formats", default="html,json,pdf")
    ap.add_argument("--periods", default="all,week", help="all (the whole client) and/or week")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--root", type=Path, default=ROOT, help="checkout whose clientguard runs the export")
    ap.add_argument("--keep", type=Path, help="directory for the store and the files (store reused)")
    ap.add_argument(
        "--web",
        default="",
        help="also download these formats (json,html) from the dashboard: server peak RSS",
    )
    args = ap.parse_args()

    tmp = None
    if args.keep:
        work = args.keep
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory()
        work = Path(tmp.name)
    pristine = work / f"store-{args.messages}.sqlite3"
    if not pristine.exists():
        make_store(args.messages, pristine)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"exports by {args.root}, {when}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    heads = ("wall s", "CPU s", "peak MB", "file MB")
    print(f"{'format':6} {'period':6} " + " ".join(f"{h:>8}" for h in heads) + "  exit  last line")
    try:
        for period_name in filter(None, args.periods.split(",")):
            period = None if period_name == "all" else WEEK
            for fmt in args.formats.split(","):
                db = work / "run.sqlite3"
                shutil.copyfile(pristine, db)
                out = work / f"export-{period_name}.{fmt}"
                out.unlink(missing_ok=True)
                wall, cpu, peak, code, last = run_export(args.root, db, out, fmt, period, args.timeout)
                size = out.stat().st_size / 1e6 if out.exists() else 0.0
                shown = "killed" if code is None else str(code)
                print(
                    f"{fmt:6} {period_name:6} {wall:8.1f} {cpu:8.1f} {peak:8.0f} {size:8.1f}  {shown:>4}  "
                    f"{last[:100]}",
                    flush=True,
                )
        for fmt in filter(None, args.web.split(",")):
            db = work / "run.sqlite3"
            shutil.copyfile(pristine, db)
            out = work / f"download.{fmt}"
            out.unlink(missing_ok=True)
            wall, cpu, peak, status, note = run_download(args.root, db, out, fmt, args.timeout)
            size = out.stat().st_size / 1e6 if out.exists() else 0.0
            shown = "-" if status is None else str(status)
            row = f"{'web-' + fmt:6} {'all':6} {wall:8.1f} {cpu:8.1f} {peak:8.0f} {size:8.1f}"
            print(f"{row}  {shown:>4}  {note}", flush=True)
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
