"""The main job end to end: case → read (and store) → label → profile → outputs.

``analyze_path`` is the importable library call; ``run_analyze`` adds the outputs of
the CLI (Rich summary, ``--json``, ``--html``), so the Typer command stays a thin
wrapper.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from clientguard.analysis.case import CaseFile, default_case, load_case
from clientguard.analysis.model import ClientProfile
from clientguard.analysis.parallel import Background
from clientguard.analysis.profile import build_profile
from clientguard.analysis.source import label, read_chat
from clientguard.domain import Role

if TYPE_CHECKING:
    from clientguard.store import Store


@dataclass(frozen=True)
class AnalyzeResult:
    """A profile with the case it was built on and what happened to the store."""

    profile: ClientProfile
    case: CaseFile
    stored: tuple[int, int] | None
    timings: dict[str, float] = field(default_factory=dict)


def store_import(
    path: Path, db: str | None, client: str, me: Sequence[str], tz: str, case: CaseFile | None = None
) -> tuple[int, int]:
    """Import ``path`` into the store (idempotent: a re-import adds only new messages).

    ``me`` are the specialist's sender keys as analysis resolved them, so the stored
    roles agree with the profile. A case file's contract terms and invoices are kept
    too (see :func:`remember_case`). Returns (messages added, messages already stored).
    """
    from clientguard.store import open_store

    with open_store(db) as store:
        summary = store.import_paths([path], client=client or None, me=tuple(me), tz=tz)
        if case is not None and client:
            remember_case(store, client, case)
    return summary.messages_added, summary.messages_existing


def remember_case(store: Store, client: str, case: CaseFile) -> None:
    """Keep the case file's contract terms and invoices for the client in the store.

    So that ``reply``, ``invoice list``, ``revisions`` and the dashboard see the same
    facts the analysis used. Never overrides what the user already stored or corrected
    (``contract set``, ``invoice paid``): terms are written only when none are stored,
    invoices only when their number is new.
    """
    from clientguard.contracts import repo
    from clientguard.domain import WorkingHours

    if case.contract is not None and repo.terms_for_client(store, client) is None:
        c = case.contract
        wh = case.working_hours
        repo.set_terms(
            store,
            client,
            signed=c.signed,
            scope=tuple(c.scope),
            revision_limit=c.revision_limit,
            price=c.price,
            currency=c.currency,
            payment_due_days=c.payment_due_days,
            late_fee_percent_per_day=c.late_fee_percent_per_day,
            working_hours=WorkingHours(days=tuple(wh.days), start=wh.start, end=wh.end),
        )
    known = {i.id for i in repo.invoices(store, client)}
    for inv in case.invoices:
        if inv.id in known:
            continue
        repo.add_invoice(
            store, client, inv.amount, inv.due, issued=inv.issued, number=inv.id, currency=inv.currency
        )
        for part in inv.partial_payments:
            repo.pay_invoice(store, client, inv.id, on=part.date, amount=part.amount)
        if inv.paid_on and not inv.partial_payments:
            repo.pay_invoice(store, client, inv.id, on=inv.paid_on)


def analyze_path(
    path: Path,
    case_path: Path | None = None,
    client: str | None = None,
    me: tuple[str, ...] = (),
    db: str | None = None,
    now: datetime | None = None,
    store: bool = True,
) -> AnalyzeResult:
    """Analyse one conversation of ``path`` for ``client`` under the case file, if any."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now_ = time.perf_counter()
        timings[stage] = round(now_ - clock, 3)
        clock = now_

    case = load_case(case_path) if case_path else default_case(client or "")
    if me:
        case = case.with_me(me)
    chat = read_chat(path, case, client)
    if not case.client.name:
        name = client or chat.title or ""
        case = case.model_copy(update={"client": case.client.model_copy(update={"name": name})})
    lap("read")
    stored: tuple[int, int] | None = None
    background: Background[tuple[int, int]] | None = None
    if store:
        # The store import runs beside the analysis (in a child on big chats): both are CPU-bound.
        specialist = sorted({m.sender.source_id for m in chat.messages if m.role is Role.SPECIALIST})
        background = Background(
            store_import,
            path,
            db,
            case.client.name,
            specialist,
            case.timezone,
            case if case_path else None,
            size=len(chat.messages),
        )
    messages, source = label(chat.messages)
    lap("message signals")
    profile = build_profile(messages, case, now=now, label_source=source)
    lap("profile")
    if background is not None:
        stored = background.result()
        lap("store (waited)")
    return AnalyzeResult(profile, case, stored, timings)


def run_analyze(
    path: Path,
    case_path: Path | None,
    client: str | None,
    as_json: bool,
    html: Path | None,
    lang: str | None,
    db: str | None,
    me: tuple[str, ...],
) -> None:
    """What ``clientguard analyze`` does: analyse, then print and/or write the outputs."""
    from clientguard import config
    from clientguard.cli._console import console

    ui = config.ui_lang(lang)
    result = analyze_path(path, case_path, client, me, db)
    replies = fitting_replies(result.profile, ui)
    if html is not None:
        from clientguard.report import write_html

        write_html(result.profile, html, ui, result.case)
    if as_json:
        from clientguard.analysis.export import profile_to_dict

        data = profile_to_dict(result.profile, ui)
        data["replies"] = [{"situation": sid, "title": title} for sid, title in replies]
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return
    from clientguard.report.console import print_summary

    print_summary(result.profile, console(), ui)
    if replies:
        head = "Подходящие ответы" if ui == "ru" else "Fitting replies"
        console().print(f"\n[bold]{head}[/] (clientguard reply SITUATION --client …)", highlight=False)
        for sid, title in replies:
            console().print(f"  • {title} [dim]{sid}[/]", highlight=False)
    if result.stored is not None:
        from clientguard.report.i18n import t

        added, existing = result.stored
        console().print(f"[dim]{t('ui', 'stored', ui).format(new=added, old=existing)}[/]", highlight=False)
    if html is not None:
        console().print(f"HTML: {html}", highlight=False)


def fitting_replies(profile: ClientProfile, lang: str) -> list[tuple[str, str]]:
    """The reply drafts that fit the recommendation, as (situation id, title) pairs.

    The playbook comes after analysis in the data flow, so this orchestration layer,
    not the profile builder, asks it which replies serve the action and the signals.
    """
    from clientguard.playbook.situations import get_situation, replies_for_profile

    signals = [s for s, n in profile.message_signals.items() if n > 0]
    signals += [s.id for s in profile.conversation_signals if s.count > 0]
    overdue = [i.days_overdue for i in profile.invoices if i.days_overdue > 0]
    ids = replies_for_profile(profile.recommendation.action, signals, overdue)
    return [(sid, get_situation(sid).title(lang)) for sid in ids]
