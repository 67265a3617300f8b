"""``clientguard analyze [PATH]``: import, analyse, and print or write the client profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

#: What ``analyze --client NAME`` says for a client that exists but has no message yet.
_NO_MESSAGES = {
    "ru": (
        "У клиента «{name}» пока нет сохранённых сообщений, профиль строить не по чему. "
        'Сначала импортируйте переписку: clientguard import ФАЙЛ --client "{name}"'
    ),
    "en": (
        "Client «{name}» has no stored messages yet, so there is nothing to profile. "
        'Import a chat first: clientguard import FILE --client "{name}"'
    ),
}


def _nothing_stored(
    client: str | None, case: Path | None, db: str | None, lang: str | None, as_json: bool
) -> bool:
    """Re-profiling a stored client: an unknown name is an error naming the close stored
    names; a known client without messages gets one plain line (stderr with ``--json``)
    instead of an empty profile. True when there is nothing to profile."""
    from clientguard import config
    from clientguard.store import open_store
    from clientguard.store.lookup import find_client, has_messages, unknown_client

    name = client
    if not name and case is not None:
        from clientguard.analysis.case import load_case

        name = load_case(case).client.name
    if not name:
        return False  # the pipeline says what is missing
    with open_store(db) as store, store.engine.connect() as conn:
        found = find_client(conn, name)
        if found is None:
            raise unknown_client(conn, name)
        if has_messages(conn, found[0]):
            return False
    typer.echo(_NO_MESSAGES[config.ui_lang(lang)].format(name=found[1]), err=as_json)
    return True


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
        if path is None and _nothing_stored(client, case, db, lang, as_json):
            return
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
