"""Language of a message, ru or en, by script ratio.

Client messages are short and often mix a Latin brand name into Russian text, so a
character-ratio vote is both faster and more robust here than an n-gram identifier.
"""

from __future__ import annotations

import regex

LANGS: tuple[str, ...] = ("ru", "en")
_CYR = regex.compile(r"[\p{Cyrillic}]")
_LAT = regex.compile(r"[a-zA-Z]")


def detect_lang(text: str, default: str = "ru") -> str:
    """``ru`` when Cyrillic letters are at least a third of the letters, else ``en``."""
    cyr = len(_CYR.findall(text))
    lat = len(_LAT.findall(text))
    if cyr == 0 and lat == 0:
        return default
    return "ru" if cyr * 2 >= lat else "en"
