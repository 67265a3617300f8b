"""``clientguard evidence verify|sync|export``: check and hand over the evidence log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clientguard.cli._console import LangOption, texts
from clientguard.cli._dates import day_option
from clientguard.cli._groups import group
from clientguard.cli.import_ import DbOption

#: Above this many chronology entries a PDF export says, before it starts, that it takes a while
#: (50,000 entries: 36 s of CPU, 114 s wall with the 2 cores shared by a load of 9-12, 0.5 GB).
PDF_SLOW_ENTRIES = 20_000


def _export_format(fmt: str | None, out: Path, formats: tuple[str, ...]) -> str:
    """The export's format: ``--format``, else the extension of ``--out``, else html.

    ``--out dispute.pdf`` without ``--format pdf`` wrote HTML into a file named .pdf,
    which no PDF viewer opens; a format that contradicts the extension is refused.
    """
    suffix = out.suffix.lower().lstrip(".")
    by_suffix = {"htm": "html", "html": "html", "pdf": "pdf", "json": "json"}.get(suffix)
    if fmt is None:
        return by_suffix or "html"
    from clientguard.cli._refused import OptionRefused
    from clientguard.errors import msg

    if fmt not in formats:
        raise OptionRefused(msg("cli.format_one_of", formats=", ".join(formats), fmt=fmt))
    if by_suffix is not None and by_suffix != fmt:
        raise OptionRefused(msg("cli.format_suffix", fmt=fmt, name=out.name, suffix=suffix))
    return fmt


def register(app: typer.Typer) -> None:
    evidence = group(app, "evidence")

    @evidence.command("verify")
    def verify(
        client: Annotated[str | None, typer.Argument(help="Client name; all clients when omitted.")] = None,
        cross_check: Annotated[
            bool,
            typer.Option("--cross-check/--chain-only", help="Also compare the log with the stored messages."),
        ] = True,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Verify the hash chains; name every edited, inserted, deleted or reordered record.

        Conversations that changed client are listed (to or from whom, when, why); their
        messages verify under the client that holds them now. A former name checks the
        log of the client that had it (renamed, or merged into another: its own closed
        log), and an erased client is checked by its number (#N). Read-only. Exit code 0
        when everything verifies, 2 when tampering was found.
        """
        from clientguard.evidence.closing import closing_text, find_target, shown_name
        from clientguard.evidence.export import move_text, problem_text
        from clientguard.evidence.verify import client_ids, verify_client
        from clientguard.store import open_store

        say = texts("evidence_cli", lang)
        bad = 0
        with open_store(db, must_exist=True) as store, store.engine.connect() as conn:
            target = find_target(conn, client) if client else None
            ids = [target.client_id] if target else client_ids(conn)
            if not ids:  # an empty store printed nothing at all (README walk-through)
                typer.echo(say("nothing"))
            if target is not None:
                # What became of the name typed: a merged or erased client was "no such
                # client", and a former name silently checked whoever has it now.
                for said in target.history:
                    typer.echo(say("target", name=target.name, what=closing_text(said, say.lang)))
                if target.into:
                    typer.echo(say("records_now", into=target.into))
            for cid in ids:
                report = verify_client(conn, cid, cross_check=cross_check)
                state = (
                    say("ok")
                    if report.ok
                    else say("tampered", problems=say.count(len(report.problems), "problem"))
                )
                typer.echo(
                    say(
                        "verified_line",
                        client=shown_name(report.client, say.lang),
                        records=say.count(report.records, "record"),
                        messages=say.count(report.messages, "message"),
                        seq=report.head_seq,
                        hash=report.head_hash[:16],
                        state=state,
                    )
                )
                for note in report.moves:
                    typer.echo(f"  seq {note.seq}: {move_text(note, say.lang)}")
                for closed in report.closing:  # renamed, merged, erased (clients …)
                    typer.echo(f"  seq {closed.seq}: {closing_text(closed, say.lang)}")
                for p in report.problems:
                    where = f"seq {p.seq}" if p.seq is not None else say("store")
                    kind = p.kind or "-"  # English keeps the ids tools match on
                    if p.kind and say.lang == "ru":
                        kind = say.term("record_kinds", p.kind)
                    typer.echo(
                        say(
                            "problem", where=where, kind=kind, ref=p.ref or "", text=problem_text(p, say.lang)
                        )
                    )
                if report.pending:
                    typer.echo(say("pending", n=report.pending))
                bad += 0 if report.ok else 1
        if bad:
            raise typer.Exit(2)

    @evidence.command("sync")
    def sync_(
        client: Annotated[str | None, typer.Argument(help="Client name; all clients when omitted.")] = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Log what has no import hook yet: events, contracts, invoices (and their changes).

        Also records conversations that moved to another client before the log recorded
        moves (their old client's log read "deleted", the new one's "unlogged").
        """
        from clientguard.evidence.handover import record_earlier_moves
        from clientguard.evidence.log import sync
        from clientguard.evidence.verify import client_ids, resolve_client
        from clientguard.store import open_store

        with open_store(db) as store, store.engine.begin() as conn:
            ids = [resolve_client(conn, client)] if client else client_ids(conn)
            # Moves first for every client, so no moved message is logged anew by the sync
            # of the client it moved to.
            total = sum(record_earlier_moves(conn, cid) for cid in ids)
            total += sum(sync(conn, cid) for cid in ids)
        say = texts("evidence_cli", lang)
        typer.echo(say("appended", records=say.count(total, "record")))

    @evidence.command("export")
    def export(
        client: Annotated[str, typer.Argument(help="Client name.")],
        out: Annotated[Path, typer.Option("--out", help="File to write.")],
        fmt: Annotated[
            str | None,
            typer.Option("--format", help="html, pdf or json; default: by the file's extension, else html."),
        ] = None,
        # --since/--until as well: `messages --since` is how the README filters by date, and
        # the same words given to the export answered "No such option".
        start: Annotated[
            str | None, typer.Option("--from", "--since", help="First day: 2025-09-01 or 01.09.2025.")
        ] = None,
        end: Annotated[
            str | None, typer.Option("--to", "--until", help="Last day: 2025-09-30 or 30.09.2025.")
        ] = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Write a dispute-ready file: verdict, head hash, flagged messages, agreements, invoices, chronology.

        The log is verified first (problems are printed in the file), then anything not yet
        logged is synced, so the export covers every event, contract and invoice. Exit code
        0 when the log verifies, 2 when tampering was found (the file is written all the same,
        naming every problem), as with `evidence verify`.
        """
        from clientguard import outfile
        from clientguard.evidence.dispute import prepare
        from clientguard.evidence.export import FORMATS, write
        from clientguard.evidence.verify import resolve_client
        from clientguard.store import open_store

        fmt = _export_format(fmt, out, FORMATS)
        first, last = day_option(start, "--from/--since"), day_option(end, "--to/--until")
        if first is not None and last is not None and first > last:
            # A reversed period exported an empty document that still said "verified".
            from clientguard.cli._refused import OptionRefused
            from clientguard.errors import msg

            said = msg("cli.export_from_after_to", first=first.isoformat(), last=last.isoformat())
            raise OptionRefused(said)
        outfile.check_target(out)  # before the log is synced: a bad path fails with nothing changed
        with open_store(db, must_exist=True) as store:
            with store.engine.connect() as conn:
                cid = resolve_client(conn, client)
            data = prepare(store.engine, cid, first, last)
        say = texts("evidence_cli", lang)
        if fmt == "pdf" and len(data.chronology) > PDF_SLOW_ENTRIES:
            # The command is silent while it works: WeasyPrint took 227 s and 3.4 GB for
            # 15,272 entries; the reportlab writer is linear, but a big client still takes a while.
            typer.echo(say("pdf_slow", entries=say.count(len(data.chronology), "entry")), err=True)
        write(data, fmt, out, say.lang)
        verdict = (
            say("export_ok")
            if data.verified
            else say("export_bad", problems=say.count(len(data.problems), "problem"))
        )
        entries = say.count(len(data.chronology), "entry")
        typer.echo(say("exported", out=out, entries=entries, hash=data.head_hash[:16], verdict=verdict))
        if not data.verified:
            # A tampered log exited 0 like a clean one: a script that sends the file on
            # success sent it without a word; the file still names every problem.
            raise typer.Exit(2)
