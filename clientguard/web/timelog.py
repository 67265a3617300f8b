"""Time spent per client and team member (``clientguard time add``), and the team view's numbers.

Stress load counts the flagged client messages a member RECEIVES: every flagged
message of a client lands on each member working on that client (granted to them or
with time logged on it). Spill-over compares a member's hours on toxic clients (risk
high or critical) with the hours left for everyone else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from clientguard.errors import ConfigError, NotFoundError, msg
from clientguard.store import Store
from clientguard.store.lookup import require_client
from clientguard.store.models_web import ClientAccessRow, TimeEntryRow, UserRow

TOXIC_LEVELS = frozenset({"high", "critical"})
# How the time log names the user in local mode (``time add`` without ``--member``).
LOCAL_MEMBER = "me"
TEAM_WEEKS = 12  # the stress chart's weeks, consecutive, ending with the latest week of any client


def duration(hours: float, lang: str) -> str:
    """Hours as people say a stretch of time: "2 ч 30 мин" / "2 h 30 min", to the minute.

    "2,5 ч" reads as two and a half, but 1.33 h is nobody's measure; a timer shows 1:20.
    The client page's time log and ``time list`` both say it so: the page wrote "0,75 ч"
    for the 45 minutes a user had just typed in its "Минуты" field.
    """
    from clientguard.report.i18n import t

    minutes = round(hours * 60)
    whole, rest = divmod(minutes, 60)
    if whole and rest:
        return t("time_cli", "hours_minutes", lang).format(h=whole, m=rest)
    if whole:
        return t("time_cli", "hours_only", lang).format(h=whole)
    return t("time_cli", "minutes_only", lang).format(m=rest)


def add_time(
    store: Store, client: str, hours: float, member: str, day: date | None = None, note: str | None = None
) -> None:
    """Log ``hours`` on ``client`` by ``member``; with team users, ``member`` must be one.

    QA7: in team mode ``time add … --member ivna`` (a typo) and ``time add`` without
    ``--member`` ("me", nobody in a team) were stored, and the team page listed "ivna"
    and "me" as members beside ivan, with their hours and every flagged message of the
    client counted as their load. Local mode (no users) takes any name. A day after
    today is refused.
    """
    if not 0 < hours <= 24:
        raise ConfigError(msg("timelog.hours_range", hours=hours))
    # Time is logged once spent: a day typed with the wrong year (2031) was stored and
    # counted in the totals and the team view's weeks.
    if day is not None and day > date.today():
        raise ConfigError(msg("timelog.future_day", day=day.isoformat(), today=date.today().isoformat()))
    with store.engine.begin() as conn:
        team = [str(n) for n in conn.execute(select(UserRow.name).order_by(UserRow.name)).scalars()]
        if team and member not in team:
            names = ", ".join(team)
            if member == LOCAL_MEMBER:
                raise ConfigError(msg("timelog.member_needed", names=names))
            raise NotFoundError(msg("timelog.no_member", member=member, names=names))
        cid = require_client(conn, client)[0]
        conn.execute(
            insert(TimeEntryRow).values(
                client_id=cid,
                member=member,
                day=(day or date.today()).isoformat(),
                hours=float(hours),
                note=note,
                created_at=datetime.now(UTC),
            )
        )


#: The roles that open every client (:attr:`clientguard.web.auth.User.sees_all`).
SEES_ALL = ("owner", "manager")


def time_members(store: Store, client: str) -> list[str]:
    """The team members who may open ``client``, by name: whose time an owner may log on it.

    Owners and managers open every client, a specialist the clients granted to them
    (:func:`clientguard.web.auth.allowed_clients`). ``time add --member`` takes any team
    member; the dashboard's owner picks among those working on the client, so the team
    page's load and hours land on someone who can see the client. Empty in local mode.
    """
    from sqlalchemy import or_

    with store.engine.connect() as conn:
        cid = require_client(conn, client)[0]
        granted = select(ClientAccessRow.user_id).where(ClientAccessRow.client_id == cid)
        query = select(UserRow.name).where(or_(UserRow.role.in_(SEES_ALL), UserRow.id.in_(granted)))
        return sorted((str(n) for n in conn.execute(query).scalars()), key=str.casefold)


@dataclass
class TeamView:
    """Everything the team page shows, computed from summaries, access and time entries."""

    weeks: list[str]
    stress: list[tuple[str, list[int]]]
    clients: list[dict[str, Any]]
    spill: list[dict[str, Any]] = field(default_factory=list)


def week_run(weeks: Iterable[str], n: int = TEAM_WEEKS) -> list[str]:
    """The ``n`` consecutive ISO weeks (``2025-W42``) that end with the latest of ``weeks``.

    The chart took the latest 12 weeks that had messages: 2025-W16 and W17 stood beside
    W36 as if one week apart, and a quiet week vanished instead of showing 0.
    """
    if not weeks:
        return []
    year, week = max(weeks).split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    out = []
    for back in range(n - 1, -1, -1):
        iso = (monday - timedelta(weeks=back)).isocalendar()
        out.append(f"{iso.year}-W{iso.week:02d}")
    return out


def team_view(store: Store, summaries: dict[int, dict[str, Any]], local_member: str = "me") -> TeamView:
    """``summaries``: client id → portfolio summary (level, weeks, name)."""
    with store.engine.connect() as conn:
        entries = list(conn.execute(select(TimeEntryRow.client_id, TimeEntryRow.member, TimeEntryRow.hours)))
        users = {
            int(i): (str(n), str(r))
            for i, n, r in conn.execute(select(UserRow.id, UserRow.name, UserRow.role))
        }
        access = list(conn.execute(select(ClientAccessRow.user_id, ClientAccessRow.client_id)))
    works: dict[str, set[int]] = defaultdict(set)
    for uid, cid in access:
        works[users[int(uid)][0]].add(int(cid))
    hours: dict[tuple[str, int], float] = defaultdict(float)
    for cid, member, h in entries:
        works[str(member)].add(int(cid))
        hours[(str(member), int(cid))] += float(h)
    if not users:
        # Local mode: every client is the user's own. Only when nobody had logged time did
        # "me" get them: one ``time add … --member me`` left "me" that client alone, and the
        # flagged messages of every other client vanished from the stress chart.
        works[local_member] |= set(summaries)
    weeks = week_run({w for s in summaries.values() for w in s.get("weeks", {})})
    stress = []
    for member in sorted(works):
        series = [
            sum(int(summaries[c].get("weeks", {}).get(w, 0)) for c in works[member] if c in summaries)
            for w in weeks
        ]
        stress.append((member, series))
    revenue = _revenue(store, summaries)
    clients = []
    for cid, s in summaries.items():
        h = sum(v for (m, c), v in hours.items() if c == cid)
        rev = revenue.get(cid, [])
        if h or rev:
            clients.append(
                {
                    "id": cid,
                    "name": s["name"],
                    "level": s["level"],
                    "hours": h,
                    "revenue": rev,  # [(amount, currency), …]
                    "per_hour": [(amount / h, cur) for amount, cur in rev] if h else [],
                }
            )
    clients.sort(key=lambda c: -(c["hours"] or 0))
    spill = []
    for member in sorted(works):
        toxic = [c for c in works[member] if summaries.get(c, {}).get("level") in TOXIC_LEVELS]
        others = [c for c in works[member] if c not in toxic and c in summaries]
        th = sum(hours.get((member, c), 0.0) for c in toxic)
        oh = sum(hours.get((member, c), 0.0) for c in others)
        load = sum(sum(summaries[c].get("weeks", {}).values()) for c in works[member] if c in summaries)
        tload = sum(sum(summaries[c].get("weeks", {}).values()) for c in toxic)
        spill.append(
            {
                "member": member,
                "toxic": [summaries[c]["name"] for c in toxic],
                "others": [summaries[c]["name"] for c in others],
                "toxic_hours": th,
                "other_hours": oh,
                "hours_share": th / (th + oh) if th + oh else None,
                "load_share": tload / load if load else None,
            }
        )
    return TeamView(weeks, stress, clients, spill)


def _revenue(store: Store, summaries: dict[int, dict[str, Any]]) -> dict[int, list[tuple[float, str]]]:
    """Invoiced amount per client and currency, in order of first appearance.

    One sum per client added a 1 000 USD invoice to 44 000 RUB and showed "45 000 RUB"
    (and 11 250 RUB an hour); the portfolio's overdue column keeps currencies apart too.
    Net of refunds (money given back) and credits (amounts taken off), unless voided:
    a project stopped after 60 000 paid and 20 000 returned earned 40 000.
    """
    try:
        from clientguard.store.models_contracts import InvoiceAdjustmentRow, InvoiceRow, InvoiceVoidRow
    except ImportError:
        return {}
    out: dict[int, dict[str, float]] = {}
    # a voided invoice (`invoice void`: a typo) was never revenue
    voided = select(InvoiceVoidRow.invoice_id).where(InvoiceVoidRow.payment_id.is_(None))
    with store.engine.connect() as conn:
        for cid, amount, cur in conn.execute(
            select(InvoiceRow.client_id, InvoiceRow.amount, InvoiceRow.currency)
            .where(InvoiceRow.id.not_in(voided))
            .order_by(InvoiceRow.id)
        ):
            sums = out.setdefault(int(cid), {})
            sums[str(cur)] = sums.get(str(cur), 0.0) + float(amount)
        adj = InvoiceAdjustmentRow
        undone = select(adj.void_of).where(adj.kind == "void", adj.void_of.is_not(None))
        for cid, taken, cur in conn.execute(
            select(InvoiceRow.client_id, adj.amount, InvoiceRow.currency)
            .join(InvoiceRow, InvoiceRow.id == adj.invoice_id)
            .where(adj.kind.in_(("refund", "credit")), adj.id.not_in(undone), InvoiceRow.id.not_in(voided))
        ):
            sums = out.setdefault(int(cid), {})
            sums[str(cur)] = sums.get(str(cur), 0.0) - float(taken or 0)
    return {k: [(round(v, 2), cur) for cur, v in sums.items()] for k, sums in out.items() if k in summaries}
