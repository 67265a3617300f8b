"""The JSON format of the evidence export, written piece by piece.

Why streamed: the format was one ``json.dumps`` of a dict made by ``dataclasses.asdict``
of the whole export, round-tripped through ``json.loads`` to drop two keys, then dumped
again: four copies of a 50,000-message client at once (0.87 GB peak for 56 MB of JSON).
Here each top-level field, and each item of the three long lists (chronology, flagged,
chain), is dumped on its own and re-indented to its depth, so only one item's text is
held at a time. The bytes are those of ``json.dumps(…, ensure_ascii=False, indent=1)``
of the old dict (``tests/evidence/test_export_json.py`` compares them), so the
recompute script in the README reads the file as before.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clientguard.evidence.export import Entry, ExportData

#: Top-level lists written one item at a time (the ones that grow with the history).
_LONG = frozenset({"chronology", "flagged", "chain"})


def _default(o: Any) -> Any:
    if isinstance(o, datetime | date):
        return o.isoformat()
    raise TypeError(type(o).__name__)


#: Values written as they are (most of an entry's fields): no dataclass check, no copy.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _tree(value: Any) -> Any:
    """Dataclasses as dicts, tuples as lists, recursively: what ``asdict`` made, without its deep copies."""
    if type(value) in _SCALARS:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _tree(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: _tree(v) for k, v in value.items()}
    return value


def _dump(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(indent=1)`` writes it ``depth`` levels down.

    Re-indenting by replacing newlines is exact: a JSON string never holds a raw newline.
    """
    text = json.dumps(value, default=_default, ensure_ascii=False, indent=1)
    return text.replace("\n", "\n" + " " * depth) if depth else text


def _entry(entry: Entry, flagged: bool) -> dict[str, Any]:
    """A chronology line as the format has it: no ``data`` or ``closing`` (its ``text`` keeps the
    logged fields, or a rename/merge in English), and no ``logged`` in the flagged list (the
    same message's chronology line has it)."""
    skip = ("data", "closing", "logged") if flagged else ("data", "closing")
    return {f.name: _tree(getattr(entry, f.name)) for f in dataclasses.fields(entry) if f.name not in skip}


def parts(data: ExportData) -> Iterator[str]:
    """The JSON export as consecutive pieces of text; joined, they are the whole file."""
    yield "{"
    for i, f in enumerate(dataclasses.fields(data)):
        value = getattr(data, f.name)
        yield ("," if i else "") + "\n " + json.dumps(f.name, ensure_ascii=False) + ": "
        if f.name not in _LONG or not value:
            yield _dump(_tree(value), 1)
            continue
        yield "["
        for j, item in enumerate(value):
            shown = item if f.name == "chain" else _entry(item, f.name == "flagged")
            yield ("," if j else "") + "\n  " + _dump(_tree(shown), 2)
        yield "\n ]"
    yield "\n}"
