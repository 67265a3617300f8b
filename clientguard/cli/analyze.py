"""``clientguard analyze [PATH]``: import, analyse, and print or write the client profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("analyze")
    def analyze(
        path: Annotated[
            Path | None,
            typer.Argument(
                exists=True,
                help="A chat export (file or folder); leave out to re-profile a stored --client.",
            ),
        ] = None,
        case: Annotated[Path | None, typer.Option("--case", help="Case file (JSON or YAML).")] = None,
        client: Annotated[
            str | None, typer.Option("--client", help="Which client/conversation to analyse.")
        ] = None,
        only_file: Annotated[
            bool,
            typer.Option(
                "--only-file", help="Profile this file alone, not the client's whole stored history."
            ),
        ] = False,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the profile as one JSON object.")
        ] = False,
        html: Annotated[
            Path | None, typer.Option("--html", help="Write a self-contained HTML report.")
        ] = None,
        lang: Annotated[str | None, typer.Option("--lang", help="Interface language: ru or en.")] = None,
        db: Annotated[str | None, typer.Option("--db", help="Database URL (default: settings).")] = None,
        me: Annotated[list[str] | None, typer.Option("--me", help="Your own sender id (repeatable).")] = None,
    ) -> None:
        """Profile a client from all its stored history: archetypes, risk, trend, recommendation.

        With PATH the export is imported first; without it, --client (or the case file's
        client) is re-profiled from what is stored.
        """
        from clientguard.analysis.pipeline import run_analyze

        if lang is not None and lang not in ("ru", "en"):
            raise typer.BadParameter(f"expected ru or en, got {lang!r}", param_hint="--lang")
        if path is None and only_file:
            raise typer.BadParameter("needs a chat export (PATH)", param_hint="--only-file")
        if path is None and client is None and case is None:
            raise typer.BadParameter("give a chat export (PATH) or a stored client (--client NAME)")
        run_analyze(
            path,
            case_path=case,
            client=client,
            as_json=as_json,
            html=html,
            lang=lang,
            db=db,
            me=tuple(me or ()),
            only_file=only_file,
        )
