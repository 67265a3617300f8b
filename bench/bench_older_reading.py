"""The client page's older-reading notice: what it costs a page build and a cached view.

Run: ``python bench/bench_older_reading.py [--sections 57] [--views 20]``; it runs on an older
tree too (``PYTHONPATH=<tree>``), to compare. One SQLite database, three clients with the
sample chat and the same generated contract (.docx, ``--sections`` 57 ≈ 30 A4 pages, as
bench/bench_contracts.py): ``today`` read by today's reader; ``older`` stored as reader
``late_fee.v1`` read it (a 4 % a day late fee, 30 payment days where the file says 5);
``legacy`` the same with no term origins (a database from before migration 0005).

For each client: the notice alone (``web.older_reading.older_reading``), a page build
(the page's memo dropped before each view, as a database change drops it; the profile
stays cached) and a cached view, median and max of ``--views`` in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_contracts import contract_lines  # noqa: E402

from tests.contracts.builders import make_docx  # noqa: E402

CLAUSE = "Заказчик уплачивает пени в размере 0,1% от суммы задолженности за каждый день просрочки."


def _ms(runs: list[tuple[float, float]]) -> str:
    """Median and max wall time, and median CPU time of the process (steadier on a shared machine)."""
    wall = [w * 1000 for w, _ in runs]
    cpu = statistics.median(c * 1000 for _, c in runs)
    return f"median {statistics.median(wall):6.1f} ms (CPU {cpu:6.1f}), max {max(wall):6.1f} ms"


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sections", type=int, default=57)
    parser.add_argument("--views", type=int, default=20)
    args = parser.parse_args()

    from fastapi.testclient import TestClient
    from sqlalchemy import delete, update

    import clientguard
    from clientguard.contracts import check_contract
    from clientguard.contracts.repo import save_contract
    from clientguard.store import open_store
    from clientguard.store.models_contracts import TermOriginRow
    from clientguard.web.app import create_app
    from clientguard.web.older_reading import older_reading
    from clientguard.web.settings import WebConfig

    print(f"clientguard from {Path(clientguard.__file__).parent}")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        os.environ["CLIENTGUARD_HOME"] = str(home / "home")  # never the user's own data dir
        contract = make_docx(home / "c30.docx", [*contract_lines(args.sections), CLAUSE])
        t0 = time.perf_counter()
        report = check_contract(contract)
        print(f"contract: {contract.stat().st_size} bytes, checked in {time.perf_counter() - t0:.2f} s")
        old = replace(
            report,
            extracted=replace(report.extracted, late_fee_percent_per_day=4.0, payment_due_days=30),
        )
        url = f"sqlite:///{home / 'web.sqlite3'}"
        names = ("today", "older", "legacy")
        with open_store(url) as store:
            for name in names:
                store.import_paths([ROOT / "examples" / "sample_chat.json"], client=name)
                save_contract(store, name, contract, report if name == "today" else old)
                with store.engine.begin() as conn:
                    ids = [r.terms_id for r in conn.execute(TermOriginRow.__table__.select())]
                    if name == "older":
                        conn.execute(
                            update(TermOriginRow)
                            .where(TermOriginRow.terms_id == ids[-1])
                            .values(reader="late_fee.v1")
                        )
                    elif name == "legacy":
                        conn.execute(delete(TermOriginRow).where(TermOriginRow.terms_id == ids[-1]))
            ids_by_name = {c.name: c.id for c in store.clients()}
            for name in names:
                found = older_reading(store, name, "ru")
                runs = [_timed(lambda n=name: older_reading(store, n, "ru")) for _ in range(args.views)]
                print(f"{name:>6} notice: {_ms(runs)}  ({'told' if found else 'nothing to tell'})")
            import clientguard.contracts.reread as reread

            if hasattr(reread, "_READINGS"):  # the file read on every call, as without the cache
                runs = []
                for _ in range(max(3, args.views // 8)):
                    reread._READINGS.clear()
                    runs.append(_timed(lambda: older_reading(store, "older", "ru")))
                print(f" older notice, file read each time: {_ms(runs)}")
        cfg = WebConfig(
            db_url=url,
            secret="bench-secret",
            upload_dir=home / "uploads",
            allowed_hosts=("testserver",),
        )
        app = create_app(cfg)
        with TestClient(app) as web:
            cache = app.state.cg.cache
            for name in names:
                cid = ids_by_name[name]
                assert web.get(f"/clients/{cid}?lang=ru").status_code == 200  # the profile, once
                page = f"/clients/{cid}?lang=ru"

                def view(page: str = page) -> None:
                    assert web.get(page).status_code == 200

                def build(page: str = page) -> None:
                    cache._memo.clear()  # what a database change does to the page
                    cache._fragments.clear()
                    view(page)

                built = [_timed(build) for _ in range(args.views)]
                cached = [_timed(view) for _ in range(args.views)]
                print(f"{name:>6} page built: {_ms(built)};  cached view: {_ms(cached)}")


if __name__ == "__main__":
    main()
