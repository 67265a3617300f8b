"""The in-context cue table (``data/context.yaml``), read once and compiled one way.

Four readers take blocks of it (``context`` for off-hours demands, ``petty_edits`` for
runs of small edits, ``payment_replies`` for put-offs after a reminder, ``quote_replies``
for haggling under a price); each had its own parse of the file and its own copy of the
per-language pattern join.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from clientguard.errors import ConfigError

CONTEXT_FILE = Path(__file__).with_name("data") / "context.yaml"


@cache
def context_data(path: Path = CONTEXT_FILE) -> dict[str, Any]:
    """The whole table (``{}`` for an empty file); a table that is not a mapping is refused."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of cue blocks")
    return data


def joined(block: dict[str, list[str]], where: str) -> dict[str, re.Pattern[str]]:
    """One alternation per language, each pattern a group: ``{"ru": …, "en": …}``.

    ``where`` names the place in the file (``context.yaml: petty_edits.tweak``) for a bad pattern.
    """
    out: dict[str, re.Pattern[str]] = {}
    for lang, pats in block.items():
        try:
            out[lang] = re.compile("|".join(f"(?:{p})" for p in pats))
        except re.error as exc:
            raise ConfigError(f"{where}.{lang}: bad pattern ({exc})") from exc
    return out


def language_blocks(
    data: dict[str, Any], keys: tuple[str, ...], where: str
) -> dict[str, dict[str, re.Pattern[str]]]:
    """``{key: {"ru": …, "en": …}}`` for each of ``keys`` of a block, each listing both languages.

    ``where`` names the block (``context.yaml: payment_replies``); a key without both
    languages, or a bad pattern, is refused with its place.
    """
    out: dict[str, dict[str, re.Pattern[str]]] = {}
    for key in keys:
        block = data.get(key)
        if not isinstance(block, dict) or set(block) != {"ru", "en"}:
            raise ConfigError(f"{where}.{key} must list 'ru' and 'en' patterns")
        out[key] = joined(block, f"{where}.{key}")
    return out


def reply_block(path: Path, block: str) -> tuple[dict[str, Any], int, int]:
    """A reply reader's block with its ``max_replies`` and ``max_words``, checked.

    The readers of replies to a specialist's message (payment reminders, prices, boundaries)
    all take how many replies answer it and how long an answer may be.
    """
    data = context_data(path).get(block)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: block '{block}' is missing or not a mapping")
    try:
        return data, int(data["max_replies"]), int(data["max_words"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: {block} needs integer max_replies and max_words ({exc})") from exc


def lowered(text: str) -> tuple[str, str]:
    """The lower-cased text ("ё" read as "е", so one pattern serves both spellings) and its
    cue language (any Cyrillic letter: Russian).

    Lower-casing keeps offsets for the text clients write (Cyrillic and Latin); evidence
    spans found in it point into the original text.
    """
    low = text.lower().replace("ё", "е")
    return low, "ru" if re.search("[а-я]", low) else "en"
