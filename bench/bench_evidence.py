"""Evidence log speed: verifying a million records, and what chaining costs an import.

Run: python bench/bench_evidence.py [--records 1000000] [--messages 100000] [--repeat 3]
     [--invoices 10,100,1000] [--pg URL]

1. ``verify``: times ``verify_client(..., cross_check=False)`` (rows streamed in ``seq``
   order, one tight hashlib loop) on one client's log written straight into a fresh
   SQLite file, in both formats a log may hold: ``--records`` per-message records (the
   format before issue #7, one record per message), and ``--records`` messages chained
   by the import hook as it is now, one ``messages`` record per import chunk
   (``importer.CHUNK`` messages). Target: <= 10 s for 1,000,000 records; both records
   and messages covered are printed.
2. ``import``: a generated Telegram export (``gen_telegram.py``) imported into fresh
   databases with and without the after-import hooks (best of R runs each), plus the CPU
   time spent inside the evidence hooks themselves (messages and service events).
   Target: import with the hooks within 20 % of the import without them. The box is
   shared: CPU time is the steadier figure.
3. ``invoices``: N invoices, each paid the next day, added to one client through the real
   API (``add_invoice``, ``pay_invoice``: one transaction each, the store's record hook
   chaining the row in it), for each N of ``--invoices``; the total, the mean per write
   and the CPU spent inside the record hook and the pre-write check (``invoice paid``
   checks the invoice against its record first), and the same writes without either. The
   hook should cost the same per write at N = 1,000 as at N = 10 (it used to re-read the
   client's every contract, invoice and payment on each write: quadratic in N). SQLite,
   and PostgreSQL too with ``--pg`` (a database URL; a fresh schema, dropped afterwards).
   ``--invoice-log N`` first puts N per-message records (the log's form before issue #7,
   as long as the client's history) on the client's log, and ``--no-ref-index`` drops
   ``ix_evidence_records_ref``: each write looks up its row's last record by ref, which
   without the index scans the client's whole log.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_telegram import generate
from sqlalchemy import Connection, insert

from clientguard.evidence import log as evidence_log
from clientguard.evidence.chain import MESSAGE
from clientguard.evidence.sources import message_payload
from clientguard.evidence.verify import VerifyReport, resolve_client, verify_client
from clientguard.store import NewEvent, NewMessage, hooks, open_store
from clientguard.store.importer import CHUNK
from clientguard.store.models import ClientRow, ConversationRow

_INVOICE_CLIENT = "Кофейня «Пенка»"

ME = "user555666777"  # the specialist in gen_telegram's chats
_TEXTS = (
    "Добрый день! Когда будет готов контент-план?",
    "Сделайте, пожалуйста, ещё одну правку, последнюю.",
    "Hi! Any update on the campaign?",
    "Оплату переведу на следующей неделе, честно.",
)


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def fill(conn: Connection, n: int, legacy: bool, chunk: int) -> int:
    """One client whose log covers ``n`` messages, written ``chunk`` messages at a time.

    ``legacy``: one ``message`` record per message, as the hook wrote before issue #7;
    otherwise through today's hook, one ``messages`` record per chunk.
    """
    client_id = int(
        conn.execute(
            insert(ClientRow)
            .values(name="Bench client", created_at=datetime.now(UTC))
            .returning(ClientRow.id)
        ).scalar_one()
    )
    conv = int(
        conn.execute(
            insert(ConversationRow)
            .values(source="telegram_json", source_key="bench", title="bench", client_id=client_id)
            .returning(ConversationRow.id)
        ).scalar_one()
    )
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    for start in range(0, n, chunk):
        rows: Sequence[NewMessage] = [
            NewMessage(
                i, conv, str(i), "user1", "Игорь Пенкин", None, "client", t0 + timedelta(seconds=37 * i),
                _TEXTS[i % 4], None, None, None, None, "none", None, None, 1,
            )
            for i in range(start + 1, min(n, start + chunk) + 1)
        ]  # fmt: skip
        if legacy:
            created = evidence_log.now_iso()
            evidence_log.append(
                conn, client_id, ((MESSAGE, str(r.id), _payload(r), created, None) for r in rows)
            )
        else:
            evidence_log.after_import(conn, client_id, rows)
    return client_id


def _payload(r: NewMessage) -> str:
    return message_payload(
        r.id, r.conversation_id, r.source_id, r.sender_key, r.sender_name, r.ts_utc, r.text,
        r.original_text, r.reply_to, r.edited, r.forwarded_from, r.attachment, r.subject,
    )  # fmt: skip


def bench_verify(tmp: Path, n: int, legacy: bool) -> None:
    label = "per-message records" if legacy else f"chunk records ({CHUNK:,} messages each)"
    with open_store(f"sqlite:///{tmp / f'verify-{legacy}.sqlite3'}") as store:
        wall_fill = time.perf_counter()
        with store.engine.begin() as conn:
            client_id = fill(conn, n, legacy, 50_000 if legacy else CHUNK)
        wall_fill = time.perf_counter() - wall_fill
        holder: list[VerifyReport] = []

        def run() -> None:
            with store.engine.connect() as conn:
                holder.append(verify_client(conn, client_id, cross_check=False))

        wall, cpu = timed(run)
    report = holder[0]
    records = report.records
    assert report.ok and records == (n if legacy else -(-n // CHUNK)), report
    print(f"verify, {label}: {records:,} records covering {n:,} messages written in {wall_fill:.1f} s")
    print(
        f"verify, {label}: {records:,} records ({n:,} messages) verified in wall {wall:.2f} s, "
        f"cpu {cpu:.2f} s = {records / wall:,.0f} records/s, {n / wall:,.0f} messages/s"
    )
    scale = 1_000_000 / n
    print(
        f"verify target <= 10 s for 1,000,000 {'records' if legacy else 'messages'}: "
        f"wall {'OK' if wall * scale <= 10 else 'MISSED'}, "
        f"cpu {'OK' if cpu * scale <= 10 else 'MISSED'} (wall counts waiting for a busy CPU)"
    )


def bench_import(tmp: Path, n: int, repeat: int) -> None:
    export = generate(tmp / "result.json", n, seed=1)
    counter = iter(range(1_000_000))
    hook_cpu = [0.0]
    real_hook = evidence_log.after_import

    real_events_hook = evidence_log.after_import_events

    def measured(conn: Connection, client_id: int, rows: Sequence[NewMessage]) -> None:
        t = time.process_time()
        real_hook(conn, client_id, rows)
        hook_cpu[0] += time.process_time() - t

    def measured_events(conn: Connection, client_id: int, events: Sequence[NewEvent]) -> None:
        t = time.process_time()
        real_events_hook(conn, client_id, events)
        hook_cpu[0] += time.process_time() - t

    records = [0]

    def import_(count: bool = False) -> None:
        with open_store(f"sqlite:///{tmp / f'db{next(counter)}.sqlite3'}") as store:
            store.import_paths([export], me=[ME])
            if count:  # outside the timed runs
                with store.engine.connect() as conn:
                    sql = "SELECT count(*) FROM evidence_records"
                    records[0] = int(conn.exec_driver_sql(sql).scalar_one())

    def with_hooks() -> None:
        import_()

    def without_hooks() -> None:
        saved = hooks.DEFAULT_AFTER_IMPORT, hooks.DEFAULT_AFTER_IMPORT_EVENTS
        hooks.DEFAULT_AFTER_IMPORT = hooks.DEFAULT_AFTER_IMPORT_EVENTS = ()
        try:
            import_()
        finally:
            hooks.DEFAULT_AFTER_IMPORT, hooks.DEFAULT_AFTER_IMPORT_EVENTS = saved

    runs: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
    for _ in range(repeat):  # interleaved, so that load changes on the box hit both alike
        runs["without"].append(timed(without_hooks))
        runs["with"].append(timed(with_hooks))
    saved = hooks.DEFAULT_AFTER_IMPORT, hooks.DEFAULT_AFTER_IMPORT_EVENTS
    hooks.DEFAULT_AFTER_IMPORT = hooks.DEFAULT_AFTER_IMPORT_EVENTS = ()
    hooks.register_after_import(measured)
    hooks.register_after_import_events(measured_events)
    try:
        import_(count=True)
    finally:
        hooks.unregister_after_import(measured)
        hooks.unregister_after_import_events(measured_events)
        hooks.DEFAULT_AFTER_IMPORT, hooks.DEFAULT_AFTER_IMPORT_EVENTS = saved
    (w0, c0), (w1, c1) = (
        (min(w for w, _ in runs[k]), min(c for _, c in runs[k])) for k in ("without", "with")
    )
    print(f"import: {n:,} records (messages + ~1 % service events), best of {repeat}")
    print(f"import without hooks: wall {w0:6.2f} s  cpu {c0:6.2f} s")
    print(f"import with evidence: wall {w1:6.2f} s  cpu {c1:6.2f} s")
    print(f"overhead: wall {100 * (w1 / w0 - 1):+.1f} %, cpu {100 * (c1 / c0 - 1):+.1f} %; "
          f"inside the hook: cpu {hook_cpu[0]:.2f} s = {1e6 * hook_cpu[0] / n:.1f} µs/message")  # fmt: skip
    print(f"evidence records written by one import: {records[0]:,} for {n:,} messages + events")
    print(f"import target: within 20 %: {'OK' if c1 <= 1.2 * c0 else 'MISSED'} (cpu)")


def _older_log(store_url: str, records: int) -> None:
    """``records`` per-message records (the log's form before issue #7) on the client's chain.

    A log written one record per message is as long as the client's history, and every
    write of a contract, invoice or payment looks up its row's last record by ref in it.
    """
    from clientguard.evidence.log import append, now_iso

    with open_store(store_url) as store, store.engine.begin() as conn:
        cid = resolve_client(conn, _INVOICE_CLIENT)
        created = now_iso()
        append(
            conn, cid, ((MESSAGE, str(10_000_000 + i), f'{{"n":{i}}}', created, None) for i in range(records))
        )


def _add_invoices(
    url: str, n: int, hook: bool, log_records: int = 0, ref_index: bool = True
) -> tuple[float, float]:
    """(wall of the N invoice + N payment writes, CPU inside the record hook and the pre-write
    check of each payment) on a fresh store; ``hook`` False runs neither."""
    from datetime import date

    from clientguard.contracts.repo import add_invoice, pay_invoice

    spent = [0.0]
    real, real_check = evidence_log.after_record, evidence_log.before_record

    def measured(*args: object) -> None:
        t = time.process_time()
        real(*args)  # type: ignore[arg-type]
        spent[0] += time.process_time() - t

    def measured_check(*args: object) -> None:
        t = time.process_time()
        real_check(*args)  # type: ignore[arg-type]
        spent[0] += time.process_time() - t

    saved, saved_check = hooks.DEFAULT_AFTER_RECORD, hooks.DEFAULT_BEFORE_RECORD
    if not hook:
        hooks.DEFAULT_AFTER_RECORD = hooks.DEFAULT_BEFORE_RECORD = ()
    evidence_log.after_record = measured  # type: ignore[assignment]
    evidence_log.before_record = measured_check  # type: ignore[assignment]
    try:
        with open_store(url) as store:
            store.import_paths([Path(__file__).resolve().parents[1] / "examples" / "sample_chat.json"],
                               client=_INVOICE_CLIENT)  # fmt: skip
            if log_records:
                _older_log(url, log_records)
            if not ref_index:
                with store.engine.begin() as conn:
                    conn.exec_driver_sql("DROP INDEX ix_evidence_records_ref")
            issued = date(2025, 1, 1)
            gc.collect()
            wall = time.perf_counter()
            for i in range(n):
                day = issued + timedelta(days=i % 300)
                number = f"П-{i + 1}"
                add_invoice(store, _INVOICE_CLIENT, 1000 + i, due=day + timedelta(days=7), issued=day,
                            number=number)  # fmt: skip
                pay_invoice(store, _INVOICE_CLIENT, number, on=day + timedelta(days=1))
            wall = time.perf_counter() - wall
            if hook:
                with store.engine.connect() as conn:
                    report = verify_client(conn, resolve_client(conn, _INVOICE_CLIENT))
                unlisted = {"source_missing"} if log_records else set()  # the made-up message records
                found = [p for p in report.problems if p.what not in unlisted]
                assert not found and report.pending == 0, found[:3]
    finally:
        evidence_log.after_record, evidence_log.before_record = real, real_check
        hooks.DEFAULT_AFTER_RECORD, hooks.DEFAULT_BEFORE_RECORD = saved, saved_check
    return wall, spent[0]


def bench_invoices(
    tmp: Path, sizes: Sequence[int], pg: str | None, log_records: int = 0, ref_index: bool = True
) -> None:
    counter = iter(range(1_000_000))
    for name in ("sqlite", "postgresql") if pg else ("sqlite",):
        for n in sizes:
            urls = []
            for _ in range(2):
                if name == "sqlite":
                    urls.append(f"sqlite:///{tmp / f'inv{next(counter)}.sqlite3'}")
            with _pg_schemas(pg if name == "postgresql" else None, 2) as schemas:
                urls = urls or schemas
                w0, _ = _add_invoices(urls[0], n, hook=False, log_records=log_records, ref_index=ref_index)
                w1, h1 = _add_invoices(urls[1], n, hook=True, log_records=log_records, ref_index=ref_index)
            writes = 2 * n
            older = f", {log_records:,} older per-message records on the log" if log_records else ""
            print(
                f"invoices, {name}{'' if ref_index else ' without ix_evidence_records_ref'}{older}: "
                f"{n:,} invoices + {n:,} payments ({writes:,} writes): "
                f"wall {w1:.2f} s = {1e3 * w1 / writes:.2f} ms/write with the hook, "
                f"{w0:.2f} s = {1e3 * w0 / writes:.2f} ms/write without; "
                f"inside the hook and check cpu {h1:.3f} s = {1e3 * h1 / writes:.3f} ms/write"
            )


@contextmanager
def _pg_schemas(url: str | None, n: int) -> Iterator[list[str]]:
    """``n`` URLs on fresh PostgreSQL schemas of ``url`` (dropped afterwards); [] without one."""
    if url is None:
        yield []
        return
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    names = [f"cg_bench_{uuid.uuid4().hex[:12]}" for _ in range(n)]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for s in names:
                conn.execute(text(f'CREATE SCHEMA "{s}"'))
        base = make_url(url)
        yield [
            base.update_query_dict({"options": f"-csearch_path={s}"}).render_as_string(hide_password=False)
            for s in names
        ]
    finally:
        with admin.connect() as conn:
            for s in names:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{s}" CASCADE'))
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--records", type=int, default=1_000_000, help="records to verify (0: skip)")
    ap.add_argument("--messages", type=int, default=100_000, help="messages to import (0: skip)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--invoices", default="10,100,1000", help="invoice counts to add (empty: skip)")
    ap.add_argument("--pg", default=None, help="PostgreSQL URL: time the invoices there too")
    ap.add_argument(
        "--invoice-log",
        type=int,
        default=0,
        help="per-message records (the older log form) on the client's log before the invoices",
    )
    ap.add_argument("--no-ref-index", action="store_true",
                    help="drop ix_evidence_records_ref first (what the hook cost before 0004)")  # fmt: skip
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        if args.records:
            bench_verify(tmp, args.records, legacy=True)
            bench_verify(tmp, args.records, legacy=False)
        if args.messages:
            bench_import(tmp, args.messages, args.repeat)
        sizes = [int(x) for x in args.invoices.split(",") if x.strip()]
        if sizes:
            bench_invoices(tmp, sizes, args.pg, args.invoice_log, not args.no_ref_index)


if __name__ == "__main__":
    main()
