"""``clientguard signals --in IN.jsonl --out OUT.jsonl``: batch message signals.

Input lines are ``{"id", "text", "lang"?}``; output lines are exactly
``{"id", "labels", "scores", "evidence"}`` with evidence as ``[start, end, rule]``.

Why two passes: a malformed line must be reported with its place and lose nothing, and
the file may hold millions of messages. The first pass only parses and checks every line
(a few µs each, against ~200 µs to analyse one), so a bad line 3,000,000 fails the run
before a single result is written; the second pass analyses in batches of ``BATCH``, so
memory stays flat however long the input is. Standard input is spooled while it is
checked (in memory up to ``SPOOL_MEMORY`` bytes, then in a private temporary file that is
deleted at the end). ``--out FILE`` is written to a temporary file beside it and renamed
only when every line is done, so an interrupted run never leaves half a result behind.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from clientguard.errors import MalformedRecordError, Msg, Where, msg
from clientguard.jsonl import iter_objects
from clientguard.outfile import atomic_text, check_target

BATCH = 512
SPOOL_MEMORY = 64 * 1024 * 1024


def _records(
    lines: Iterable[bytes], name: str, bad: list[MalformedRecordError] | None = None
) -> Iterator[dict[str, Any]]:
    """The checked records of raw JSONL lines. A bad line raises with its place, or, when
    ``bad`` is given, every bad line is appended to it and skipped."""
    return (rec for _, rec in iter_objects(lines, name, bad, check=_check))


def _check(rec: dict[str, Any], where: Where) -> None:
    if "id" not in rec or not isinstance(rec.get("text"), str):
        raise MalformedRecordError(msg("cli.record_keys"), where)
    lang = rec.get("lang")
    if lang is not None and lang not in ("ru", "en"):
        raise MalformedRecordError(msg("cli.record_lang", lang=lang), where)


def _fail_or_report(bad: list[MalformedRecordError], skip_bad: bool) -> None:
    """Every bad line is named: without ``--skip-bad`` the run stops before any output."""
    if not bad:
        return
    if not skip_bad:
        first = bad[0]
        more: Msg | str = ""
        if len(bad) > 1:
            lines = ", ".join(e.where.where.removeprefix("line ") for e in bad[1:11])
            cut = " …" if len(bad) > 11 else ""
            more = msg("cli.more_bad_lines", count=len(bad) - 1, lines=lines, cut=cut)
        said = msg("cli.bad_lines", first=first.said or first.message, more=more)
        raise MalformedRecordError(said, first.where)
    from rich.markup import escape

    from clientguard.cli._console import err_console, texts

    # The interface language, as `import --skip-bad` says it ("skipped 1 bad line(s)" was
    # English inside a Russian run: README walk-through); the places and errors stay coded.
    say = texts("import_cli", None)
    skipped = say("skipped", records=say.count(len(bad), "bad_record"))
    err_console().print(f"[yellow]{escape(skipped)}[/]", highlight=False)
    for e in bad:
        err_console().print(f"  {escape(str(e.where))}: {escape(e.text(say.lang))}", highlight=False)


def _checked_source(inp: str, bad: list[MalformedRecordError]) -> tuple[IO[bytes], str]:
    """An open binary stream of the input whose every line has been checked (pass one);
    the bad lines are appended to ``bad``."""
    if inp == "-":
        spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115
        try:
            for _ in _records(_tee(sys.stdin.buffer, spool), "<stdin>", bad):
                pass
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return spool, "<stdin>"
    p = Path(inp)
    if not p.is_file():
        from clientguard.cli._refused import OptionRefused

        raise OptionRefused(msg("cli.no_such_file", path=inp), param_hint="--in")
    with p.open("rb") as fh:
        for _ in _records(fh, inp, bad):
            pass
    return p.open("rb"), inp


def _tee(src: IO[bytes], copy: IO[bytes]) -> Iterator[bytes]:
    """Lines of ``src``, each written to ``copy`` as it passes (stdin can be read once)."""
    for line in src:
        copy.write(line)
        yield line


def to_record(rec_id: Any, analysis: Any) -> dict[str, Any]:
    """The output shape of one message (also used by tests)."""
    return {
        "id": rec_id,
        "labels": list(analysis.labels),
        "scores": analysis.scores,
        "evidence": {k: [[e.start, e.end, e.rule] for e in v] for k, v in analysis.evidence.items()},
    }


def register(app: typer.Typer) -> None:
    @app.command("signals")
    def signals(
        inp: Annotated[str, typer.Option("--in", help="Input JSONL ({id, text, lang?}); '-' for stdin.")],
        out: Annotated[str, typer.Option("--out", help="Output JSONL; '-' for stdout.")] = "-",
        skip_bad: Annotated[
            bool, typer.Option("--skip-bad", help="Analyse the rest and list bad lines instead of failing.")
        ] = False,
    ) -> None:
        """Label every message of a JSONL file with the 18 message signals."""
        from clientguard.nlp.api import analyze_texts

        if out != "-":
            check_target(Path(out))  # before a long checking pass, not after it
        bad: list[MalformedRecordError] = []
        src, name = _checked_source(inp, bad)
        with contextlib.ExitStack() as stack:
            stack.callback(src.close)
            _fail_or_report(bad, skip_bad)
            dst: IO[str] = sys.stdout if out == "-" else stack.enter_context(atomic_text(Path(out)))
            chunk: list[dict[str, Any]] = []
            for rec in _records(src, name, []):  # checked and reported already
                chunk.append(rec)
                if len(chunk) == BATCH:
                    _write(dst, chunk, analyze_texts)
                    chunk = []
            _write(dst, chunk, analyze_texts)


def _write(dst: IO[str], chunk: list[dict[str, Any]], analyze: Any) -> None:
    if not chunk:
        return
    res = analyze([r["text"] for r in chunk], [r.get("lang") for r in chunk])
    dst.writelines(
        json.dumps(to_record(r["id"], a), ensure_ascii=False) + "\n" for r, a in zip(chunk, res, strict=True)
    )
