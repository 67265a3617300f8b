"""``clientguard eval signals LABELLED.jsonl``: per-signal P/R/F1, micro/macro F1, neutral FP rate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from clientguard.cli._groups import group
from clientguard.errors import InputError, Where, msg


def register(app: typer.Typer) -> None:
    ev = group(app, "eval")

    @ev.command("signals")
    def eval_signals(
        path: Annotated[Path, typer.Argument(help="Labelled JSONL (spec/datasets.md).")],
        as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    ) -> None:
        """Measure message-signal quality on a labelled set."""
        from clientguard.nlp.evaluate import evaluate_records, read_labelled

        if not path.is_file():
            from clientguard.cli._refused import OptionRefused

            raise OptionRefused(msg("cli.no_such_file", path=str(path)), param_hint="LABELLED")
        records = read_labelled(path)
        if not records:  # a table of zeros would read as a measurement
            raise InputError(msg("cli.no_labelled"), Where(str(path)))
        rep = evaluate_records(records)
        if as_json:
            typer.echo(json.dumps(rep.as_dict(), ensure_ascii=False, indent=2))
            return
        from rich.table import Table

        from clientguard.cli._console import console

        t = Table("signal", "P", "R", "F1", "support", title=f"{path.name}: {rep.n} messages")
        for s, p in rep.per_signal.items():
            t.add_row(s, f"{p.precision:.3f}", f"{p.recall:.3f}", f"{p.f1:.3f}", str(p.support))
        con = console()
        con.print(t)
        con.print(
            f"micro-F1 {rep.micro_f1:.3f}  macro-F1 {rep.macro_f1:.3f}  "
            f"FP rate on neutral {rep.neutral_fp_rate:.3f} ({rep.n_neutral} neutral)"
        )
