"""Words of a screening in the lead's language: reasons, the pilot, the draft reply.

All wording lives in ``templates/{ru,en}.yaml`` (names, reason lines, gap questions,
clause phrases) and ``templates/reply.{ru,en}.j2``, so a translator never edits code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from clientguard.errors import ModelError
from clientguard.presale.decide import Verdict
from clientguard.presale.model import BriefPart, RedFlag
from clientguard.presale.rules import load_yaml


@dataclass(frozen=True)
class LangPack:
    """The phrases of one language."""

    lang: str
    parts: dict[str, str]
    actions: dict[str, str]
    reasons: dict[str, str]
    questions: dict[str, str]
    clauses: dict[str, str]
    clause_names: dict[str, str]
    signal_names: dict[str, str]
    signal_lines: dict[str, str]
    platforms: dict[str, str]
    pilot: str
    any_channel: str
    template: str


def _files() -> Any:
    return resources.files("clientguard.presale").joinpath("templates")


@cache
def load_pack(lang: str) -> LangPack:
    """The language pack of ``lang``, read once per process."""
    try:
        d = load_yaml(_files().joinpath(f"{lang}.yaml").read_text("utf-8"))
        template = _files().joinpath(f"reply.{lang}.j2").read_text("utf-8")
    except FileNotFoundError as exc:
        raise ModelError(f"presale templates: expected ru or en, got {lang!r}") from exc
    return LangPack(
        lang=lang,
        parts=dict(d["parts"]),
        actions=dict(d["actions"]),
        reasons=dict(d["reasons"]),
        questions=dict(d["questions"]),
        clauses=dict(d["clauses"]),
        clause_names=dict(d["clause_names"]),
        signal_names=dict(d["signal_names"]),
        signal_lines=dict(d.get("signal_lines") or {}),
        platforms={str(k): str(v) for k, v in (d.get("platforms") or {}).items()},
        pilot=str(d["pilot"]),
        any_channel=str(d["any_channel"]),
        template=template,
    )


# Quotes in reason lines are cut to this length; the JSON evidence keeps the full span.
REASON_QUOTE_CHARS = 140


def _name(value: str, pack: LangPack) -> str:
    """A brief part or a red flag by its name in the pack's language; an unknown id as is."""
    return pack.parts.get(value) or pack.signal_names.get(value) or value


def _fmt(key: str, value: Any, pack: LangPack) -> Any:
    """A reason's parameter in words: ids by name, numbers in the language, long quotes cut.

    Reasons read "сигналы, которые закрываются условиями договора: dissatisfaction,
    scope_creep", "сигнал «contract_avoidance»" and "ниже 0.65" before. Numbers are written
    by :func:`clientguard.numbers.number` in both languages: ``:g`` wrote a sum of 100 000 as
    "1e+05" and 1 250 000 as "1,25e+06", and English printed a float as Python does ("6.0").
    """
    if isinstance(value, list):
        return ", ".join(_name(str(v), pack) for v in value) or "—"
    if key == "signal" and isinstance(value, str):
        return _name(value, pack)
    if isinstance(value, int | float) and not isinstance(value, bool):
        from clientguard.numbers import number

        return number(value, pack.lang)
    if isinstance(value, str) and len(value) > REASON_QUOTE_CHARS:
        return value[: REASON_QUOTE_CHARS - 1].rstrip() + "…"
    return value


def render_reasons(verdict: Verdict, pack: LangPack, extra: Sequence[str] = ()) -> tuple[str, ...]:
    """Reason lines: the rule that decided first, then the brief summary and each flag."""
    out = []
    for key, params in verdict.why:
        if key == "brief" and not params["missing"]:
            key = "brief_complete"
        if key == "flag" and params.get("quote") is None:
            key = "flag_noquote"
        if key == "decline_signal" and len(params.get("missing", ())) < len(pack.parts):
            # a brief with parts is not "no inputs at all": name what it lacks (QA6 CLI N15)
            key = "decline_signal_partial"
        out.append(pack.reasons[key].format(**{k: _fmt(k, v, pack) for k, v in params.items()}))
    return (*out, *extra)


def pilot_text(verdict: Verdict, parts: Sequence[BriefPart], pack: LangPack) -> str | None:
    """The pilot in words; the channel is the one the lead named first, if any."""
    if not verdict.pilot_weeks:
        return None
    channel = next((p.evidence for p in parts if p.id == "channels" and p.found), None)
    where = _channel_name(channel.text, pack) if channel else None
    return pack.pilot.format(
        weeks=verdict.pilot_weeks, posts=verdict.pilot_posts, channel=where or pack.any_channel
    )


def _channel_name(text: str, pack: LangPack) -> str | None:
    """The platform named first in ``text``, as the language pack spells it."""
    low = text.lower()
    hits = [(low.find(k), name) for k, name in pack.platforms.items() if k in low]
    return min(hits)[1] if hits else None


def render_reply(
    verdict: Verdict,
    parts: Sequence[BriefPart],
    flags: Sequence[RedFlag],
    pack: LangPack,
    pilot: str | None,
    clauses: Sequence[str],
    draft: bool = False,
) -> str:
    """The draft reply to the lead: gap questions, the terms or the pilot, or a refusal.

    ``draft``: a draft contract was checked; then ``clauses`` are its gaps (and the
    verdict's), which the reply names for every action but a refusal.
    """
    import jinja2

    env = jinja2.Environment(autoescape=False, keep_trailing_newline=False, undefined=jinja2.StrictUndefined)
    questions = [pack.questions[p.id] for p in parts if not p.found]
    return (
        env.from_string(pack.template)
        .render(
            action=verdict.action,
            questions=questions if verdict.action != "decline" else [],
            prepayment=verdict.prepayment_percent,
            pilot=pilot,
            clauses=[pack.clauses[c] for c in clauses],
            draft=draft,
            signal_lines=[pack.signal_lines[f.signal] for f in flags if f.signal in pack.signal_lines],
        )
        .strip()
    )
