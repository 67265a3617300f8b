"""``clientguard eval conversations DIR``: archetype F1, recommendation accuracy, message F1."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clientguard.cli._groups import group


def register(app: typer.Typer) -> None:
    sub = group(app, "eval")

    @sub.command("conversations")
    def conversations(
        folder: Annotated[
            Path, typer.Argument(exists=True, file_okay=False, help="A conversation set folder.")
        ],
        oracle: Annotated[bool, typer.Option("--oracle-labels", help="Use the gold message labels.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    ) -> None:
        """Score archetypes, recommendations and in-context message signals on a labelled set."""
        import json

        from clientguard.analysis.evaluate import evaluate

        report = evaluate(folder, oracle=oracle)
        data = report.to_dict()
        if as_json:
            print(json.dumps(data, ensure_ascii=False, indent=1))
            return
        from rich.table import Table

        from clientguard.cli._console import console

        out = console()
        out.print(
            f"[bold]{data['mode']}[/] on {data['conversations']} conversations: archetype macro-F1 "
            f"{data['archetype_macro_f1']:.3f}, "
            f"recommendation accuracy {data['recommendation_accuracy']:.3f}, "
            f"message micro-F1 {data['message_micro_f1']:.3f}",
            highlight=False,
        )
        table = Table(title="archetypes")
        for col in ("id", "P", "R", "F1", "tp", "fp", "fn"):
            table.add_column(col)
        for k, v in report.archetype.items():
            table.add_row(
                k, f"{v.precision:.2f}", f"{v.recall:.2f}", f"{v.f1:.2f}", str(v.tp), str(v.fp), str(v.fn)
            )
        out.print(table)
        wrong = [
            c
            for c in report.conversations
            if c.expected != c.predicted or set(c.gold_archetypes) != set(c.pred_archetypes)
        ]
        for c in wrong:
            out.print(
                f"{c.id}: archetypes gold {list(c.gold_archetypes)} pred {list(c.pred_archetypes)}; "
                f"recommendation expected {c.expected} got {c.predicted}",
                highlight=False,
            )
