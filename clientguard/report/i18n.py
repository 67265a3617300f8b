"""Report and console strings (``data/strings.yaml``), Russian and English."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

LANGS = ("ru", "en")


@cache
def strings() -> dict[str, dict[str, dict[str, str]]]:
    """All strings, loaded once: section → id → lang → text."""
    import yaml

    text = resources.files("clientguard.report").joinpath("data/strings.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def t(section: str, key: str, lang: str) -> str:
    """The text of ``section.key`` in ``lang``; the id itself when missing (never fails)."""
    entry = strings().get(section, {}).get(key)
    if not entry:
        return key
    return entry.get(lang) or entry.get("en") or key


#: ``discard_reason`` values of a call nobody answered (Telegram: missed, busy).
_UNANSWERED = frozenset({"missed", "busy"})


def call_time(detail: Mapping[str, str]) -> datetime | None:
    """The local time of a call named in ``SignalHit.details`` (None when unreadable)."""
    try:
        return datetime.fromisoformat(detail.get("at") or "")
    except ValueError:
        return None


def call_text(detail: Mapping[str, str], lang: str) -> str:
    """A call as people read it: "звонок в 02:14 (сб)" / "call at 02:14 (Sat)".

    Local hour and weekday, because "at night" and "on Saturday" are what make it count;
    a call nobody answered says so. Never fails: an unreadable time gives the bare word.
    """
    at = call_time(detail)
    if at is None:
        return t("calls", "call", lang)
    missed = detail.get("event") == "missed_call" or detail.get("discard_reason") in _UNANSWERED
    days = t("calls", "weekdays", lang).split()
    day = days[at.weekday()] if len(days) == 7 else str(at.weekday())
    key = "missed_call_at" if missed else "call_at"
    return t("calls", key, lang).format(time=at.strftime("%H:%M"), day=day)
