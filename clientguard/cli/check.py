"""``clientguard check "текст"``: labels, scores and highlighted evidence for one message."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.cli._refused import OptionRefused
from clientguard.errors import msg

if TYPE_CHECKING:
    from clientguard.analysis.case import CaseFile
    from clientguard.cli._console import Texts
    from clientguard.domain import MessageAnalysis

#: Control characters shown as their Unicode "control pictures" (␛ for ESC …), one char for
#: one char: a pasted message is echoed to the terminal, and an escape sequence in it must
#: not recolour the terminal, set its title or write the clipboard (QA F29).
_VISIBLE = (
    {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)}
    | {0x7F: 0x2421}
    | {c: 0xFFFD for c in range(0x80, 0xA0)}
)


def visible(text: str) -> str:
    """``text`` with every terminal control character replaced by a visible stand-in."""
    return text.translate(_VISIBLE)


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        text: Annotated[str, typer.Argument(help="The client message to analyse; '-' reads it from stdin.")],
        lang: Annotated[str | None, typer.Option("--lang", help="ru or en; detected when omitted.")] = None,
        explain: Annotated[bool, typer.Option("--explain", help="List every rule that fired.")] = False,
        sent: Annotated[
            str | None,
            typer.Option(
                "--sent",
                help="When the client sent it (local time, '2026-11-25 17:45' or '25.11.2026 17:45'): "
                "read deadlines and night messages against the clock.",
            ),
        ] = None,
        case: Annotated[
            Path | None,
            typer.Option(
                "--case", help="Case file (JSON or YAML) with the time zone and working hours for --sent."
            ),
        ] = None,
    ) -> None:
        """Analyse one client message and show the signals with their evidence."""
        from rich.markup import escape
        from rich.table import Table
        from rich.text import Text

        from clientguard.cli._console import console, texts
        from clientguard.nlp.api import explain_texts
        from clientguard.report.i18n import quote

        if lang is not None and lang not in ("ru", "en"):
            raise OptionRefused(msg("cli.ru_or_en", lang=lang), param_hint="--lang")
        say = texts("check_cli", None)  # --lang is the message's language, not the interface's
        if text == "-":  # long pasted or dictated messages, or a pipe
            text = _stdin_text()
        if not text.strip():
            # an empty argument or pipe was "no signals (lang=ru)": a verdict on nothing, and in
            # a language guessed from nothing
            raise typer.BadParameter(say("empty"), param_hint="text")
        when = _sent_at(sent) if sent is not None else None
        if case is not None and when is None:
            raise OptionRefused(msg("cli.case_needs_sent"), param_hint="--case")
        res = explain_texts([text], [lang])[0]
        a = res.analysis
        con = console()
        if when is not None:
            a, clock_line = _on_the_clock(text, a, when, case, say)

        def num(value: float, fmt: str = ".2f") -> str:
            out = format(value, fmt)
            return out.replace(".", ",") if say.lang == "ru" else out

        def quoted(part: str) -> str:
            """A piece of the message in the interface's quotation marks, safe to print."""
            return quote(escape(visible(part)), say.lang)

        def name(sig: str) -> str:
            """The signal in words, its id beside it (ids are what files and tools use)."""
            return f"{say.term('signals', sig)} ({sig})"

        shown = Text(visible(text))  # same length: the evidence offsets still fit
        for spans in a.evidence.values():
            for ev in spans:
                shown.stylize("bold black on yellow", ev.start, ev.end)
        con.print(shown)
        if not a.labels:
            con.print(say("none", lang=a.lang))
        table = Table(say("signal"), say("score"), say("evidence"))
        # rule ids are what --explain is for: folded onto the next line, never cut to "en.dead…"
        table.columns[2].overflow = "fold"
        for sig in a.labels:
            # Client text is data, never Rich markup: "[/]" in a message used to crash this.
            ev_txt = "; ".join(f"{quoted(text[e.start : e.end])} ({e.rule})" for e in a.evidence.get(sig, ()))
            table.add_row(escape(name(sig)), num(a.scores[sig]), ev_txt)
        if a.labels:
            con.print(table)
        if when is not None:
            con.print(clock_line, markup=False)
        if explain:
            t2 = Table(say("rule"), say("signal"), say("weight"), say("span"), title=say("fired"))
            t2.columns[0].overflow = "fold"
            t2.columns[0].min_width = min(max((len(h.rule) for h in res.hits), default=4), 30)
            from clientguard.nlp.explain import STAT_RULE, model_word_spans

            words = model_word_spans(text, a.lang, {h.signal for h in res.hits if h.rule == STAT_RULE})
            for h in res.hits:
                span = f"{h.start}-{h.end} {quoted(text[h.start : h.end])}"
                if h.rule == STAT_RULE and h.signal in words:
                    span = say("weighed") + ", ".join(quoted(text[b:e]) for b, e, _ in words[h.signal])
                t2.add_row(h.rule, h.signal, num(h.weight, "+.2f"), span)
            con.print(t2)
            if a.labels:
                # The table's weights combine by noisy-OR into the raw score; the score shown
                # above is that raw score calibrated (clientguard/nlp/calibration.py).
                from clientguard.nlp.scoring import rule_scores

                raw = rule_scores(res.hits)
                con.print(
                    say("raw")
                    + ", ".join(f"{sig} {num(raw[sig])} → {num(a.scores[sig])}" for sig in a.labels),
                    markup=False,
                )


