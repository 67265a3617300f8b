"""``clientguard import PATH... [--client NAME] [--me ID] [--tz ZONE] [--skip-bad] [--json]``."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.cli._console import LangOption

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from clientguard.ingest.notices import Notice
    from clientguard.store import ImportProgress, ImportSummary, Store

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="CLIENTGUARD_DB", help="Database URL (default: SQLite in the data dir)."),
]

#: Imports shorter than this never show a progress bar (it would only flicker).
PROGRESS_AFTER_S = 0.5


class _ProgressBar:
    """A Rich bar on stderr that appears only once an import has run for a while."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, p: ImportProgress) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_AFTER_S:
                return
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            from clientguard.cli._console import err_console

            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[files]} · {task.fields[messages]:,} new messages"),
                TimeElapsedColumn(),
                console=err_console(),
                transient=True,
            )
            self.bar.start()
            # Within one file the importers cannot say how far they are: a single file pulses.
            total = p.files_total if p.files_total > 1 else None
            self.task = self.bar.add_task("import", total=total, files="", messages=0)
        if self.task is not None:
            self.bar.update(
                self.task,
                completed=p.files_done,
                messages=p.messages,
                files=f"{p.files_done}/{p.files_total} files",
                description=Path(p.file).name or "import",
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _print_summary(summary: ImportSummary, notices: list[Notice], lang: str | None) -> None:
    """The counts and notices in the interface language; the errors keep their coded English text."""
    import shlex

    from rich.markup import escape

    from clientguard.cli._console import console, place, print_notices, texts

    out = console()
    say = texts("import_cli", lang)
    line = say(
        "summary",
        conversations=say.count(summary.conversations, "conversation"),
        added=say.count(summary.messages_added, "new_message"),
        existing=summary.messages_existing,
        events=say.count(summary.events_added, "new_event"),
    )
    out.print(line, highlight=False)
    if summary.skipped:
        out.print(f"[yellow]{say('skipped', records=say.count(len(summary.skipped), 'bad_record'))}[/]",
                  highlight=False)
        for s in summary.skipped:
            # the record's reason in the interface language ("повреждённый JSON: …"); the
            # summary's JSON and the upload job keep the English ``error``
            why = s.said.text(say.lang) if s.said is not None else s.error
            out.print(f"  [yellow]{escape(place(s.file, s.where, say.lang))}[/]: {escape(why)}",
                      highlight=False, markup=True, soft_wrap=True)
    for m in summary.moved:
        undo = f"clientguard import {shlex.quote(m.file or '…')} --client {shlex.quote(m.from_client)}"
        moved = say("moved", chat=m.chat, old=m.from_client, new=m.to_client, undo=undo)
        out.print(f"[yellow]{escape(moved)}[/]", highlight=False, markup=True, soft_wrap=True)
    for same in summary.same_chat:
        text = say("same_chat", chat=same.chat, stored=same.stored, client=same.client, matched=same.matched)
        out.print(f"[cyan]{escape(text)}[/]", highlight=False, markup=True, soft_wrap=True)
    for name, close in summary.new_clients:
        if close:  # a client started next to a stored one of a close name: likely a typo
            similar = ", ".join(say.quote(c) for c in close)
            out.print(f"[yellow]{escape(say('new_client', name=name, close=similar))}[/]",
                      highlight=False, markup=True, soft_wrap=True)
    print_notices(notices, lang)


#: How many participants the "who is you" tip names (a full-account export has hundreds).
PEOPLE_SHOWN = 6


def _people_if_me_unknown(store: Store, summary: ImportSummary) -> list[str]:
    """The participants of the imported chats when none of the user's identities is stored.

    Without one, every message is stored as the client's: ``messages`` labels the user
    "клиент" too, and ``analyze --client`` guesses the specialist (in a WhatsApp chat the
    user opened, it took the client for the user and gave a rude client risk 0). ``import``
    said nothing; the tip names the participants and ``clientguard me add``. Empty when an
    identity is known or nothing was imported.
    """
    if not summary.conversations or store.me():
        return []
    from sqlalchemy import select

    from clientguard.store.models import ContactRow

    with store.engine.connect() as conn:
        names = conn.scalars(
            select(ContactRow.name).where(ContactRow.client_id.in_(summary.clients)).order_by(ContactRow.id)
        ).all()
    shown = list(dict.fromkeys(names))
    return shown[:PEOPLE_SHOWN] + (["…"] if len(shown) > PEOPLE_SHOWN else [])


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        paths: Annotated[list[Path], typer.Argument(help="Export files or folders to import.")],
        client: Annotated[
            str | None, typer.Option("--client", help="Client the conversations belong to (created if new).")
        ] = None,
        me: Annotated[
            list[str] | None,
            typer.Option("--me", help="Your own identity (Telegram id, phone, e-mail, name); repeatable."),
        ] = None,
        tz: Annotated[
            str | None, typer.Option("--tz", help="Time zone of exports that carry only local time.")
        ] = None,
        skip_bad: Annotated[
            bool,
            typer.Option("--skip-bad", help="Import the rest and list broken records instead of failing."),
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Import chat exports (Telegram, WhatsApp, Slack, e-mail, CSV) in one all-or-nothing transaction.

        Re-importing a file adds nothing; a later, overlapping export adds only new messages.
        A file cut off part-way stops the import even with --skip-bad (nothing is imported).
        """
        from clientguard.cli._console import err_console
        from clientguard.ingest.notices import NoticeReader
        from clientguard.store import open_store

        bar = _ProgressBar() if not as_json and err_console().is_terminal else None
        reader = NoticeReader()
        with open_store(db) as store:
            try:
                summary = store.import_paths(
                    paths, client=client, me=me or [], tz=tz, skip_bad=skip_bad, progress=bar, reader=reader
                )
            finally:
                if bar is not None:
                    bar.close()
            people = _people_if_me_unknown(store, summary)
        if as_json:
            data = summary.to_json()
            data["notices"] = [n.to_json() for n in reader.notices]
            data["moved"] = [dataclasses.asdict(m) for m in summary.moved]
            data["new_clients"] = [{"name": n, "similar": list(c)} for n, c in summary.new_clients]
            typer.echo(json.dumps(data, ensure_ascii=False))
        else:
            _print_summary(summary, reader.notices, lang)
            if people:
                from clientguard.cli._console import console, texts

                tip = texts("import_cli", lang)("who_is_me", people=", ".join(people))
                console().print(tip, markup=False, highlight=False, soft_wrap=True)
