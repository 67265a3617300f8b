"""The self-contained HTML report of a client profile (Jinja2, inline CSS and SVG).

One file, no scripts, no fonts or images from the network: it can be mailed, archived
as evidence or opened offline. Size stays bounded on huge chats because only flagged
messages are quoted, at most :data:`MAX_FLAGGED` of them, and as many of the client's
labelled forwards, listed apart ("переслано, не учтено"): flagged as the client page flags.

The client's calls outside working time (``off_hours_message`` details, see
:mod:`clientguard.analysis.calls`) are shown wherever late messages are: in the
conversation-signal table, as evidence of an archetype card and among the flagged items,
as "звонок в 02:14 (сб)" / "call at 02:14 (Sat)".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from clientguard import outfile
from clientguard.analysis.archetypes import MIN_RATE
from clientguard.analysis.calls import unit_id
from clientguard.analysis.case import CaseFile
from clientguard.analysis.conversation import local_time
from clientguard.analysis.flags import conversation_marks, forwarded_flags, message_flags
from clientguard.analysis.model import AnalyzedMessage, ClientProfile
from clientguard.report.charts import risk_gauge_svg, timeline_svg
from clientguard.report.i18n import (
    assumed_default,
    call_text,
    call_time,
    fill,
    number,
    plural,
    specialist_name,
    stage_text,
    t,
)
from clientguard.report.why import Mark, mark_title, tag_titles, why_lines

MAX_FLAGGED = 300
MAX_QUOTES = 4
MAX_QUOTE_CHARS = 400
#: A long message is quoted around its first marks only: this many, with this much text around each.
MAX_MARK_WINDOWS = 6
QUOTE_CONTEXT = 120


def highlight(text: str, m: AnalyzedMessage, labels: Sequence[str] | None = None, lang: str = "ru") -> Markup:
    """The text with the evidence spans of ``labels`` (all when None) wrapped in ``<mark>``.

    Each mark's tooltip says, in ``lang``, which signal and why ("сверхсжатые сроки — срок,
    названный в сообщении, оставляет меньше 3 рабочих часов", :mod:`clientguard.report.why`);
    it said the bare signal id before, English on a Russian page and silent on the reason.
    """
    return render_marks(text, evidence_marks(text, m, labels), lang)


def evidence_marks(text: str, m: AnalyzedMessage, labels: Sequence[str] | None = None) -> list[Mark]:
    """The marks :func:`highlight` draws, in text order, none overlapping.

    The statistical layer's evidence is the whole message; marking it would hide every
    precise span, so it gives way to them, and where it is a label's only evidence the
    words it weighed most are marked instead (:mod:`clientguard.nlp.explain`).
    """
    from clientguard.nlp.explain import STAT_RULE, is_whole_message_model_span, model_word_spans
    from clientguard.nlp.lang import detect_lang

    spans: list[Mark] = []
    model_only: dict[str, str] = {}  # labels whose only evidence is a model's whole-message span → rule
    stat_labels: set[str] = set()  # ... among them, those the statistical layer helped make
    for lab, evs in m.evidence.items():
        if labels is None or lab in labels:
            kept = [
                (e.start, e.end, lab, e.rule) for e in evs
                if 0 <= e.start < e.end <= len(text)
                and not is_whole_message_model_span(e.rule, e.start, e.end, text)
            ]
            spans.extend(kept)
            if not kept and evs:
                model_only[lab] = evs[0].rule
                if any(e.rule == STAT_RULE for e in evs):
                    stat_labels.add(lab)
                    model_only[lab] = STAT_RULE
    words = model_word_spans(text, detect_lang(text), stat_labels) if stat_labels else {}
    for lab, rule in model_only.items():
        if lab in words:
            spans.extend((b, e, lab, STAT_RULE) for b, e, _ in words[lab])
        else:  # char n-grams or the toxicity model decided: the message is the evidence
            spans.append((0, len(text), lab, rule))
    spans.sort()
    marks: list[Mark] = []
    pos = 0
    for mark in spans:
        if mark[0] >= pos:
            marks.append(mark)
            pos = mark[1]
    return marks


def render_marks(text: str, marks: Sequence[Mark], lang: str) -> Markup:
    """``text`` escaped with ``marks`` wrapped; a long message is quoted around its marks only."""
    if len(text) > MAX_QUOTE_CHARS and not marks:
        return Markup(str(escape(text[:MAX_QUOTE_CHARS])) + "…")
    if len(text) <= MAX_QUOTE_CHARS:
        return Markup(_marked(text, 0, len(text), marks, lang))
    # A long message (a pasted brief, a 300,000-character rant) is quoted around its marks
    # only: the whole text made a report of half a megabyte and a client page 64,000 px tall.
    windows: list[list[int]] = []
    for start, end, _, _ in marks[:MAX_MARK_WINDOWS]:
        shown_end = min(end, start + MAX_QUOTE_CHARS)
        lo, hi = max(0, start - QUOTE_CONTEXT), min(len(text), shown_end + QUOTE_CONTEXT)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    parts = [_marked(text, lo, hi, marks, lang) for lo, hi in windows]
    head = "" if windows[0][0] == 0 else "… "
    tail = "" if windows[-1][1] >= len(text) and len(marks) <= MAX_MARK_WINDOWS else " …"
    return Markup(head + " … ".join(parts) + tail)


def _marked(text: str, lo: int, hi: int, marks: Sequence[Mark], lang: str) -> str:
    """``text[lo:hi]`` escaped, with the marks inside it wrapped (a long mark is cut short)."""
    out: list[str] = []
    pos = lo
    for start, end, lab, rule in marks:
        if start < lo or start >= hi:
            continue
        cut = min(end, hi, start + MAX_QUOTE_CHARS)
        out.append(str(escape(text[pos:start])))
        more = "…" if cut < end else ""
        title = escape(mark_title(lab, rule, lang))  # quotes and <> of a rule's words, escaped
        out.append(f'<mark title="{title}">{escape(text[start:cut])}{more}</mark>')
        pos = end
    if pos < hi:
        out.append(str(escape(text[pos:hi])))
    return "".join(out)


def quote_why(
    text: str, m: AnalyzedMessage | None, marks: Sequence[Mark], tags: Sequence[str], lang: str
) -> dict[str, Any]:
    """A quote's "why" lines (shown folded under its tags) and each tag's tooltip."""
    lines = why_lines(text, m, marks, tags, lang)
    return {"why": lines, "titles": tag_titles(lines)}


def sender_line(m: AnalyzedMessage, lang: str) -> str:
    """Who sent ``m`` as a quote names them; a forward says whose words they are.

    A client's forward (a customer's rant, a third party's threat) is shown with the
    signals its text carries, but the profile does not count them (``AnalyzedMessage.counted``):
    a quote without this mark would cite someone else's words as the client's behaviour.
    """
    if m.counted:
        return m.sender_name
    author = m.forwarded_from or ""
    if author == "(hidden)":  # the importers' word for an author Telegram hides
        author = t("ui", "forwarded_hidden", lang)
    return f"{m.sender_name} · {fill(t('ui', 'forwarded', lang), lang, author=author)}"


def report_flags(
    profile: ClientProfile, per_msg: Mapping[str, Sequence[str]]
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The flagged client messages (id → labels) and, apart, the client's labelled forwards.

    The client page's rule (:mod:`clientguard.analysis.flags`): a forward's own labels are
    someone else's words and flag nothing; the act of sending it still counts, so a
    conversation signal naming it (``per_msg``: sent at night) flags it with that signal alone.
    """
    return message_flags(profile, per_msg), forwarded_flags(profile)


