"""``clientguard eval contracts DIR``: clause-status F1 and term accuracy on labelled contracts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from clientguard.cli._groups import group


def register(app: typer.Typer) -> None:
    ev = group(app, "eval")

    @ev.command("contracts")
    def contracts(
        folder: Annotated[Path, typer.Argument(help="Folder with <id>.md/.docx/.pdf and <id>.labels.json.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    ) -> None:
        """Score the contract checker: per-clause and macro F1, extracted-term exact match."""
        from clientguard.contracts.evaluate import evaluate_dir

        result = evaluate_dir(folder)
        if as_json:
            typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
            return
        from rich.table import Table

        from clientguard.cli._console import console

        out = console()
        scores = [result.overall, *result.by_format.values()]
        table = Table(
            "clause", *(f"F1 {s.fmt}" for s in scores), title="clause status (macro F1 over statuses)"
        )
        for clause in result.overall.per_clause_f1:
            table.add_row(clause, *(f"{s.per_clause_f1[clause]:.2f}" for s in scores))
        table.add_row("[bold]macro F1[/]", *(f"[bold]{s.clause_macro_f1:.3f}[/]" for s in scores))
        table.add_row("accuracy", *(f"{s.clause_accuracy:.3f}" for s in scores))
        out.print(table)
        terms = Table("term", *(s.fmt for s in scores), title="extracted terms (exact match; scope strict)")
        for field in result.overall.per_field_exact:
            terms.add_row(field, *(f"{s.per_field_exact[field]:.2f}" for s in scores))
        terms.add_row("[bold]all fields[/]", *(f"[bold]{s.terms_exact:.3f}[/]" for s in scores))
        terms.add_row("scalar fields", *(f"{s.terms_scalar_exact:.3f}" for s in scores))
        terms.add_row("scope, normalised", *(f"{s.scope_normalised:.2f}" for s in scores))
        terms.add_row(
            "[bold]all fields, normalised scope[/]", *(f"[bold]{s.terms_normalised:.3f}[/]" for s in scores)
        )
        terms.add_row("scope items (loose F1)", *(f"{s.scope_item_f1:.3f}" for s in scores))
        out.print(terms)
        out.print(
            f"copies with the same result as their .md: {result.consistent_copies}/{result.copies_compared}"
        )
        for line in result.inconsistencies:
            out.print(f"  [yellow]{line}[/]", highlight=False)
        for line in result.errors:
            out.print(f"  [red]{line}[/]", highlight=False)
