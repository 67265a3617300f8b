"""Dashboard speed and upload integrity, on loopback only (127.0.0.1), bounded in requests and time.

Run: python bench/bench_web.py [--clients 500] [--big 10000] [--users 20] [--requests 15]
                               [--server-workers 1] [--workers 3] [--uploads 10]
                               [--upload-messages 10000] [--skip-pages] [--skip-uploads]

1. Local mode (SQLite): a portfolio of ``--clients`` clients and one client with ``--big``
   messages, profiles warmed once (timed), then ``--users`` concurrent users each fetching
   the portfolio and the big client's page ``--requests`` times: p50/p95/max per page.
   Target: p95 <= 200 ms at 20 users.
2. Team mode (PostgreSQL + Redis/rq, ``--workers`` rq workers): ``--uploads`` parallel
   uploads of ``--upload-messages``-message Telegram exports (bench/gen_telegram.py);
   every job must finish and the database must hold exactly uploads x messages messages
   for those chats (none lost, none duplicated).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_telegram import generate

ME = "user555666777"  # the specialist in gen_telegram's chats
HOST = "127.0.0.1"
PG = os.environ.get("CLIENTGUARD_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("CLIENTGUARD_BENCH_REDIS", "redis://127.0.0.1:6379/14")
TIME_LIMIT_S = 600


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def chat(path: Path, n: int, seed: int, name: str, chat_id: int) -> Path:
    """A generated export renamed to its own chat (the generator always writes the same one)."""
    generate(path, n, seed=seed)
    text = path.read_text(encoding="utf-8")
    text = text.replace('"name": "Клиент ООО Ромашка"', f'"name": "{name}"', 1)
    text = text.replace('"id": 5965280513', f'"id": {chat_id}', 1)
    path.write_text(text, encoding="utf-8")
    return path


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "clientguard.web.asgi:app",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError("server did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End the process group we started (the server and its worker processes), by its own id."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


async def load(
    base: str, paths: list[str], users: int, per_user: int, client: httpx.AsyncClient | None = None
) -> dict[str, list[float]]:
    """``users`` concurrent loops, each fetching every path ``per_user`` times; latencies in ms."""
    out: dict[str, list[float]] = {p: [] for p in paths}
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    own = client is None
    client = client or httpx.AsyncClient(base_url=base, timeout=60, limits=limits)
    deadline = time.monotonic() + TIME_LIMIT_S / 2

    async def user(i: int) -> None:
        for _ in range(per_user):
            for p in paths[i % len(paths) :] + paths[: i % len(paths)]:
                if time.monotonic() > deadline:
                    return
                t = time.perf_counter()
                r = await client.get(p)
                out[p].append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    raise RuntimeError(f"{p}: HTTP {r.status_code}")

    await asyncio.gather(*(user(i) for i in range(users)))
    if own:
        await client.aclose()
    return out


def pct(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]
    )


def bench_pages(args: argparse.Namespace, tmp: Path) -> None:
    from clientguard.store import open_store
    from clientguard.web.profiles import ProfileCache

    db = f"sqlite:///{tmp / 'web.sqlite3'}"
    files = []
    for i in range(args.clients - 1):
        files.append(chat(tmp / f"c{i}.json", 30 + i % 40, i, f"Клиент {i:03d}", 7_000_000_000 + i))
    big = chat(tmp / "big.json", args.big, 99, "Большой Клиент", 8_000_000_000)
    t = time.perf_counter()
    with open_store(db) as store:
        # One import per chat with its client named: generated chats share their senders.
        for path in [*files, big]:
            store.import_paths(
                [path],
                client=path.read_text(encoding="utf-8")[:200].split('"name": "')[1].split('"')[0],
                me=[ME],
            )
        print(f"import: {args.clients} clients, {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        cache = ProfileCache(store)
        rows = cache.portfolio()
        print(
            f"warm-up: {len(rows)} profiles computed and summaries stored in {time.perf_counter() - t:.1f} s"
        )
        big_id = next(r.id for r in rows if r.name == "Большой Клиент")
        n_big = len(cache.profile(big_id, "Большой Клиент").messages)
    env = os.environ | {"CLIENTGUARD_WEB_DB": db, "CLIENTGUARD_HOME": str(tmp), "CLIENTGUARD_WEB_TEAM": ""}
    port = free_port()
    proc = serve(env, port, args.server_workers)
    base = f"http://{HOST}:{port}"
    try:
        paths = ["/", f"/clients/{big_id}"]
        t = time.perf_counter()
        for _ in range(10):  # until every worker process has built its caches (bounded)
            warm = asyncio.run(load(base, paths, args.users, 2))
            if max(max(v) for v in warm.values()) < 1000:
                break
        print(f"server warm-up ({args.server_workers} server processes): {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        lat = asyncio.run(load(base, paths, args.users, args.requests))
        wall = time.perf_counter() - t
        total = sum(len(v) for v in lat.values())
        print(
            f"load: {args.users} concurrent users, {total} requests in {wall:.1f} s "
            f"({total / wall:.0f} req/s)"
        )
        for p, values in lat.items():
            label = f"portfolio ({args.clients} clients)" if p == "/" else f"client page ({n_big} messages)"
            print(
                f"  {label:<34} n={len(values):<4} p50={pct(values, 50):6.1f} ms  "
                f"p95={pct(values, 95):6.1f} ms  max={max(values):6.1f} ms"
            )
    finally:
        stop(proc)


def bench_uploads(args: argparse.Namespace, tmp: Path) -> None:
    from sqlalchemy import create_engine, func, select, text
    from sqlalchemy.engine import make_url

    from clientguard.store import open_store
    from clientguard.store.models import ConversationRow, MessageRow
    from clientguard.web.auth import add_user

    schema = f"cg_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    try:
        with open_store(url) as store:
            add_user(store, "bench", "owner", "bench-password")
        exports = [
            chat(tmp / f"u{i}.json", args.upload_messages, 1000 + i, f"Загрузка {i}", 9_000_000_000 + i)
            for i in range(args.uploads)
        ]
        env = os.environ | {
            "CLIENTGUARD_WEB_DB": url,
            "CLIENTGUARD_WEB_TEAM": "1",
            "CLIENTGUARD_HOME": str(tmp),
            "CLIENTGUARD_REDIS": REDIS,
            "CLIENTGUARD_SECRET": "bench",
        }
        port = free_port()
        server = serve(env, port, 2)
        workers = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from clientguard.cli import main; main()",
                "worker",
                "--workers",
                str(args.workers),
            ],
            env=env,
            start_new_session=True,
        )
        try:
            asyncio.run(_uploads(f"http://{HOST}:{port}", exports, args))
        finally:
            stop(workers)
            stop(server)
        with open_store(url) as store, store.engine.connect() as conn:
            keys = [f"telegram:{9_000_000_000 + i}" for i in range(args.uploads)]
            rows = conn.execute(
                select(
                    ConversationRow.source_key,
                    func.count(MessageRow.id),
                    func.count(func.distinct(MessageRow.source_id)),
                )
                .join(MessageRow, MessageRow.conversation_id == ConversationRow.id)
                .where(ConversationRow.source_key.in_(keys))
                .group_by(ConversationRow.source_key)
            ).all()
        expected = {k: _messages_in(tmp / f"u{i}.json") for i, k in enumerate(keys)}
        got = {k: (n, d) for k, n, d in rows}
        bad = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != (v, v)}
        total = sum(n for n, _ in got.values())
        print(
            f"uploads: {len(got)}/{args.uploads} chats stored, {total} messages, expected "
            f"{sum(expected.values())}; lost or duplicated: {bad or 'NONE'}"
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _messages_in(path: Path) -> int:
    import json

    return sum(
        1 for m in json.loads(path.read_text(encoding="utf-8"))["messages"] if m.get("type") == "message"
    )


async def _uploads(base: str, exports: list[Path], args: argparse.Namespace) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        page = await client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        await client.post(
            "/login",
            data={"username": "bench", "password": "bench-password", "csrf": csrf.group(1), "next": "/"},
        )
        page = await client.get("/upload")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        t = time.perf_counter()

        async def one(path: Path) -> str:
            r = await client.post(
                "/upload",
                files={"file": (path.name, path.read_bytes())},
                data={"csrf": token.group(1), "kind": "chat"},
                headers={"accept": "application/json"},
            )
            if r.status_code != 202:
                raise RuntimeError(f"upload {path.name}: HTTP {r.status_code} {r.text[:200]}")
            url = r.json()["status_url"]
            while time.perf_counter() - t < TIME_LIMIT_S / 2:
                job = (await client.get(url, headers={"accept": "application/json"})).json()
                if job["status"] in ("done", "failed"):
                    return f"{path.name}: {job['status']} {job.get('error') or ''}".strip()
                await asyncio.sleep(0.5)
            return f"{path.name}: timeout"

        results = await asyncio.gather(*(one(p) for p in exports))
        print(
            f"uploads: {len(exports)} x {args.upload_messages} messages in parallel, "
            f"{args.workers} rq workers: all finished in {time.perf_counter() - t:.1f} s"
        )
        for line in results:
            if not line.endswith("done"):
                print("  ", line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--clients", type=int, default=500)
    ap.add_argument("--big", type=int, default=10_000)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--requests", type=int, default=15)
    ap.add_argument("--server-workers", type=int, default=1, help="uvicorn processes for the page test")
    ap.add_argument("--workers", type=int, default=3, help="rq workers for the upload test")
    ap.add_argument("--uploads", type=int, default=10)
    ap.add_argument("--upload-messages", type=int, default=10_000)
    ap.add_argument("--skip-pages", action="store_true")
    ap.add_argument("--skip-uploads", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cg-bench-web-") as d:
        tmp = Path(d)
        os.environ["CLIENTGUARD_HOME"] = str(tmp)
        if not args.skip_pages:
            bench_pages(args, tmp)
        if not args.skip_uploads:
            bench_uploads(args, tmp)


if __name__ == "__main__":
    main()
