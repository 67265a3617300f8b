"""``clientguard screen``: presale screening of a lead from messages, brief and draft contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Callable

    from clientguard.presale.model import Screening, Span


def register(app: typer.Typer) -> None:
    @app.command("screen")
    def screen(
        messages: Annotated[
            Path | None,
            typer.Option(
                "--messages",
                help="The lead's messages: plain text (one per paragraph, optional "
                "'YYYY-MM-DD HH:MM | ' prefix) or a chat export.",
            ),
        ] = None,
        brief: Annotated[
            Path | None, typer.Option("--brief", help="The lead's brief: .md, .txt, .docx or .pdf.")
        ] = None,
        contract: Annotated[
            Path | None,
            typer.Option(
                "--contract",
                help="A draft contract: always checked; the reply insists on its weak/missing clauses "
                "(unless the lead is declined).",
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
        lang: Annotated[
            str | None,
            typer.Option(
                "--lang",
                help="Language of the reply ru|en (default: the messages', else the brief's). "
                "The messages and the brief are each read in their own detected language.",
            ),
        ] = None,
        no_detector: Annotated[
            bool,
            typer.Option(
                "--no-detector", help="Skip the message-signal detector: presale rules only, fastest."
            ),
        ] = False,
    ) -> None:
        """Screen a lead: brief gaps, red flags, a decision with terms, and a draft reply."""
        from clientguard.presale.pipeline import screen_files

        if lang is not None and lang not in ("ru", "en"):
            raise typer.BadParameter(f"expected ru or en, got {lang!r}", param_hint="--lang")
        if messages is None and brief is None:
            raise typer.BadParameter("give --messages and/or --brief", param_hint="--messages/--brief")
        result = screen_files(messages, brief, lang=lang, contract=contract, detector=not no_detector)
        if as_json:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
            return
        _print(result)


def _print(s: Screening) -> None:
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from clientguard.cli._console import console
    from clientguard.presale.reply import load_pack

    pack = load_pack(s.lang)
    out = console()
    rec = s.recommendation
    out.print(f"[bold]{rec.action}[/] — {pack.actions[rec.action]}", highlight=False)
    for r in rec.reasons:
        out.print(f"  • {r}", highlight=False, markup=False)
    sg = rec.safeguards
    if sg.prepayment_percent is not None:
        out.print(f"  prepayment: {sg.prepayment_percent}%", highlight=False)
    if sg.pilot:
        out.print(f"  pilot: {sg.pilot}", highlight=False, markup=False)
    if sg.clauses:
        out.print(f"  clauses: {', '.join(sg.clauses)}", highlight=False)
    table = Table("brief part", "found", "evidence", title="brief")
    for p in s.brief:
        ev = _evidence(p.evidence, escape)
        table.add_row(p.id, "yes" if p.found else "[red]no[/]", ev)
    out.print(table)
    if s.red_flags:
        flags = Table("red flag", "severity", "evidence", title="red flags")
        for f in s.red_flags:
            flags.add_row(f.signal, f.severity, _evidence(f.evidence, escape))
        out.print(flags)
    out.print(Panel(s.reply, title="draft reply"), markup=False)


def _evidence(span: Span | None, escape: Callable[[str], str]) -> str:
    """Source, quote and (dimmed) the rule that fired, so every verdict can be traced."""
    if span is None:
        return ""
    rule = f" [dim]{escape(span.rule)}[/]" if span.rule else ""
    return escape(f"[{span.source}] {span.text}") + rule
