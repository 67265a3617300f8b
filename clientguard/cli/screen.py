"""``clientguard screen``: presale screening of a lead from messages, brief and draft contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.cli._refused import OptionRefused
from clientguard.errors import msg

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
                "'YYYY-MM-DD HH:MM | ' prefix), .docx, .pdf or a chat export.",
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
            raise OptionRefused(msg("cli.ru_or_en", lang=lang), param_hint="--lang")
        if messages is None and brief is None:
            raise OptionRefused(msg("cli.messages_or_brief"), param_hint="--messages/--brief")
        from clientguard import config

        # The console speaks the interface language; the reply stays in the lead's (--lang).
        ui = None if as_json else config.ui_lang(None)
        result = screen_files(
            messages, brief, lang=lang, contract=contract, detector=not no_detector, ui_lang=ui
        )
        if as_json:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
            return
        _print(result)


def _print(s: Screening) -> None:
    """The screening for people, in the interface language (``s.ui_lang``).

    A Russian user read "proceed — брать в работу", a table titled "brief" with rows
    "goal | yes", red flags as ids ("contract_avoidance | high") and a panel "draft reply":
    English labels and internal ids around Russian reasons. The reply keeps its own
    language (the lead's, or ``--lang``) and the panel names it.
    """
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from clientguard.cli._console import console
    from clientguard.presale.reply import load_pack
    from clientguard.report.i18n import t

    lg = s.ui_lang or s.lang
    pack = load_pack(lg)

    def say(key: str) -> str:
        return t("screen_cli", key, lg)

    out = console()
    rec = s.recommendation
    out.print(f"[bold]{escape(pack.actions[rec.action])}[/]", highlight=False)
    for r in rec.reasons:
        out.print(f"  • {r}", highlight=False, markup=False)
    sg = rec.safeguards
    if sg.prepayment_percent is not None:
        out.print(f"  {say('prepayment')}: {sg.prepayment_percent}%", highlight=False)
    if sg.pilot:
        out.print(f"  {say('pilot')}: {sg.pilot}", highlight=False, markup=False)
    if sg.clauses:
        names = ", ".join(pack.clause_names.get(c, c) for c in sg.clauses)
        out.print(f"  {say('clauses')}: {names}", highlight=False, markup=False)
    table = Table(say("brief_part"), say("found"), say("evidence"), title=say("brief"))
    for p in s.brief:
        ev = _evidence(p.evidence, escape, lg)
        found = say("answer_yes") if p.found else f"[red]{escape(say('answer_no'))}[/]"
        table.add_row(escape(pack.parts.get(p.id, p.id)), found, ev)
    out.print(table)
    if s.red_flags:
        flags = Table(say("red_flag"), say("severity"), say("evidence"), title=say("red_flags"))
        for f in s.red_flags:
            name = pack.signal_names.get(f.signal, f.signal)
            severity = t("severity", f.severity, lg)
            flags.add_row(escape(name), escape(severity), _evidence(f.evidence, escape, lg))
        out.print(flags)
    title = say("draft_reply").format(lang=s.lang)
    out.print(Panel(escape(s.reply), title=escape(title)))


def _evidence(span: Span | None, escape: Callable[[str], str], lang: str = "en") -> str:
    """Source, quote and (dimmed) the rule that fired, so every verdict can be traced."""
    from clientguard.report.i18n import t

    if span is None:
        return ""
    rule = f" [dim]{escape(span.rule)}[/]" if span.rule else ""
    source = span.source
    if source == "brief":
        source = t("screen_cli", "source_brief", lang)
    elif source.startswith("message "):
        source = t("screen_cli", "source_message", lang).format(n=source.split(" ", 1)[1])
    return escape(f"[{source}] {span.text}") + rule
