"""Background imports: a job row per upload, run in-process (local) or on rq workers (team).

The same function, :func:`run_job`, runs in both places, so a worker and the local
server import identically. Progress (messages written so far) cannot go to the job row
while the import holds its transaction (on SQLite the write lock), so it goes to a
side channel: a dict in local mode, a Redis key in team mode.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import insert, select, update

from clientguard.errors import (
    AccessError,
    ClientguardError,
    InputError,
    MalformedRecordError,
    StorageError,
    msg,
)
from clientguard.store import ImportProgress, Store, open_store
from clientguard.store.models import ClientRow
from clientguard.store.models_web import JobRow
from clientguard.web.import_notes import NoticeReader, skipped_rows

if TYPE_CHECKING:
    from clientguard.store.records import ImportSummary
    from clientguard.web.auth import User

QUEUE_NAME = "clientguard"
#: Profile precomputes after an upload. Workers take it after :data:`QUEUE_NAME`, so an
#: upload queued behind a finished one starts at once instead of waiting for its profiles.
WARM_QUEUE: Final = "clientguard-profiles"
# What an upload can be: a chat export to import, or a contract to check and store.
JOB_KINDS: Final = ("chat", "contract")
_local_progress: dict[str, int] = {}
_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()
_log = logging.getLogger(__name__)


def _store(db_url: str) -> Store:
    """One store per URL per process: workers run many jobs, engines are pooled."""
    with _stores_lock:
        if db_url not in _stores:
            _stores[db_url] = open_store(db_url)
        return _stores[db_url]


def create_job(store: Store, kind: str, filename: str, client: str | None, user_id: int | None) -> str:
    job_id = uuid.uuid4().hex
    with store.engine.begin() as conn:
        conn.execute(
            insert(JobRow).values(
                id=job_id,
                kind=kind,
                status="queued",
                user_id=user_id,
                filename=filename,
                client=client,
                progress=0,
                created_at=datetime.now(UTC),
            )
        )
    return job_id


def _progress_sink(job_id: str, redis_url: str | None) -> Any:
    if redis_url is None:

        def local(p: ImportProgress) -> None:
            _local_progress[job_id] = p.messages

        return local
    import redis

    client = redis.Redis.from_url(redis_url)

    def remote(p: ImportProgress) -> None:
        client.set(f"clientguard:job:{job_id}:progress", p.messages, ex=3600)

    return remote


def progress(job_id: str, redis_url: str | None) -> int:
    """Messages written so far; 0 when Redis does not answer (the job page said 500 then,
    even for a finished job, QA7)."""
    if redis_url is None:
        return _local_progress.get(job_id, 0)
    import redis
    from redis.exceptions import RedisError

    try:
        value = redis.Redis.from_url(redis_url, socket_connect_timeout=1).get(
            f"clientguard:job:{job_id}:progress"
        )
    except RedisError:
        return 0
    return int(value) if value else 0


def _finish(store: Store, job_id: str, **values: Any) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            update(JobRow).where(JobRow.id == job_id).values(finished_at=datetime.now(UTC), **values)
        )


IMPORT_ATTEMPTS = 3
# How many close names are looked up before a specialist's are kept (then cut to CLOSE_NAMES).
_CLOSE_POOL = 50


def _import_with_retry(
    store: Store,
    file: Path,
    client: str | None,
    sink: Any,
    allowed: set[int] | None = None,
    reader: Any = None,
    skip_bad: bool = False,
) -> Any:
    """``Store.import_paths``, retried when a parallel import won a race on a unique key.

    Imports are all-or-nothing, so a retry after a rollback can neither lose nor double a
    message. Parallel workers importing chats of the same account both try to insert the
    same "me" identity or contact; on PostgreSQL the loser fails with a unique violation
    (the store does not upsert there yet) and simply succeeds on the second attempt.
    """
    for attempt in range(1, IMPORT_ATTEMPTS + 1):
        try:
            # Who the user is, as `clientguard import` decides it (one decision, the import's:
            # saved identities, else the participant who wrote in the most other stored chats,
            # for this run only; QA6 K4). The upload guessed with analyze's first-sender rule
            # instead, so two WhatsApp chats the user opened were both filed under her. No
            # --me here: the web shows no notice to undo a saved guess, and in team mode saved
            # identities are everyone's.
            return store.import_paths(
                [file], client=client or None, skip_bad=skip_bad, progress=sink, allowed_clients=allowed,
                reader=reader,
            )  # fmt: skip
        except StorageError as exc:
            if attempt == IMPORT_ATTEMPTS or "duplicate key" not in exc.message:
                raise
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


def _limits(store: Store, job_id: str) -> tuple[int | None, set[int] | None]:
    """Team mode: the specialist who uploaded, and the clients they may change.

    ``(None, None)`` in local mode and for owners and managers (no limit). A specialist's
    job may write only to clients granted to them and to clients it creates, which are then
    granted to them: an upload must never add to, or take a chat from, a client they
    cannot open (QA2 T1, T2).
    """
    from clientguard.web.auth import allowed_clients, user_by_id

    with store.engine.connect() as conn:
        uid = conn.execute(select(JobRow.user_id).where(JobRow.id == job_id)).scalar()
    found = user_by_id(store, int(uid)) if uid else None
    if found is None or found.sees_all:
        return None, None
    return found.id, allowed_clients(store, found) or set()


def writable_client(store: Store, who: User, name: str, lg: str = "en") -> int | None:
    """The id of client ``name`` (None: it does not exist yet); 403 when ``who`` may not change it.

    For the synchronous forms: a specialist may write to the clients granted to them and
    create new ones (then granted to them), never to anyone else's.
    """
    found = _client_id(store, name)
    if found is None or who.sees_all or not who.id:
        return found
    from clientguard.web.auth import allowed_clients

    if found not in (allowed_clients(store, who) or set()):
        from fastapi import HTTPException

        from clientguard.web.i18n import tr

        raise HTTPException(status_code=403, detail=tr("forbidden", lg))
    return found


def visible_names(store: Store, ids: set[int] | None) -> set[str] | None:
    """Names of the clients ``ids`` (a specialist's); None (everyone's) stays None."""
    if ids is None:
        return None
    if not ids:
        return set()
    with store.engine.connect() as conn:
        return {str(n) for n in conn.execute(select(ClientRow.name).where(ClientRow.id.in_(ids))).scalars()}


def _only_visible(names: list[str], visible: set[str] | None) -> list[str]:
    """The close names a user may be told about: a specialist only hears of their clients.

    QA7: a specialist typing "Josef Joestar" was asked "did you mean “Joseph Joestar”?",
    and a new client from their upload was said to look like stored ones: the names of
    other specialists' clients, which their portfolio and search never show.
    """
    from clientguard.store.lookup import CLOSE_NAMES

    return (names if visible is None else [n for n in names if n in visible])[:CLOSE_NAMES]


def known_client(
    store: Store, name: str, field: str, create: bool, visible: set[str] | None = None
) -> None:
    """A contract goes to a stored client unless the user said it is a new one.

    The forms created any name typed: a contract for "Олеся Громва" made a phantom client
    holding it, and Олеся Громова's page kept saying "no contract" (``contract add`` in the
    CLI refuses the same way and takes ``--create-client``). ``visible``: the names the
    user may see (None: all), the only ones offered as close.
    """
    if create:
        return
    from clientguard.store.lookup import close_names, find_client
    from clientguard.web.fields import FormError

    with store.engine.connect() as conn:
        if find_client(conn, name) is not None:
            return
        close = _only_visible(close_names(conn, name, limit=_CLOSE_POOL), visible)
    if close:
        raise FormError("unknown_client_close", field, value=name, names=close)
    raise FormError("unknown_client", field, value=name)


def _grant(store: Store, user_id: int, client_ids: list[int]) -> None:
    from clientguard.web.auth import grant_ids

    grant_ids(store, user_id, client_ids)


def _clients_named(store: Store, ids: list[int]) -> list[dict[str, Any]]:
    """``ids`` with their names, as the job row lists clients."""
    if not ids:
        return []
    with store.engine.connect() as conn:
        query = select(ClientRow.id, ClientRow.name).where(ClientRow.id.in_(ids)).order_by(ClientRow.id)
        rows = conn.execute(query)
        return [{"id": int(i), "name": str(n)} for i, n in rows]


def _client_id(store: Store, name: str) -> int | None:
    """The client ``name`` finds as every write does (any case, a name before a rename or
    merge; never a closed client). An exact-name look-up let «клиент а» or an old name pass
    the access check as "a new client" and then write onto someone else's client."""
    from clientguard.store.lookup import find_client

    with store.engine.connect() as conn:
        found = find_client(conn, name)
    return None if found is None else found[0]


