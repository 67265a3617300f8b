"""Plain helpers shared by the test packages: paths, the CI skip policy, PostgreSQL plumbing.

A module with a unique name (not a conftest): several test packages have their own
``conftest.py``, and ``from conftest import …`` would pick whichever was imported first.
Import it as ``suite_helpers`` (``tests/`` is on ``sys.path`` through the root conftest).

PostgreSQL comes from ``CLIENTGUARD_TEST_PG`` (default :data:`PG_DEFAULT`). Each test that
needs it gets its own schema (unique name, ``search_path`` set through the URL), so tests
can run in parallel and leave nothing behind. No server: the test is skipped with the
reason, except under ``CI=true``, where a missing server is a failure (CI must run them).
The fixtures themselves live in the conftests of the packages that use them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLIENTGUARD_SHARED", ROOT.parent / "shared"))
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason``; under ``CI=true`` fail instead (a missing service is a bug there)."""
    if in_ci():
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def pg_url() -> str:
    """The server URL the tests use (``CLIENTGUARD_TEST_PG``)."""
    return os.environ.get("CLIENTGUARD_TEST_PG", PG_DEFAULT)


@cache
def _pg_unreachable_reason(url: str) -> str | None:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as exc:  # any failure means "no usable server"
        return f"PostgreSQL not reachable at {url} ({type(exc).__name__}); see tests/README.md"
    return None


def pg_unreachable_reason() -> str | None:
    """None when the server answers, else why not (asked once per session and URL)."""
    return _pg_unreachable_reason(pg_url())


def require_pg() -> None:
    """Skip (fail under ``CI=true``) the calling test when PostgreSQL is not reachable."""
    reason = pg_unreachable_reason()
    if reason is not None:
        skip_or_fail(reason)


@contextmanager
def pg_schema(prefix: str = "cg_test_") -> Iterator[str]:
    """A URL whose connections live in a fresh schema ``<prefix><random>``, dropped afterwards.

    Calls :func:`require_pg` first, so use it from a fixture.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    require_pg()
    schema = f"{prefix}{uuid.uuid4().hex[:16]}"
    admin = create_engine(pg_url(), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(pg_url()).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


def run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Exit status, stdout and stderr (Rich's wrapping undone) of ``clientguard ARGS``.

    Runs the real entry point (``clientguard.cli.main``), so user errors are printed as
    the one-line message a user sees instead of raised.
    """
    import sys

    from clientguard.cli import main

    monkeypatch.setattr(sys, "argv", ["clientguard", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())


#: The specialist and the client of :func:`revision_chat_export`.
REVISION_CHAT_ME = ("Ольга", "user111")
REVISION_CHAT_CLIENT = ("Игорь Петров", "user222")
#: Minutes after the start, sender, text: two revision rounds of the content plan.
REVISION_CHAT = [
    (0, REVISION_CHAT_CLIENT, "Здравствуйте! Нужно вести инстаграм студии, 12 постов в месяц"),
    (30, REVISION_CHAT_ME, "Добрый день! Да, могу."),
    (3 * 1440, REVISION_CHAT_ME, "Отправляю контент-план на сентябрь, посмотрите пожалуйста"),
    (3 * 1440 + 120, REVISION_CHAT_CLIENT, "Переделайте контент-план, мне не нравится"),
    (4 * 1440, REVISION_CHAT_ME, "Вот исправленный вариант контент-плана"),
    (4 * 1440 + 60, REVISION_CHAT_CLIENT, "Опять не то, переделайте контент-план ещё раз"),
]


def revision_chat_export(path: Path) -> Path:
    """A Telegram JSON export of :data:`REVISION_CHAT` from 2026-09-01 10:00 (UTC+3).

    One chat for the report and dashboard tests of revision rounds, invoices and the
    evidence card, so both pages are checked against the same history.
    """
    import json
    from datetime import datetime, timedelta, timezone

    t0 = datetime(2026, 9, 1, 10, 0, tzinfo=timezone(timedelta(hours=3)))
    msgs = []
    for i, (minutes, (name, uid), text) in enumerate(REVISION_CHAT, 1):
        at = t0 + timedelta(minutes=minutes)
        msgs.append({"id": i, "type": "message", "date": at.strftime("%Y-%m-%dT%H:%M:%S"),
                     "date_unixtime": str(int(at.timestamp())), "from": name, "from_id": uid,
                     "text": text, "text_entities": []})  # fmt: skip
    chat = {"name": REVISION_CHAT_CLIENT[0], "type": "personal_chat", "id": 42, "messages": msgs}
    path.write_text(json.dumps(chat, ensure_ascii=False), encoding="utf-8")
    return path


# Modules whose "today" decides whether a payment or a refund date is in the future.
_TODAY_MODULES = ("clientguard.contracts.repo", "clientguard.contracts.invoices", "clientguard.cli.invoice")


def freeze_today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Make ``date.today()`` return ``day`` inside the invoice code for one test.

    Test modules compute their dates from a ``TODAY`` taken at import; a suite that ran past
    midnight then sent "today" as a date the code saw as yesterday or a payment of "today"
    that had become tomorrow, and five invoice tests failed only in runs that crossed
    midnight UTC.
    """
    import importlib

    class _Day(date):
        @classmethod
        def today(cls) -> _Day:
            return cls(day.year, day.month, day.day)

    for name in _TODAY_MODULES:
        monkeypatch.setattr(importlib.import_module(name), "date", _Day)


def run_ok(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, *args: str) -> str:
    """:func:`run_main` on ``db`` that must succeed; its output on one line, no-break spaces as spaces."""
    code, out, err = run_main(monkeypatch, capsys, *args, "--db", db)
    assert code == 0, err
    return " ".join(out.replace("\u00a0", " ").split())
