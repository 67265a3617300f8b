"""The main job end to end: case → read (and store) → label → profile → outputs.

``analyze_path`` is the importable library call; ``run_analyze`` adds the outputs of
the CLI (Rich summary, ``--json``, ``--html``), so the Typer command stays a thin
wrapper.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clientguard.analysis.case import CaseFile, default_case, load_case
from clientguard.analysis.model import ClientProfile
from clientguard.analysis.profile import build_profile
from clientguard.analysis.source import label, read_chat


@dataclass(frozen=True)
class AnalyzeResult:
    """A profile with the case it was built on and what happened to the store."""

    profile: ClientProfile
    case: CaseFile
    stored: str


def store_import(path: Path, db: str | None) -> str:
    """Import ``path`` into the store (idempotent there); a short status for the summary.

    The store is optional for analysis: when it is not installed the profile is still
    built from the file, and the status says the chat was not stored.
    """
    try:
        from clientguard.store import open_store  # type: ignore[attr-defined]
    except ImportError:
        return "store unavailable"
    from clientguard import config

    store = open_store(config.db_url(db))
    summary = store.import_paths([path])
    return str(getattr(summary, "new_messages", "stored"))


def analyze_path(path: Path, case_path: Path | None = None, client: str | None = None, me: tuple[str, ...] = (),
                 db: str | None = None, now: datetime | None = None, store: bool = True) -> AnalyzeResult:
    """Analyse one conversation of ``path`` for ``client`` under the case file, if any."""
    case = load_case(case_path) if case_path else default_case(client or "")
    if me:
        case = case.with_me(me)
    stored = store_import(path, db) if store else "not stored"
    chat = read_chat(path, case, client)
    if not case.client.name:
        case = case.model_copy(update={"client": case.client.model_copy(update={"name": client or chat.title or ""})})
    messages, source = label(chat.messages)
    profile = build_profile(messages, case, now=now, label_source=source)
    return AnalyzeResult(profile, case, stored)


def run_analyze(path: Path, case_path: Path | None, client: str | None, as_json: bool, html: Path | None,
                lang: str | None, db: str | None, me: tuple[str, ...]) -> None:
    """What ``clientguard analyze`` does: analyse, then print and/or write the outputs."""
    from clientguard import config
    from clientguard.cli._console import console

    ui = config.ui_lang(lang)
    result = analyze_path(path, case_path, client, me, db)
    if html is not None:
        from clientguard.report import write_html

        write_html(result.profile, html, ui, result.case)
    if as_json:
        from clientguard.analysis.export import profile_to_dict

        print(json.dumps(profile_to_dict(result.profile, ui), ensure_ascii=False, indent=1))
        return
    from clientguard.report.console import print_summary

    print_summary(result.profile, console(), ui)
    if html is not None:
        console().print(f"HTML: {html}", highlight=False)