def run_job(
    job_id: str,
    db_url: str,
    path: str,
    kind: str,
    client: str | None,
    redis_url: str | None,
    cache_dir: str | None = None,
    skip_bad: bool = False,
) -> None:
    """Import a chat export or check and store a contract; record the outcome on the job row.

    ``cache_dir``: the server's profile cache folder, where the touched clients' profiles
    are put once the job is done (None: only their portfolio summaries, in the database).
    ``skip_bad``: the upload form's "skip broken records", ``clientguard import --skip-bad``:
    the rest is imported and the job lists what was left out. Without it a broken record
    fails the job, which then keeps the upload's folder (``result["upload"]``) so that its
    page can offer to run the same file again with skipping on.
    """
    store = _store(db_url)
    with store.engine.begin() as conn:
        conn.execute(update(JobRow).where(JobRow.id == job_id).values(status="running"))
    file = Path(path)
    uploader, allowed = _limits(store, job_id)
    try:
        if kind == "contract":
            from clientguard.contracts import check_contract
            from clientguard.contracts.repo import save_contract

            existing = _client_id(store, client) if client else None
            if allowed is not None and existing is not None and existing not in allowed:
                raise AccessError(msg("store.not_yours_contract", client=client))
            report = check_contract(file)
            saved = save_contract(store, client or "", file, report)
            cid = _client_id(store, saved.client)
            assert cid is not None  # save_contract stored it
            if uploader is not None and existing is None:
                _grant(store, uploader, [cid])
            result: dict[str, Any] = {
                "clients": [{"id": int(cid), "name": saved.client}],
                "clauses": {c.id: c.status for c in report.clauses},
            }
        else:
            notes = NoticeReader()  # what the CLI prints as notes, for the job page (QA6 W1)
            summary = _import_with_retry(
                store, file, client, _progress_sink(job_id, redis_url), allowed, notes, skip_bad,
            )
            if uploader is not None:
                _grant(store, uploader, summary.created_clients)  # a specialist sees what they added
            # The clients whose chats the file holds, as the import resolved them: a re-upload
            # adds nothing and its page still links its client (QA7).
            touched = _clients_named(store, summary.clients)
            seen = None if allowed is None else visible_names(store, allowed | set(summary.created_clients))
            result = summary.to_json() | {"clients": touched} | _name_changes(summary, seen)
            result["notices"] = notes.found(file.parent)
            result["skipped"] = skipped_rows(summary.skipped, file.parent)
            result["skip_bad"] = skip_bad
    except ClientguardError as exc:
        shown = exc
        if uploader is not None and isinstance(exc, AccessError):
            # The store's message names the other client ("belongs to client «…»"); a
            # specialist is not told names their portfolio never shows them (QA7).
            shown = AccessError(msg("store.touches_no_access"))
        lines = error_lines(shown, file.parent)
        info: dict[str, Any] = error_info(exc, file.parent) | {"text": lines}
        failed: dict[str, Any] = {"error": info}
        if kind == "chat" and not skip_bad and isinstance(exc, MalformedRecordError):
            # What --skip-bad would have left out (a file cut off part-way, E103/E104, is not):
            # the page offers the same upload again with skipping on, by its folder's name.
            failed["upload"] = file.parent.name
        _finish(store, job_id, status="failed", error=lines["en"], result=failed)
        return
    except Exception as exc:  # a bug: still end the job so the page does not spin forever
        _finish(store, job_id, status="failed", error=f"{type(exc).__name__}: {exc}")
        raise
    _finish(store, job_id, status="done", result=result, progress=int(result.get("messages_added", 0)))
    if redis_url is None or not _queue_warm(db_url, redis_url, cache_dir, result["clients"]):
        _warm_profiles(store, Path(cache_dir) if cache_dir else None, result["clients"])


