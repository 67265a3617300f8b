"""Language of a message, ru or en, by script ratio.

Client messages are short and often mix a Latin brand name into Russian text, so a
character-ratio vote is both faster and more robust here than an n-gram identifier.
"""

from __future__ import annotations

import re

import regex

LANGS: tuple[str, ...] = ("ru", "en")
# Runs, not single chars: the same counts (summed run lengths) from ~5x fewer match objects.
_CYR = regex.compile(r"\p{Cyrillic}+")
_LAT = regex.compile(r"[a-zA-Z]+")


# Most messages hold only ASCII, basic Cyrillic (U+0400-U+045F) and common typography; in
# that alphabet the Cyrillic script is exactly U+0400-U+045F, so the stdlib ``re`` (several
# times faster than ``regex`` here) counts the same letters.  Other texts use ``\p{Cyrillic}``.
_OUTSIDE_BASIC = re.compile(
    r"[^\u0000-\u007f\u0400-\u045f\u00a0\u00ab\u00bb\u2013\u2014\u2019\u201c\u201d\u2026]"
)
_CYR_BASIC = re.compile(r"[\u0400-\u045f]+")
_LAT_BASIC = re.compile(r"[a-zA-Z]+")


def detect_lang(text: str, default: str = "ru") -> str:
    """``ru`` when Cyrillic letters are at least a third of the letters, else ``en``."""
    if _OUTSIDE_BASIC.search(text) is None:
        cyr = sum(map(len, _CYR_BASIC.findall(text)))
        lat = sum(map(len, _LAT_BASIC.findall(text)))
    else:
        cyr = sum(map(len, _CYR.findall(text)))
        lat = sum(map(len, _LAT.findall(text)))
    if cyr == 0 and lat == 0:
        return default
    return "ru" if cyr * 2 >= lat else "en"
