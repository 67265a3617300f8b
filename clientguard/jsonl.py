"""JSON Lines input, one object per line, with every failure named by file and line.

Why bytes, not text mode: a text-mode file raises ``UnicodeDecodeError`` from inside the
``for line in fh`` loop, with no line number and past any ``try`` around ``json.loads``,
so one stray byte became a traceback. Reading bytes and decoding each line here turns it
into the same E102 error as bad JSON. A UTF-8 byte order mark on the first line (files
saved by Windows editors) is accepted; blank lines are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from clientguard.errors import MalformedRecordError, Place, Where, msg
from clientguard.reasons import json_reason

_BOM = b"\xef\xbb\xbf"


def iter_objects(
    lines: Iterable[bytes],
    name: str,
    bad: list[MalformedRecordError] | None = None,
    check: Callable[[dict[str, Any], Where], None] | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for every non-blank line. ``check`` may reject an object
    (raising :class:`MalformedRecordError` for its place). The first bad line raises, or,
    when ``bad`` is given, every bad line is appended to it and skipped."""
    for no, raw in enumerate(lines, 1):
        try:
            rec = _parse(raw, no, name)
            if rec is not None and check is not None:
                check(rec, Where(name, Place.line(no)))
        except MalformedRecordError as exc:
            if bad is None:
                raise
            bad.append(exc)
            continue
        if rec is not None:
            yield no, rec


def _parse(raw: bytes, no: int, name: str) -> dict[str, Any] | None:
    """The object on one line, None for a blank line."""
    if no == 1 and raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        said = msg("jsonl.not_utf8", byte=raw[exc.start], offset=exc.start + 1)
        raise MalformedRecordError(said, Where(name, Place.line(no))) from None
    if not line.strip():
        return None
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        said = msg("jsonl.invalid", error=json_reason(exc, exc.msg, line=False))
        raise MalformedRecordError(said, Where(name, Place.line(no))) from None
    if not isinstance(rec, dict):
        said = msg("jsonl.not_object", kind=type(rec).__name__)
        raise MalformedRecordError(said, Where(name, Place.line(no)))
    return rec
