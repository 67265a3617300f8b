"""Report and console strings (``data/strings.yaml``), Russian and English."""

from __future__ import annotations

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
