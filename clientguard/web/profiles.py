"""Client profiles for the dashboard: the ``analyze`` code path over stored messages, cached.

An adapter at the border between the store and the analysis: stored messages become
:class:`AnalyzedMessage` through the same ``label`` + ``build_profile`` calls that
``clientguard analyze`` uses, and the stored contract terms and invoices become the
case. Message ids in the profile are the STORE ids (as strings), so evidence links
point at one stored message even when two conversations reuse a source id.

Profiles are expensive (message signals over thousands of texts), so:
* the portfolio reads one persisted summary row per client (``web_risk_summaries``),
  recomputed only when the client's cache key changed (new messages, invoices, terms);
* the full profile of a client lives in a small in-process LRU keyed the same way.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import func, select

from clientguard.analysis import build_profile
from clientguard.analysis.flags import message_flags
from clientguard.analysis.model import ClientProfile
from clientguard.analysis.stored import case_for
from clientguard.store import Store
from clientguard.store.models import (
    ClientAliasRow,
    ClientClosureRow,
    ClientRow,
    ConversationRow,
    EventRow,
    ImportRow,
    MeIdentityRow,
    MessageRow,
)
from clientguard.store.models_web import ClientAccessRow, RiskSummaryRow, UserRow

T = TypeVar("T")
SPARK_WEEKS = 12
_LRU_SIZE = 64


def cache_dir_for(upload_dir: Path) -> Path:
    """Where the server keeps computed profiles: beside its uploads, so the job that
    imports an upload (in a worker, or in the server's own thread) finds the same folder."""
    return upload_dir.parent / "cache"


def compute_profile(
    store: Store, client: str, now: datetime | None = None, *, release_models: bool = False
) -> ClientProfile:
    """The profile ``clientguard analyze --client NAME`` gives, with store ids as message ids.

    The history goes through the same ``assemble`` step as the CLI, so the page and the
    command agree: a chat exported twice (JSON and HTML) counts once, and a sender the user
    named as themselves after the import is read as the specialist, not the client.

    ``release_models``: a one-shot caller (the CLI's evidence export) that analyses
    nothing afterwards; the NLP models and rule sets are released
    (:func:`clientguard.nlp.api.release`) as soon as the messages are labelled, since
    the profile step reads only the labels, times and records. At 50,000 messages the
    export peaked there, the models (~70 MB of Python objects) held under the profile's
    own work. The stored messages are streamed into ``assemble`` and only the labelled
    copies outlive ``label``, for the same reason. The web keeps its models (a reload is
    ~1-2 s on the next page).
    """
    from clientguard.analysis.history import assemble, client_conversations, me_matcher, stored_calls
    from clientguard.analysis.source import label

    case = case_for(store, client)
    convs = client_conversations(store, client)
    mine = me_matcher(store, case)
    calls = stored_calls(store, client, convs, mine)  # off-hours calls of the client count too
    stored = (
        replace(sm, message=replace(sm.message, source_id=str(sm.id))) for sm in store.iter_messages(client)
    )
    try:
        analyzed, source = label(assemble(convs, stored, case, mine).messages)
    finally:
        if release_models:
            from clientguard.nlp.api import release

            release()
    return build_profile(analyzed, case, now=now, label_source=source, calls=calls)


def cache_keys(store: Store, client_ids: list[int] | None = None) -> dict[int, str]:
    """Per client: a string that changes whenever its profile may change.

    Last message id and message count (imports), the client's stored time zone, the last
    event id (calls), the user's identities (``me add``, the web's "this is me": they turn
    stored messages into the specialist's without adding any, and the page kept the old
    sides, a rude client at risk 84 where a fresh profile said 8), plus
    invoice/payment counts and the terms' update time when the contracts tables exist.
    """
    keys: dict[int, list[str]] = {}
    q = (
        select(
            ClientRow.id,
            func.max(MessageRow.id),
            func.count(MessageRow.id),
            ClientRow.timezone,
            ClientRow.name,
        )
        .outerjoin(ConversationRow, ConversationRow.client_id == ClientRow.id)
        .outerjoin(MessageRow, MessageRow.conversation_id == ConversationRow.id)
        .group_by(ClientRow.id, ClientRow.timezone, ClientRow.name)
    )
    if client_ids is not None:
        q = q.where(ClientRow.id.in_(client_ids))
    # Calls count toward the off-hours signal, and a re-export can add a call but no message.
    ev = (
        select(ConversationRow.client_id, func.max(EventRow.id))
        .join(EventRow, EventRow.conversation_id == ConversationRow.id)
        .group_by(ConversationRow.client_id)
    )
    if client_ids is not None:
        ev = ev.where(ConversationRow.client_id.in_(client_ids))
    with store.engine.connect() as conn:
        me_count, me_last = conn.execute(
            select(func.count(MeIdentityRow.id), func.max(MeIdentityRow.id))
        ).one()
        mine = f"m{me_count}.{me_last or 0}"  # every client: an identity may be in any chat
        for cid, last, n, zone, name in conn.execute(q):  # the case's zone moves off-hours
            # The name: the profile and the export carry it (`clients rename`, the manage page)
            keys[int(cid)] = [str(last or 0), str(n), zone or "", mine, _digest([str(name)])]
        for owner, last_event in conn.execute(ev):
            if owner is not None and int(owner) in keys:
                keys[int(owner)].append(f"e{last_event}")
        try:
            from clientguard.store.models_contracts import ContractTermsRow, InvoicePaymentRow, InvoiceRow
        except ImportError:
            pass
        else:
            inv = select(
                InvoiceRow.client_id,
                func.count(func.distinct(InvoiceRow.id)),
                func.count(InvoicePaymentRow.id),
            ).outerjoin(InvoicePaymentRow, InvoicePaymentRow.invoice_id == InvoiceRow.id)
            for cid, ni, np_ in conn.execute(inv.group_by(InvoiceRow.client_id)):
                if int(cid) in keys:
                    keys[int(cid)] += [f"i{ni}", f"p{np_}"]
            # An invoice renumbered (`invoice renumber`, `clients merge --renumber`, the
            # page's form) changes no count: the numbers themselves are part of the key, or
            # a profile saved before (in memory or on disk) kept showing the old number.
            numbers: dict[int, list[str]] = {}
            held = select(InvoiceRow.client_id, InvoiceRow.id, InvoiceRow.number).order_by(InvoiceRow.id)
            if client_ids is not None:
                held = held.where(InvoiceRow.client_id.in_(client_ids))
            for cid, iid, number in conn.execute(held):
                numbers.setdefault(int(cid), []).append(f"{iid}={number}")
            for cid, listed in numbers.items():
                if cid in keys:
                    keys[cid].append(f"n{_digest(listed)}")
            # a void (`invoice void`) changes the client's figures without a new invoice row
            from clientguard.store.models_contracts import InvoiceVoidRow

            voided = select(InvoiceVoidRow.client_id, func.max(InvoiceVoidRow.id)).group_by(
                InvoiceVoidRow.client_id
            )
            for cid, top in conn.execute(voided):
                if int(cid) in keys:
                    keys[int(cid)].append(f"v{top}")
            # so does a refund or credit (`invoice refund|credit`) and the void of one
            from clientguard.store.models_contracts import InvoiceAdjustmentRow

            adjusted = select(InvoiceAdjustmentRow.client_id, func.max(InvoiceAdjustmentRow.id)).group_by(
                InvoiceAdjustmentRow.client_id
            )
            for cid, top in conn.execute(adjusted):
                if int(cid) in keys:
                    keys[int(cid)].append(f"r{top}")
            for cid, upd in conn.execute(select(ContractTermsRow.client_id, ContractTermsRow.updated_at)):
                if int(cid) in keys:
                    keys[int(cid)].append(f"t{upd.timestamp() if upd else 0:.0f}")
    today = datetime.now(UTC).date().isoformat()  # overdue days move with the calendar
    return {cid: ":".join([*parts, today]) for cid, parts in keys.items()}


def _digest(parts: list[str]) -> str:
    """A short stable digest of text parts for a cache key (names and numbers stay out of it)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


def fingerprint(store: Store) -> str:
    """A cheap whole-database version: when it holds, no client's cache key can have changed.

    One statement of index lookups (max and count of message ids, client, invoice and
    payment counts, last terms update, users and grants), so cached pages cost one round
    trip to check.
    """
    # Messages are only ever appended (max id moves) and re-roled by ``me add`` (the
    # identities count moves); no full count of a big table on every page view.
    cols = [
        select(func.max(MessageRow.id)).scalar_subquery(),
        select(func.count(MeIdentityRow.id)).scalar_subquery(),
        select(func.max(MeIdentityRow.id)).scalar_subquery(),  # `me remove` then `me add`
        select(func.max(ClientRow.id)).scalar_subquery(),
        select(func.count(ClientRow.timezone)).scalar_subquery(),  # a case file named a zone
        select(func.max(ImportRow.id)).scalar_subquery(),
        # `clients rename|merge`, by the CLI or the manage page: each adds an alias row
        # (the old name) and a merge or an erasure closes a client
        select(func.max(ClientAliasRow.created_at)).scalar_subquery(),
        select(func.count(ClientClosureRow.client_id)).scalar_subquery(),
    ]
    try:
        from clientguard.store.models_contracts import (
            ContractTermsRow,
            InvoiceAdjustmentRow,
            InvoicePaymentRow,
            InvoiceRow,
            InvoiceVoidRow,
        )
    except ImportError:
        pass
    else:
        cols += [
            select(func.count(InvoiceRow.id)).scalar_subquery(),
            select(func.count(InvoicePaymentRow.id)).scalar_subquery(),
            select(func.max(ContractTermsRow.updated_at)).scalar_subquery(),
            select(func.max(InvoiceVoidRow.id)).scalar_subquery(),  # `invoice void`
            select(func.max(InvoiceAdjustmentRow.id)).scalar_subquery(),  # `invoice refund|credit`
        ]
    # Who works on a client (the time form's members): a user added, removed or given
    # another role, a grant given or taken.
    cols += [
        select(func.count(UserRow.id)).scalar_subquery(),
        select(func.count(UserRow.id)).where(UserRow.role == "specialist").scalar_subquery(),
        select(func.count(ClientAccessRow.id)).scalar_subquery(),
        select(func.max(ClientAccessRow.id)).scalar_subquery(),
    ]
    try:
        from clientguard.store.models_evidence import ConfirmationRow, EvidenceHeadRow, NoteRow
    except ImportError:
        pass
    else:
        cols.append(select(func.count(NoteRow.id)).scalar_subquery())
        # The client page shows the log's record count and head: a record appended by a
        # dispute export's sync, `evidence sync` or `note confirm` must show (the page
        # kept "1 запись" while the export it had just made said 6). One row per client.
        cols.append(select(func.coalesce(func.sum(EvidenceHeadRow.seq), 0)).scalar_subquery())
        cols.append(select(func.count(ConfirmationRow.id)).scalar_subquery())
    with store.engine.connect() as conn:
        row = conn.execute(select(*cols)).one()
    return ":".join([*(str(v) for v in row), datetime.now(UTC).date().isoformat()])


def _by_currency(amounts: Iterable[tuple[str | None, float]]) -> list[list[Any]]:
    """``[[currency, sum], …]`` in order of first appearance, sums rounded to cents."""
    sums: dict[str, float] = {}
    for currency, amount in amounts:
        key = currency or ""
        sums[key] = sums.get(key, 0.0) + amount
    return [[cur or None, round(total, 2)] for cur, total in sums.items()]


def summarize(profile: ClientProfile, messages: int, last: datetime | None) -> dict[str, Any]:
    """The portfolio line of a profile (JSON-ready, stored in ``web_risk_summaries``)."""
    over = next((s.count for s in profile.conversation_signals if s.id == "revision_over_limit"), 0)
    # A partly paid invoice past its due date is overdue too: it vanished from the overdue
    # column and count once the client paid part of it.
    overdue = [i for i in profile.invoices if i.overdue]
    weekly = list(profile.weekly)[-SPARK_WEEKS:]
    return {
        "name": profile.client,
        "score": profile.risk.score,
        "level": profile.risk.level,
        "trend": profile.risk.trend,
        "archetypes": [a.id for a in profile.archetypes],
        "spark": [w.weight for w in weekly],
        "weeks": {w.week: sum(w.signals.values()) for w in weekly},
        "overdue": len(overdue),
        "overdue_amount": round(sum(i.amount - i.paid_amount for i in overdue), 2),
        "overdue_currency": overdue[0].currency if overdue else None,
        # Per currency: one sum of a RUB and a USD invoice was shown in the first one's
        # currency ("2 · 46 000 RUB" for 45 000 RUB + 1 000 USD).
        "overdue_amounts": _by_currency((i.currency, i.amount - i.paid_amount) for i in overdue),
        "revisions_over": over,
        "messages": messages,
        # what the client page counts (message_flags): a forwarded threat is no flag
        "flagged": len(message_flags(profile)),
        "last_activity": last.isoformat() if last else None,
        "action": profile.recommendation.action,
    }


@dataclass(frozen=True)
class PortfolioRow:
    """One client of the portfolio page."""

    id: int
    name: str
    score: int
    level: str
    trend: str
    data: dict[str, Any]


class ProfileCache:
    """Full profiles in memory (LRU) and summaries in the database, both keyed by cache key.

    A lock per client makes concurrent requests for a cold client compute it once.
    """

    def __init__(self, store: Store, cache_dir: Path | None = None) -> None:
        self.store = store
        self.cache_dir = cache_dir
        if cache_dir is not None:
            cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._portfolio: tuple[str, list[PortfolioRow]] | None = None
        self._fragments: dict[tuple[object, ...], str] = {}
        self._building: dict[tuple[object, ...], threading.Lock] = {}
        self._lru: OrderedDict[int, tuple[str, ClientProfile]] = OrderedDict()
        self._lock = threading.Lock()
        self._client_locks: dict[int, threading.RLock] = {}
        self._memo: dict[tuple[int, str], tuple[str, object]] = {}

    def _client_lock(self, cid: int) -> threading.RLock:
        with self._lock:
            return self._client_locks.setdefault(cid, threading.RLock())

    def invalidate(self, client_id: int | None = None) -> None:
        with self._lock:
            self._portfolio = None
            self._fragments.clear()
            if client_id is None:
                self._lru.clear()
                self._memo.clear()
            else:
                self._lru.pop(client_id, None)
                for k in [k for k in self._memo if k[0] == client_id]:
                    del self._memo[k]

    def memo(self, client_id: int, tag: str, fn: Callable[[], T]) -> T:
        """``fn()`` cached per client and ``tag`` while the client's cache key holds.

        The client page caches its whole rendered context this way: with thousands of
        messages, evidence verification and reply drafts cost more than the template.
        """
        fp = fingerprint(self.store)
        with self._lock:
            hit = self._memo.get((client_id, tag))
            if hit is not None and hit[0] == fp:
                return cast(T, hit[1])
        with self._client_lock(client_id):
            with self._lock:
                hit = self._memo.get((client_id, tag))
            if hit is not None and hit[0] == fp:
                return cast(T, hit[1])
            value = fn()
        with self._lock:
            self._memo[(client_id, tag)] = (fp, value)
            while len(self._memo) > _LRU_SIZE * 4:
                self._memo.pop(next(iter(self._memo)))
        return value

    def profile(self, client_id: int, name: str) -> ClientProfile:
        """The client's profile, computed at most once per cache key."""
        key = cache_keys(self.store, [client_id]).get(client_id, "")
        with self._lock:
            hit = self._lru.get(client_id)
            if hit is not None and hit[0] == key:
                self._lru.move_to_end(client_id)
                return hit[1]
        with self._client_lock(client_id):
            with self._lock:
                hit = self._lru.get(client_id)
                if hit is not None and hit[0] == key:
                    return hit[1]
            prof = self._load(client_id, key)
            if prof is None:
                prof = compute_profile(self.store, name)
                self._dump(client_id, key, prof)
            with self._lock:
                self._lru[client_id] = (key, prof)
                self._lru.move_to_end(client_id)
                while len(self._lru) > _LRU_SIZE:
                    self._lru.popitem(last=False)
            self._save_summary(client_id, key, prof)
            return prof

    def _path(self, client_id: int, key: str) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(f"{self.store.engine.url}|{client_id}|{key}".encode()).hexdigest()[:32]
        return self.cache_dir / f"profile-{digest}.pickle"

    def _load(self, client_id: int, key: str) -> ClientProfile | None:
        """A profile another server process (or a previous run) computed for the same key.

        Pickle is safe here: the files are written only by us, into our own data dir (0700).
        """
        path = self._path(client_id, key)
        if path is None or not path.exists():
            return None
        try:
            value = pickle.loads(path.read_bytes())
        except Exception:  # a torn or stale file: recompute
            return None
        return value if isinstance(value, ClientProfile) else None

    def _dump(self, client_id: int, key: str, prof: ClientProfile) -> None:
        path = self._path(client_id, key)
        if path is None:
            return
        # One temporary name per thread: the upload job and a page may store the same
        # profile at once in one process, and a shared name was renamed from under one.
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(pickle.dumps(prof, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)  # atomic: readers never see half a file

    def _save_summary(self, client_id: int, key: str, prof: ClientProfile) -> None:
        with self.store.engine.connect() as conn:
            n, last = conn.execute(
                select(func.count(MessageRow.id), func.max(MessageRow.ts_utc))
                .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
                .where(ConversationRow.client_id == client_id)
            ).one()
        if isinstance(last, str):
            last = datetime.fromisoformat(last)
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        data = summarize(prof, int(n or 0), last)
        values = {
            "cache_key": key,
            "score": prof.risk.score,
            "level": prof.risk.level,
            "trend": prof.risk.trend,
            "summary": data,
            "computed_at": datetime.now(UTC),
        }
        from sqlalchemy import delete, insert
        from sqlalchemy.exc import IntegrityError

        try:
            with self.store.engine.begin() as conn:
                conn.execute(delete(RiskSummaryRow).where(RiskSummaryRow.client_id == client_id))
                conn.execute(insert(RiskSummaryRow).values(client_id=client_id, **values))
        except IntegrityError:
            # Another process (the upload's job precomputing it, a second server) saved this
            # client's line at the same moment; a stale one is recomputed by its cache key.
            pass

    def portfolio(self, allowed: set[int] | None = None) -> list[PortfolioRow]:
        """Every (allowed) client, riskiest first; stale summaries are recomputed first."""
        fp = fingerprint(self.store)
        cached = self._portfolio
        if cached is not None and cached[0] == fp:
            return [r for r in cached[1] if allowed is None or r.id in allowed]
        everyone = self._portfolio_rows()
        self._portfolio = (fp, everyone)
        return [r for r in everyone if allowed is None or r.id in allowed]

    def version(self) -> str:
        """The fingerprint the cached portfolio was built at ("" before the first build)."""
        cached = self._portfolio
        return cached[0] if cached is not None else ""

    def peek(self, key: tuple[object, ...]) -> str | None:
        """The cached fragment under ``key``, without building it."""
        with self._lock:
            return self._fragments.get(key)

    def fragment(self, key: tuple[object, ...], fn: Callable[[], str]) -> str:
        """A rendered HTML fragment cached under ``key`` (which must contain :meth:`version`)."""
        with self._lock:
            hit = self._fragments.get(key)
            gate = self._building.setdefault(key, threading.Lock())
        if hit is not None:
            return hit
        with gate:  # single flight: 20 users opening a cold page build it once, not 20 times
            with self._lock:
                hit = self._fragments.get(key)
            if hit is not None:
                return hit
            value = fn()
        with self._lock:
            self._building.pop(key, None)
            self._fragments[key] = value
            while len(self._fragments) > 64:
                self._fragments.pop(next(iter(self._fragments)))
        return value

    def _portfolio_rows(self) -> list[PortfolioRow]:
        allowed: set[int] | None = None
        keys = cache_keys(self.store)
        with self.store.engine.connect() as conn:
            live = ClientRow.id.not_in(select(ClientClosureRow.client_id))  # not merged or erased
            names = {
                int(i): str(n) for i, n in conn.execute(select(ClientRow.id, ClientRow.name).where(live))
            }
            rows = {
                int(r.client_id): r
                for r in conn.execute(
                    select(
                        RiskSummaryRow.client_id,
                        RiskSummaryRow.cache_key,
                        RiskSummaryRow.score,
                        RiskSummaryRow.level,
                        RiskSummaryRow.trend,
                        RiskSummaryRow.summary,
                    )
                )
            }
        out: list[PortfolioRow] = []
        for cid, name in names.items():
            if allowed is not None and cid not in allowed:
                continue
            row = rows.get(cid)
            if row is None or row.cache_key != keys.get(cid):
                self.profile(cid, name)
                with self.store.engine.connect() as conn:
                    row = conn.execute(
                        select(
                            RiskSummaryRow.client_id,
                            RiskSummaryRow.cache_key,
                            RiskSummaryRow.score,
                            RiskSummaryRow.level,
                            RiskSummaryRow.trend,
                            RiskSummaryRow.summary,
                        ).where(RiskSummaryRow.client_id == cid)
                    ).one()
            data = dict(row.summary)
            data["name"] = name
            out.append(PortfolioRow(cid, name, int(row.score), str(row.level), str(row.trend), data))
        out.sort(key=lambda r: (-r.score, r.name.casefold()))
        return out
