"""``clientguard contract check|add|set|show``: check a contract, keep a client's terms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.cli._groups import group

if TYPE_CHECKING:
    from clientguard.contracts import ContractReport

_STATUS_STYLE = {"present": "green", "weak": "yellow", "missing": "red"}


def print_report(report: ContractReport, drafts: bool = True) -> None:
    """Rich table of the 15 clauses, then the draft clauses for the gaps."""
    from rich.table import Table

    from clientguard.cli._console import console

    out = console()
    table = Table(title=f"{Path(report.path).name} ({report.fmt}, {report.lang}, {report.rules_version})")
    table.add_column("clause")
    table.add_column("status")
    table.add_column("where")
    table.add_column("quote / why", overflow="fold")
    for c in report.clauses:
        style = _STATUS_STYLE[c.status]
        label = f"[{style}]{c.status}[/]" + (" [bold magenta]trap[/]" if c.trap else "")
        quote = f"«{c.quote}»\n" if c.quote else ""
        table.add_row(c.id, label, c.location or "—", f"{quote}[dim]{c.why}[/]")
    out.print(table)
    ext = report.extracted.as_json()
    out.print("[bold]extracted terms[/]")
    for key, value in ext.items():
        out.print(f"  {key}: {json.dumps(value, ensure_ascii=False)}", highlight=False)
    if drafts:
        gaps = [c for c in report.clauses if c.suggestion]
        if gaps:
            out.print("\n[bold]suggested clauses[/]")
        for c in gaps:
            out.print(f"[bold]{c.id}[/] ({c.status}):\n  {c.suggestion}\n", highlight=False)


def register(app: typer.Typer) -> None:
    contract = group(app, "contract")

    @contract.command("check")
    def check(
        file: Annotated[Path, typer.Argument(help="Contract: .docx, .pdf, .md or .txt.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON: clauses and extracted terms.")] = False,
        lang: Annotated[str | None, typer.Option("--lang", help="ru or en; default: detected.")] = None,
    ) -> None:
        """Check a contract for the 15 protective clauses and draft the missing ones."""
        from clientguard.contracts import check_contract

        report = check_contract(file, lang=lang)
        if as_json:
            typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
            return
        print_report(report)

    try:
        from clientguard.cli import _contract_store
    except ImportError:  # pragma: no cover - store commands need clientguard.store
        return
    _contract_store.register(contract)