def off_hours_calls(profile: ClientProfile) -> dict[str, dict[str, str]]:
    """The client's off-hours calls of a profile by evidence-unit id (``call:<id>``)."""
    return {
        unit_id(d["source_id"]): d
        for s in profile.conversation_signals
        if s.id == "off_hours_message"
        for d in s.details
        if d.get("event") and d.get("source_id")
    }


def _order(when: datetime | None) -> float:
    """A sort key mixing message and call times (undated last, never a comparison error)."""
    return when.timestamp() if when is not None else float("inf")


@cache
def _env() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("clientguard.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def money(amount: float | None, currency: str | None, lang: str) -> str:
    """A sum as the reply drafts write it ("45 000 ₽", "45,000 RUB"); "—" when unknown.

    On one line: the report's spaces in a sum are no-break ones (a narrow table cell wrapped
    "1 250" after the "1"), as the drafts' are (a messenger wraps a letter as narrowly).
    """
    if amount is None:
        return "—"
    from clientguard.playbook.formatting import money as _money

    return _money(amount, currency, lang)


def detail_text(d: dict[str, str], lang: str) -> str:
    """One record-signal detail in words: the deliverable and its rounds, the invoice and its delay.

    The details are the analysis' JSON-ready ids ("deliverable=content_plan rounds=2");
    a shape this function does not know is shown as ``key=value`` pairs, as before.
    """
    if {"deliverable", "rounds", "limit"} <= d.keys():
        return t("ui", "detail_revisions", lang).format(
            deliverable=t("deliverables", d["deliverable"], lang), rounds=d["rounds"], limit=d["limit"]
        )
    if {"invoice", "days_overdue", "status"} <= d.keys():
        # "1 days overdue" was the English of one day: the count takes its word form
        raw = str(d["days_overdue"])
        days = plural(int(raw), "day", lang) if raw.lstrip("-").isdigit() else raw
        return t("ui", "detail_invoice", lang).format(
            invoice=d["invoice"], status=t("invoice_status", d["status"], lang), days=days
        )
    return " ".join(f"{k}={v}" for k, v in d.items())


def render_html(profile: ClientProfile, lang: str = "ru", case: CaseFile | None = None) -> str:
    """The report as one HTML string in ``lang`` (``ru`` or ``en``)."""
    tz = case.tz if case is not None else None
    by_id = {m.id: m for m in profile.messages}
    per_msg = conversation_marks(profile)

    def when(m: AnalyzedMessage) -> str:
        if m.timestamp is None:
            return ""
        ts = local_time(m.timestamp, tz) if tz is not None else m.timestamp
        return ts.strftime("%Y-%m-%d %H:%M")

    calls = off_hours_calls(profile)

    def call_quote(d: dict[str, str]) -> dict[str, Any]:
        at = call_time(d)
        return {
            "id": d["source_id"],
            "who": d.get("who", ""),
            "when": at.strftime("%Y-%m-%d %H:%M") if at else "",
            "html": Markup('<span class="call">{}</span>').format(call_text(d, lang)),
            "labels": ["off_hours_message"],
            **quote_why("", None, [], ["off_hours_message"], lang),
        }

    def quote(
        mid: str, labels: Sequence[str] | None = None, shown: Sequence[str] | None = None
    ) -> dict[str, Any] | None:
        """``labels``: whose evidence to mark (all when None); ``shown``: the tags under it."""
        if mid in calls:
            return call_quote(calls[mid])
        m = by_id.get(mid)
        if m is None:
            return None
        marks = evidence_marks(m.text, m, labels)
        tags = list(m.labels) + per_msg.get(mid, []) if shown is None else list(shown)
        return {
            "id": mid,
            "who": sender_line(m, lang),
            "when": when(m),
            "html": render_marks(m.text, marks, lang),
            "labels": tags,
            **quote_why(m.text, m, marks, tags, lang),
        }

    cards = []
    for a in profile.archetypes:
        quotes = [q for q in (quote(mid, a.kinds) for mid in a.evidence[:MAX_QUOTES]) if q]
        cards.append({"hit": a, "quotes": quotes, "more": max(0, len(a.evidence) - MAX_QUOTES)})
    early = []  # a high risk no archetype explains: its leading pattern(s), marked as emerging
    for a in profile.emerging:
        quotes = [q for q in (quote(mid, a.kinds) for mid in a.evidence[:MAX_QUOTES]) if q]
        early.append({"hit": a, "quotes": quotes, "more": max(0, len(a.evidence) - MAX_QUOTES)})
    flags, forwards = report_flags(profile, per_msg)
    # Calls join the flagged messages in time order (a call is how the client reached out).
    # A chronology, oldest first; cut to MAX_FLAGGED it keeps the newest, as the client page
    # does (which lists them newest first): both show the same messages, each says its order.
    items: list[tuple[float, str]] = [(_order(by_id[mid].timestamp), mid) for mid in flags]
    items += [(_order(call_time(d)), uid) for uid, d in calls.items()]
    items.sort(key=lambda x: x[0])
    shown = [
        (mid, q)
        for mid, q in ((mid, quote(mid, flags.get(mid), flags.get(mid))) for _, mid in items[-MAX_FLAGGED:])
        if q
    ]
    # A client's forwards with labels, apart: the words are someone else's, so they are
    # neither flagged nor counted, yet the report hides none of them (as the client page).
    latest = list(forwards.items())[-MAX_FLAGGED:]
    apart = [(mid, q) for mid, q in ((mid, quote(mid, labels, labels)) for mid, labels in latest) if q]
    # The evidence ids of the signal and revision tables link to their quote below: "#w3256…"
    # alone told a reader nothing and could not be found on the page (QA7).
    anchors = {mid: f"q{i}" for i, (mid, _) in enumerate(shown, 1)}
    flagged = [{**q, "anchor": anchors[mid]} for mid, q in shown]
    # a forward sent at night is in both lists: each quote keeps an id of its own
    forwarded = [{**q, "anchor": f"f{i}"} for i, (_, q) in enumerate(apart, 1)]
    for q in forwarded:
        anchors.setdefault(q["id"], q["anchor"])
    group_labels = {
        "high": t("ui", "severity_high", lang),
        "medium": t("ui", "severity_medium", lang),
        "low": t("ui", "severity_low", lang),
        "metadata": t("ui", "metadata", lang),
        "title": t("ui", "timeline", lang),
    }
    contract = case.contract if case is not None else None
    me = specialist_name(profile.messages)  # a guessed specialist is named among the defaults
    return str(
        _env()
        .get_template("report.html.j2")
        .render(
            p=profile,
            lang=lang,
            t=lambda s, k: t(s, k, lang),
            cards=cards,
            early=early,
            threshold=f"{MIN_RATE:.0%}",
            flagged=flagged,
            anchors=anchors,
            flagged_total=len(items),
            forwarded=forwarded,
            forwarded_total=len(forwards),
            call_text=lambda d: call_text(d, lang),
            detail_text=lambda d: detail_text(d, lang),
            assumed_default=lambda d: assumed_default(d, profile.timezone, lang, me),
            stage_text=lambda stage, assumed: stage_text(stage, assumed, lang),
            number=lambda value: number(value, lang),
            money=lambda amount, currency: money(amount, currency, lang),
            timeline=Markup(timeline_svg(profile.weekly, group_labels, lang=lang)),
            gauge=Markup(risk_gauge_svg(profile.risk.score, profile.risk.level)),
            contract=contract,
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            reference=profile.reference_time.strftime("%Y-%m-%d") if profile.reference_time else "",
        )
    )


def write_html(
    profile: ClientProfile, path: str | Path, lang: str = "ru", case: CaseFile | None = None
) -> Path:
    """Render and write the report; returns the path written."""
    out = Path(path)
    outfile.check_target(out)  # before rendering: a bad path fails fast, with its reason
    outfile.write_text(out, render_html(profile, lang, case))
    return out
