"""``clientguard time add CLIENT HOURS [--member NAME] [--date YYYY-MM-DD]``: time spent per client."""

from __future__ import annotations

from typing import Annotated

import typer

from clientguard.cli._console import LangOption, texts
from clientguard.cli._dates import day_option
from clientguard.cli._groups import group
from clientguard.cli._numbers import hours as parse_hours
from clientguard.cli.import_ import DbOption


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
