"""``clientguard time add|list``: time spent per client, logged and looked back on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.cli._console import LangOption, Texts, texts
from clientguard.cli._dates import day_option
from clientguard.cli._groups import group
from clientguard.cli._numbers import hours as parse_hours
from clientguard.cli.import_ import DbOption

if TYPE_CHECKING:
    from clientguard.store import Store


@dataclass(frozen=True)
class TimeEntry:
    """One logged stretch of work, as ``time list`` shows it (``member`` as stored: "me" is the user)."""

    day: str
    member: str
    hours: float
    note: str | None


def time_entries(
    store: Store, client: str, member: str | None = None, start: date | None = None, end: date | None = None
) -> tuple[str, list[TimeEntry]]:
    """The client's stored name and its time entries, newest first, as the client page orders them.

    The client page's time card (``web.routes.client.with_time_log``) reads the same
    table in the same order but only its latest rows; this reads them all, filtered.
    Days are stored as ISO text, so the period compares as text.
    """
    from sqlalchemy import select

    from clientguard.store.lookup import require_client
    from clientguard.store.models_web import TimeEntryRow

    e = TimeEntryRow
    with store.engine.connect() as conn:
        cid, name = require_client(conn, client)
        query = select(e.day, e.member, e.hours, e.note).where(e.client_id == cid)
        if member is not None:
            query = query.where(e.member == member)
        if start is not None:
            query = query.where(e.day >= start.isoformat())
        if end is not None:
            query = query.where(e.day <= end.isoformat())
        rows = conn.execute(query.order_by(e.day.desc(), e.id.desc())).all()
    return name, [TimeEntry(str(r.day), str(r.member), float(r.hours), r.note) for r in rows]


def duration(hours: float, say: Texts) -> str:
    """Hours as people say a stretch of time, as the client page's time log says them
    (:func:`clientguard.web.timelog.duration`)."""
    from clientguard.web.timelog import duration as worded

    return worded(hours, say.lang)


def _member_typed(member: str | None) -> str | None:
    """``--member`` as stored: the word ``time list`` prints for the user ("вы", "you") is "me"."""
    if member is None:
        return None
    from clientguard.report.i18n import LANGS, t
    from clientguard.web.timelog import LOCAL_MEMBER

    words = {t("time_cli", "member_me", lang).casefold() for lang in LANGS}
    return LOCAL_MEMBER if member.strip().casefold() in words else member


def register(app: typer.Typer) -> None:
    time_ = group(app, "time")

    @time_.command("add")
    def add(
        client: Annotated[str, typer.Argument(help="Client name.")],
        hours: Annotated[
            float,
            typer.Argument(help="Hours spent (e.g. 1.5, 1,5 or 1:30).", parser=parse_hours, metavar="hours"),
        ],
        member: Annotated[str, typer.Option("--member", help="Team member who spent them.")] = "me",
        day: Annotated[
            str | None, typer.Option("--date", help="Day (2025-09-05 or 05.09.2025), default today.")
        ] = None,
        note: Annotated[str | None, typer.Option("--note", help="What the time went on.")] = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Record time spent on a client: the team view compares it with the revenue."""
        from clientguard.store import open_store
        from clientguard.web.timelog import add_time

        when = day_option(day, "--date")
        with open_store(db) as store:
            add_time(store, client, hours, member, when, note)
        from clientguard.report.i18n import number

        say = texts("time_cli", lang)
        # "me" is how the log names the user (the team view's local member), not a name to
        # print: the dashboard says "Вы"/"You", and so does this line
        shown = say("member_me") if member == "me" else member
        typer.echo(say("added", hours=number(hours, say.lang, 2), client=client, member=shown))

    @time_.command("list")
    def list_(
        client: Annotated[str, typer.Argument(help="Client name.")],
        member: Annotated[str | None, typer.Option("--member", help="Only this team member's time.")] = None,
        start: Annotated[
            str | None, typer.Option("--from", help="From this day (2025-09-01 or 01.09.2025), inclusive.")
        ] = None,
        end: Annotated[
            str | None, typer.Option("--to", help="To this day (2025-09-30 or 30.09.2025), inclusive.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """The time logged on a client, newest first, with the total and each member's share.

        --json gives the entries (day, member, hours, note; the user is "me"), the total
        and the per-member totals, with these keys whatever the language.
        """
        from clientguard.store import open_store

        first, last = day_option(start, "--from"), day_option(end, "--to")
        if first and last and first > last:
            from clientguard.cli._refused import OptionRefused
            from clientguard.errors import msg

            said = msg("cli.from_after_to", first=first.isoformat(), last=last.isoformat())
            raise OptionRefused(said, param_hint="'--from'")
        who = _member_typed(member)
        with open_store(db, must_exist=True) as store:  # reads only
            name, entries = time_entries(store, client, who, first, last)
        total = round(sum(e.hours for e in entries), 4)
        per_member: dict[str, float] = {}
        for e in entries:
            per_member[e.member] = per_member.get(e.member, 0.0) + e.hours
        members = sorted(per_member.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
        if as_json:
            body = {
                "client": name,
                "member": who,
                "from": first.isoformat() if first else None,
                "to": last.isoformat() if last else None,
                "total_hours": total,
                "entries": [
                    {"day": e.day, "member": e.member, "hours": e.hours, "note": e.note} for e in entries
                ],
                "members": [{"member": m, "hours": round(h, 4)} for m, h in members],
            }
            typer.echo(json.dumps(body, ensure_ascii=False, indent=1))
            return
        say = texts("time_cli", lang)

        def shown(m: str) -> str:
            return say("member_me") if m == "me" else m

        if not entries:
            filtered = who is not None or first is not None or last is not None
            typer.echo(say("none_filtered" if filtered else "none", client=name))
            return
        typer.echo(
            say("total", client=name, total=duration(total, say), entries=say.count(len(entries), "entry"))
        )
        width = max(len(shown(e.member)) for e in entries)
        spans = [duration(e.hours, say) for e in entries]
        span_width = max(len(s) for s in spans)
        for e, span in zip(entries, spans, strict=True):
            line = f"  {e.day}  {shown(e.member):<{width}}  {span:>{span_width}}"
            typer.echo(f"{line}  {e.note}" if e.note else line)
        if len(members) > 1:
            typer.echo(say("by_member"))
            for m, h in members:
                typer.echo(f"  {shown(m):<{width}}  {duration(h, say)}")
