"""``clientguard revisions CLIENT``: revision rounds per deliverable against the contract limit.

The rounds are those of ``clientguard analyze --client CLIENT`` and the dashboard (one
engine, :mod:`clientguard.contracts.revisions`); times are in the case's time zone.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.cli._console import LangOption, texts
from clientguard.cli.import_ import DbOption

if TYPE_CHECKING:
    from clientguard.cli._console import Texts

#: Style of each state; its words are ``revisions_cli.<state>`` of the interface strings.
_STATE_STYLE = {"over_limit": "red", "limit_reached": "yellow", "within_limit": ""}


def _limit(value: int | None) -> int | None:
    """``--limit`` through the rule ``contract set --revision-limit`` applies (-1 was taken)."""
    if value is None:
        return None
    from clientguard.contracts import validate

    try:
        return validate.revision_limit(value)
    except ValueError as exc:
        from clientguard.cli._refused import OptionRefused
        from clientguard.errors import refusal

        raise OptionRefused(refusal(exc)) from None


def register(app: typer.Typer) -> None:
    @app.command("revisions")
    def revisions(
        client: Annotated[str, typer.Argument(help="Client name.")],
        limit: Annotated[
            int | None,
            typer.Option("--limit", callback=_limit, help="Override the contract's limit (0–100)."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Count revision rounds per deliverable, as `analyze` counts them (local times)."""
        from clientguard.contracts.revisions import client_revisions

        result = client_revisions(client, db=db, limit=limit)
        if as_json:
            typer.echo(json.dumps([d.as_json() for d in result.deliverables], ensure_ascii=False, indent=1))
            return
        import shlex

        from rich.markup import escape
        from rich.table import Table

        from clientguard.cli._console import console

        say = texts("revisions_cli", lang)
        out = console()
        if not result.deliverables:
            out.print(say("none"), markup=False, highlight=False)
        else:
            table = Table(
                say("deliverable"),
                say("rounds"),
                say("limit"),
                say("state"),
                escape(say("requests", tz=result.timezone)),
            )
            for d in result.deliverables:
                refs = [f"#{r.message_id}" if r.message_id is not None else escape(r.id) for r in d.requests]
                when = ", ".join(
                    f"{r.at:%Y-%m-%d %H:%M} {ref}" if r.at else ref
                    for r, ref in zip(d.requests, refs, strict=True)
                )
                limit_txt = "—" if d.limit is None else str(d.limit)
                table.add_row(
                    escape(say.term("deliverables", d.name)),
                    str(d.rounds),
                    limit_txt,
                    _state(say, d.state),
                    when,
                )
            out.print(table)
        if result.limit is None:
            out.print(say("no_limit", client=shlex.quote(result.client)), markup=False, highlight=False,
                      soft_wrap=True)  # a command to copy: never cut at column 80


def _state(say: Texts, state: str) -> str:
    """A deliverable's state in words, coloured; "—" without a limit."""
    from rich.markup import escape

    if state not in _STATE_STYLE:
        return "—"
    words = escape(say(state))
    style = _STATE_STYLE[state]
    return f"[{style}]{words}[/]" if style else words
