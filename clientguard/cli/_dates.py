"""Days typed on the command line the way people write them (QA pass 6, CLI N16).

Every date option took ISO only, so a Russian user's 'invoice paid … --on 20.09.2025' or
'messages X --since 01.09.2025' ended in "expected a date like 2025-09-01". A dotted date
is day-first wherever it is written (ru, de, …), so it is unambiguous: 'DD.MM.YYYY' (also
'D.M.YYYY') is read beside ISO 'YYYY-MM-DD'. Two-digit years and slashes stay refused:
01/09/25 is a different day in the US.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_DOTTED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_DOTTED_TIME = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})([ T].*)$")


def day(text: str) -> date:
    """``text`` as a date: ISO '2025-09-20' or dotted day-first '20.09.2025'; else ValueError."""
    m = _DOTTED.match(text)
    if m:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return date.fromisoformat(text.strip())


def moment(text: str) -> datetime:
    """``text`` as a date-time: what :func:`datetime.fromisoformat` reads, or a dotted day
    with an optional time ('01.09.2025', '01.09.2025 10:00')."""
    m = _DOTTED_TIME.match(text)
    if m:
        head = day(f"{m.group(1)}.{m.group(2)}.{m.group(3)}").isoformat()
        return datetime.fromisoformat(head + m.group(4))
    if _DOTTED.match(text):
        return datetime.combine(day(text), datetime.min.time())
    return datetime.fromisoformat(text.strip())
