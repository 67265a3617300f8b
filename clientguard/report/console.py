"""The Rich summary printed by ``clientguard analyze`` (in the user's language)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clientguard.analysis.model import ClientProfile
from clientguard.report.i18n import assumed_default, call_text, specialist_name, stage_text, t

if TYPE_CHECKING:
    from rich.console import Console

#: Off-hours calls listed by name in the summary; the rest are counted (the report lists all).
MAX_CALLS = 5
_STYLE = {"low": "green", "elevated": "yellow", "high": "dark_orange", "critical": "bold red"}


def print_summary(profile: ClientProfile, console: Console, lang: str = "ru") -> None:
    """Risk, archetypes, recommendation with reasons and steps, contacts, signals."""
    from rich.markup import escape
    from rich.table import Table

    p = profile
    style = _STYLE.get(p.risk.level, "")
    # Names come from the chat export: text, never Rich markup ("[b]rand", "Анна [ceo]").
    console.print(f"[bold]{escape(p.client)}[/]" + (f" — {escape(p.company)}" if p.company else ""),
                  highlight=False)
    stage = stage_text(p.stage, p.assumed_defaults, lang)  # "договор (предположено)" by default
    console.print(
        f"{t('ui', 'stage', lang)}: {stage} · {t('ui', 'risk', lang)}: "
        f"[{style}]{p.risk.score}/100 {t('levels', p.risk.level, lang)}[/] · "
        f"{t('ui', 'trend', lang)}: {t('trends', p.risk.trend, lang)}",
        highlight=False,
    )
    if p.assumed_defaults:
        me = specialist_name(p.messages)
        items = escape("; ".join(assumed_default(d, p.timezone, lang, me) for d in p.assumed_defaults))
        console.print(f"[dim]{t('ui', 'assumed', lang)}: {items}[/]", highlight=False)
    if p.label_source == "none":
        console.print(f"[yellow]{t('ui', 'labels_none', lang)}[/]", highlight=False)
    if p.archetypes:
        arch = ", ".join(f"{t('archetypes', a.id, lang)} {a.confidence:.0%}" for a in p.archetypes)
    elif p.emerging:  # a high risk no archetype explains: what leads it, and why it is no archetype
        from clientguard.analysis.archetypes import MIN_RATE

        arch = f"{t('ui', 'emerging_none_firm', lang)}: " + ", ".join(
            f"{t('archetypes', a.id, lang)} {a.confidence:.0%} ("
            + t("ui", "emerging_share", lang).format(share=f"{a.rate:.0%}", threshold=f"{MIN_RATE:.0%}")
            + ")"
            for a in p.emerging
        )
    else:
        arch = t("ui", "no_archetypes", lang)
    console.print(f"{t('ui', 'archetypes', lang)}: {arch}", highlight=False)
    rec = p.recommendation
    console.print(
        f"\n[bold]{t('ui', 'recommendation', lang)}: {t('actions', rec.action, lang)}[/]", highlight=False
    )
    for r in rec.reasons:
        console.print(f"  • {r.ru if lang == 'ru' else r.en}", highlight=False)
    console.print(f"[bold]{t('ui', 'steps', lang)}[/]")
    for i, s in enumerate(rec.steps, 1):
        console.print(f"  {i}. {s.ru if lang == 'ru' else s.en}", highlight=False)
    if len(p.contacts) > 1:
        table = Table(title=t("ui", "contacts", lang))
        for col in ("contact", "messages", "risk", "archetypes"):
            table.add_column(t("ui", col, lang))
        # One person by e-mail and in WhatsApp is two contacts of one name: the id tells
        # them apart, as the HTML report shows it under the name (QA6 CLI N14)
        names = [c.name.casefold() for c in p.contacts]
        for c in p.contacts:
            twin = names.count(c.name.casefold()) > 1 and c.from_id and c.from_id != c.name
            table.add_row(
                escape(f"{c.name} ({c.from_id})" if twin else c.name),
                str(c.client_messages),
                f"{c.risk.score} {t('levels', c.risk.level, lang)}",
                ", ".join(t("archetypes", a.id, lang) for a in c.archetypes) or "—",
            )
        console.print(table)
    # What the client wrote (insults, threats, haggling …): the risk rests on it, so the
    # summary names it, most frequent first (it showed only the conversation signals).
    said = sorted(((n, k) for k, n in p.message_signals.items() if n), key=lambda nk: (-nk[0], nk[1]))
    if said:
        items = "; ".join(f"{t('signals', k, lang)}: {n}" for n, k in said)
        console.print(f"{t('ui', 'message_signals', lang)}: {items}", highlight=False)
    # The client's forwards: shown in the report with their signals, never counted, and said
    # so here, or a threat in a forwarded mail would seem to be missed (or to be the client's).
    forwards = [m for m in p.messages if not m.counted]
    if forwards:
        line = t("ui", "forwarded_left_out", lang).format(
            n=len(forwards), flagged=sum(1 for m in forwards if m.labels)
        )
        console.print(f"[dim]{escape(line)}[/]", highlight=False)
    sigs = [f"{t('signals', s.id, lang)}: {s.count}" for s in p.conversation_signals if s.count]
    if sigs:
        console.print(f"{t('ui', 'conversation_signals', lang)}: " + "; ".join(sigs), highlight=False)
    calls = [
        d for s in p.conversation_signals if s.id == "off_hours_message" for d in s.details if d.get("event")
    ]
    if calls:
        # The client's calls outside working time, as "звонок в 02:14 (сб) · 2025-09-13".
        named = [f"{call_text(d, lang)} · {d.get('at', '')[:10]}" for d in calls[:MAX_CALLS]]
        more = f" (+{len(calls) - MAX_CALLS})" if len(calls) > MAX_CALLS else ""
        console.print(
            f"  {t('signals', 'off_hours_message', lang)}: " + "; ".join(named) + more, highlight=False
        )
