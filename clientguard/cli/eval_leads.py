"""``clientguard eval leads DIR``: decision accuracy, brief-part F1 and red-flag F1 on labelled leads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from clientguard.cli._groups import group


def register(app: typer.Typer) -> None:
    ev = group(app, "eval")

    @ev.command("leads")
    def leads(
        folder: Annotated[
            Path, typer.Argument(help="Folder of lead folders (messages.txt, brief.md, labels.json).")
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
        oracle: Annotated[
            bool,
            typer.Option(
                "--oracle", "--oracle-labels", help="Use the gold message signals instead of the detector."
            ),
        ] = False,
        no_detector: Annotated[
            bool,
            typer.Option("--no-detector", help="Presale rules only, without the message-signal detector."),
        ] = False,
    ) -> None:
        """Score presale screening: decision accuracy, brief-part F1 (per part, macro), red-flag F1."""
        from clientguard.presale.evaluate import evaluate_leads

        report = evaluate_leads(folder, oracle=oracle, detector=not no_detector)
        if as_json:
            typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
            return
        from rich.table import Table

        from clientguard.cli._console import console

        out = console()
        table = Table(
            "brief part", "P", "R", "F1", title=f"brief parts ({report.mode}, {len(report.leads)} leads)"
        )
        for pid, prf in report.parts.items():
            table.add_row(pid, f"{prf.precision:.2f}", f"{prf.recall:.2f}", f"{prf.f1:.2f}")
        table.add_row("[bold]macro F1[/]", "", "", f"[bold]{report.macro_f1:.3f}[/]")
        out.print(table)
        f = report.flags
        out.print(f"decision accuracy: [bold]{report.accuracy:.3f}[/]", highlight=False)
        for lang, row in report.to_dict()["by_lang"].items():
            out.print(f"  {lang}: {row['decision_accuracy']:.3f} on {row['leads']} leads", highlight=False)
        out.print(
            f"red flags (micro over message signals): P {f.precision:.3f} R {f.recall:.3f} F1 {f.f1:.3f}",
            highlight=False,
        )
        for r in report.leads:
            if r.action != r.gold_action:
                out.print(f"  [yellow]{r.id}: expected {r.gold_action}, got {r.action}[/]", highlight=False)