def _queue_warm(db_url: str, redis_url: str, cache_dir: str | None, clients: list[dict[str, Any]]) -> bool:
    """Leave the touched clients' profiles to the workers' low-priority queue; False: do it here.

    A worker that computed them itself kept the next upload waiting (about 8 s per 100,000
    messages) with a single ``clientguard worker``; rq serves :data:`QUEUE_NAME` first, so
    the profiles are computed when no upload waits. If Redis refuses, the job computes
    them itself as before: the import is done either way.
    """
    if not clients:
        return True
    import redis
    from redis.exceptions import RedisError
    from rq import Queue

    try:
        conn = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
        Queue(WARM_QUEUE, connection=conn).enqueue(
            warm_job, db_url, cache_dir, clients, job_timeout=3600, result_ttl=0, failure_ttl=3600
        )
    except RedisError:
        _log.warning("profile precompute not queued (Redis refused); computing it in the import job")
        return False
    return True


def warm_job(db_url: str, cache_dir: str | None, clients: list[dict[str, Any]]) -> None:
    """The queued form of :func:`_warm_profiles`, run by a worker when no upload waits."""
    _warm_profiles(_store(db_url), Path(cache_dir) if cache_dir else None, clients)


def _warm_profiles(store: Store, cache_dir: Path | None, clients: list[dict[str, Any]]) -> None:
    """Compute the touched clients' profiles now, after the job is done, for the pages.

    The portfolio recomputes a stale client's profile inside the request: after a
    376,000-message upload the first portfolio (and so every login) waited minutes for
    it (QA pass 7). The job has just read those messages, so the worker (or the local
    server's job thread) computes the profiles while the page says "done": the summary
    row goes to the database and the full profile to the server's cache folder, where
    the pages find them under the same cache key. A failure here is not the import's:
    the page would compute the profile itself, as before.
    """
    from clientguard.web.profiles import ProfileCache

    cache = ProfileCache(store, cache_dir)
    for client in clients:
        try:
            cache.profile(int(client["id"]), str(client["name"]))
        except Exception:  # logged; the page recomputes on demand
            _log.exception("profile of client %s not precomputed after the upload", client.get("id"))


