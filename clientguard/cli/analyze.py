"""``clientguard analyze PATH``: import, analyse, and print or write the client profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("analyze")
    def analyze(
        path: Annotated[Path, typer.Argument(exists=True, help="A chat export (file or folder).")],
        case: Annotated[Path | None, typer.Option("--case", help="Case file (JSON or YAML).")] = None,
        client: Annotated[
            str | None, typer.Option("--client", help="Which client/conversation to analyse.")
        ] = None,
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
        """Profile a client: archetypes, risk, trend and a recommendation with next steps."""
        from clientguard.analysis.pipeline import run_analyze

        if lang is not None and lang not in ("ru", "en"):
            raise typer.BadParameter(f"expected ru or en, got {lang!r}", param_hint="--lang")
        run_analyze(
            path,
            case_path=case,
            client=client,
            as_json=as_json,
            html=html,
            lang=lang,
            db=db,
            me=tuple(me or ()),
        )
