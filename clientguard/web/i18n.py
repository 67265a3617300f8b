"""Interface texts of the dashboard (``i18n/{ru,en}.yaml``) and the request's language.

Domain ids (levels, archetypes, signals, actions) are named by the report's own table
(:mod:`clientguard.report.i18n`) so the HTML report, the console and the web agree.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from clientguard.report.i18n import t as report_t

LANGS = ("ru", "en")


@cache
def texts(lang: str) -> dict[str, str]:
    raw = resources.files("clientguard.web").joinpath(f"i18n/{lang}.yaml").read_text(encoding="utf-8")
    data: dict[str, str] = yaml.safe_load(raw)
    return data


def tr(key: str, lang: str) -> str:
    """A UI text; the key itself when missing so a gap is visible, never an error page."""
    return texts(lang).get(key) or texts("en").get(key) or key


def tr_optional(key: str, lang: str) -> str | None:
    """A UI text that may not exist (an explanation per error code): None when missing."""
    return texts(lang).get(key) or texts("en").get(key)


def term(section: str, key: str, lang: str) -> str:
    """A domain id as people read it (``levels``/``archetypes``/``signals``/``actions``…)."""
    return report_t(section, key, lang)


def pick_lang(query: str | None, cookie: str | None, accept: str | None, default: str = "ru") -> str:
    """``?lang=`` beats the cookie beats ``Accept-Language`` (first supported tag)."""
    for v in (query, cookie):
        if v in LANGS:
            return v
    for part in (accept or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGS:
            return tag
    return default