def _name_changes(summary: ImportSummary, visible: set[str] | None = None) -> dict[str, Any]:
    """The chats the import handed to another client and the new clients named like a
    stored one, for the job page (the client field moved a stored chat to a mistyped
    name, history and all, while the page said only "0 new messages, 49 already stored")."""
    moved = [{"chat": m.chat, "from": m.from_client, "to": m.to_client} for m in summary.moved]
    targets = {m["to"] for m in moved}
    alike = [
        {"name": name, "close": shown}
        for name, close in summary.new_clients
        if name not in targets and (shown := _only_visible(list(close), visible))
    ]
    return {"moved": moved, "new_alike": alike}


def error_info(exc: ClientguardError, folder: Path) -> dict[str, str]:
    """The parts of a failed job's error the page explains in its language: the code, the
    file (relative to the upload folder) and the place in it; ``error`` keeps the text."""
    info = {"code": exc.code, "file": "", "place": ""}
    if isinstance(exc, InputError):
        info["file"] = exc.where.file.replace(str(folder) + "/", "")
        info["place"] = exc.where.where
    return info


def error_lines(exc: ClientguardError, folder: Path) -> dict[str, str]:
    """The error's line in every language, for the job page to show in the viewer's.

    The job row's ``error`` keeps the English (the API, logs and scripts read it); the page
    showed that English under a Russian explanation, an AccessError's included. The file's
    name is the user's, not our upload directory: the folder is cut from the line.
    """
    from clientguard.report.i18n import LANGS

    return {lg: exc.line(lg).replace(str(folder) + "/", "") for lg in LANGS}


#: An upload's folder under the upload directory: a uuid4 in hex (``routes/upload.py``).
_UPLOAD_FOLDER: Final = re.compile(r"[0-9a-f]{32}")


def kept_upload(root: Path, found: dict[str, Any]) -> Path | None:
    """The stored file of a chat job that failed on a broken record, while it is still kept.

    Such a job can be run again with broken records skipped without the user picking the
    file again (the page's offer); None when the job did not fail that way, was run with
    skipping on already, or its file is gone (a ``clients forget``, a cleaned upload folder).
    """
    folder = str((found.get("result") or {}).get("upload") or "")
    if found.get("status") != "failed" or found.get("kind") != "chat" or not _UPLOAD_FOLDER.fullmatch(folder):
        return None
    path = root / folder / str(found.get("filename") or "")
    return path if path.is_file() else None


def job_status(store: Store, job_id: str) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(JobRow).where(JobRow.id == job_id)).first()
    if row is None:
        return None
    job = row[0] if not hasattr(row, "status") else row
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "filename": job.filename,
        "client": job.client,
        "user_id": job.user_id,
        "result": job.result,
        "error": job.error,
    }


# Why a queued or running job may not move on (team mode), for the job page: Redis is not
# reachable, or no ``clientguard worker`` listens to the queue. A job rq gave up on (its
# worker was killed, or Redis lost it) is failed on the job row instead (:func:`settle`).
QUEUE_DOWN: Final = "queue_down"
NO_WORKER: Final = "no_worker"
WORKER_LOST: Final = "worker_lost"
QUEUE_REFUSED: Final = "queue_refused"
# rq statuses of a job that will never run (again) by itself.
_GONE_STATUSES: Final = frozenset({"failed", "stopped", "canceled"})
# A queued row younger than this may not be in Redis yet (the upload writes the row first).
_LOST_AFTER_S: Final = 30.0