def _stdin_text() -> str:
    """Standard input as text; bytes that are not UTF-8 are an error naming the byte."""
    import sys

    from clientguard.errors import InputError, Where, msg

    raw = sys.stdin.buffer.read()
    try:
        return raw.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        where = Where("<stdin>", f"byte {exc.start}")
        raise InputError(msg("cli.stdin_utf8", byte=raw[exc.start]), where) from None


#: How a user types a local date and time: ISO, or the Russian day-first form.
_SENT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%y %H:%M")


def _sent_at(value: str) -> datetime:
    """``--sent`` as a naive local date and time; anything else is refused with the forms it takes."""
    for fmt in _SENT_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    raise OptionRefused(msg("cli.bad_sent", value=value), param_hint="--sent")


def _case(path: Path | None) -> CaseFile:
    from clientguard import config
    from clientguard.analysis.case import CaseFile, load_case

    return load_case(path) if path is not None else CaseFile(timezone=config.get("tz"))


def _on_the_clock(
    text: str, a: MessageAnalysis, when: datetime, path: Path | None, say: Texts
) -> tuple[MessageAnalysis, str]:
    """``a`` with what the send time adds (a deadline that leaves too little of the working day, a
    meeting or a demand off hours: :func:`clientguard.analysis.context.in_context`), and the line
    that says how the time was read.

    Why here too: the same words are a plain request at noon and an off-hours demand at 1 a.m.;
    a user checking one message they just received knows when it came.
    """
    from dataclasses import replace

    from clientguard.analysis.context import in_context
    from clientguard.analysis.conversation import is_off_hours
    from clientguard.analysis.model import AnalyzedMessage
    from clientguard.contracts.drafts import format_hours
    from clientguard.domain import Role, WorkingHours

    case = _case(path)
    local = when.replace(tzinfo=case.tz)
    m = AnalyzedMessage(
        "1",
        "client",
        "client",
        Role.CLIENT,
        local,
        text,
        labels=a.labels,
        scores=dict(a.scores),
        evidence=dict(a.evidence),
    )
    (got,) = in_context([m], case)
    wh = case.working_hours
    line = say(
        "sent_as",
        when=local.strftime("%d.%m.%Y %H:%M" if say.lang == "ru" else "%Y-%m-%d %H:%M"),
        zone=case.timezone,
        hours=format_hours(WorkingHours(wh.days, wh.start, wh.end), say.lang),
        off=say("off_yes" if is_off_hours(local, case) else "off_no"),
    )
    return replace(a, labels=got.labels, scores=got.scores, evidence=got.evidence), line