class QueueUnavailable(Exception):
    """Redis refused the job at upload time; the job row is already marked failed."""

    def __init__(self, redis_url: str) -> None:
        super().__init__(redis_url)
        self.redis_url = redis_url


def safe_redis_url(url: str) -> str:
    """The Redis URL without a password, for a page that says where the queue was sought."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def settle(store: Store, runner: Runner, found: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The job as the page should show it, and why it is stuck (``QUEUE_DOWN``/``NO_WORKER``).

    QA7: a job row said "queued" or "importing…" for ever when its worker was killed
    mid-import (rq marks the job failed, nobody told the row) and the page polled every
    400 ms without saying that no worker was running. Imports are all-or-nothing, so a job
    rq gave up on saved nothing: the row is failed with that reason.
    """
    if found["status"] not in ("queued", "running"):
        return found, None
    with store.engine.connect() as conn:
        created = conn.execute(select(JobRow.created_at).where(JobRow.id == found["id"])).scalar()
    why = runner.queue_state(str(found["id"]), str(found["status"]), created)
    if why != WORKER_LOST:
        return found, why
    with store.engine.begin() as conn:
        conn.execute(
            update(JobRow)
            .where(JobRow.id == found["id"], JobRow.status.in_(("queued", "running")))
            .values(
                status="failed",
                finished_at=datetime.now(UTC),
                error="the worker stopped before the import finished; nothing was saved",
                result={"error": {"code": None, "reason": WORKER_LOST}},
            )
        )
    again = job_status(store, str(found["id"]))
    return (again or found), None


class Runner:
    """Where jobs run: one in-process thread (SQLite has one writer anyway) or an rq queue."""

    def __init__(self, db_url: str, redis_url: str | None, cache_dir: Path | None = None) -> None:
        self.db_url = db_url
        self.redis_url = redis_url
        self.cache_dir = cache_dir
        self._pool: ThreadPoolExecutor | None = None
        self._queue: Any = None
        if redis_url is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clientguard-import")
        else:
            import redis
            from rq import Queue

            # A bounded connect: an unreachable Redis host must not hang the upload or the job page.
            conn = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
            self._queue = Queue(QUEUE_NAME, connection=conn)

    def submit(
        self,
        job_id: str,
        path: Path,
        kind: str,
        client: str | None,
        store: Store | None = None,
        skip_bad: bool = False,
    ) -> None:
        """Run the job, or queue it; :class:`QueueUnavailable` when Redis cannot take it.

        An unreachable Redis was a 500 page ("ConnectionError") and left the job row
        "queued" for ever (QA7): the row is failed here (``store``) and the caller says why.
        ``skip_bad`` goes to :func:`run_job` as an argument of the queued call, so a worker
        skips exactly when the upload asked.
        """
        cache = str(self.cache_dir) if self.cache_dir is not None else None
        args = (job_id, self.db_url, str(path), kind, client, self.redis_url, cache, skip_bad)
        if self._pool is not None:
            self._pool.submit(run_job, *args)
            return
        from redis.exceptions import RedisError

        try:
            self._queue.enqueue(run_job, *args, job_id=job_id, job_timeout=3600, result_ttl=600)
        except RedisError:
            if store is not None:
                _finish(
                    store, job_id, status="failed", error="the job queue (Redis) was not reachable",
                    result={"error": {"code": None, "reason": QUEUE_REFUSED}},
                )  # fmt: skip
            raise QueueUnavailable(safe_redis_url(str(self.redis_url))) from None

    def queue_state(self, job_id: str, status: str, created: datetime | None = None) -> str | None:
        """Why the queued or running job ``job_id`` does not move on, else None (local: None).

        ``WORKER_LOST``: rq gave it up (the worker was killed or restarted hard) or no
        longer has it; ``NO_WORKER``: it waits and no worker listens; ``QUEUE_DOWN``:
        Redis does not answer.
        """
        if self._queue is None:
            return None
        from redis.exceptions import RedisError
        from rq import Worker
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            try:
                got = Job.fetch(job_id, connection=self._queue.connection).get_status(refresh=False)
            except NoSuchJobError:
                young = created is not None and (
                    datetime.now(UTC) - (created if created.tzinfo else created.replace(tzinfo=UTC))
                ).total_seconds() < _LOST_AFTER_S
                return None if young else WORKER_LOST
            if str(getattr(got, "value", got)) in _GONE_STATUSES:
                return WORKER_LOST
            if status == "queued" and not Worker.all(queue=self._queue):
                return NO_WORKER
        except RedisError:
            return QUEUE_DOWN
        return None

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
