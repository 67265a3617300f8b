"""The streamed JSON export is byte for byte what the dict round trip wrote, and the CLI streams it.

``old_json`` is the format's code before it was streamed (``ExportData.to_json`` then
``json.dumps(indent=1)``), kept here as the reference: the recompute script in the README
and every reader of earlier files rely on these bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from export_sample import rich

from clientguard.evidence.export import ExportData, render, write
from clientguard.evidence.export_json import parts
from clientguard.store import Store


def old_json(data: ExportData) -> bytes:
    """The JSON format as written before it was streamed."""

    def default(o: Any) -> Any:
        if isinstance(o, datetime | date):
            return o.isoformat()
        raise TypeError(type(o).__name__)

    out: dict[str, Any] = json.loads(json.dumps(asdict(data), default=default, ensure_ascii=False))
    for entry in (*out["chronology"], *out["flagged"]):
        entry.pop("data", None)
        entry.pop("closing", None)  # a rename/merge line's note (HTML wording), added after streaming
    for entry in out["flagged"]:
        entry.pop("logged", None)
    return json.dumps(out, ensure_ascii=False, indent=1).encode("utf-8")


def test_streamed_json_is_the_old_bytes(store: Store) -> None:
    data = rich(store)
    assert data.flagged and data.notes and data.invoices and data.problems and data.chain  # all sections
    assert render(data, "json") == old_json(data)


def test_streamed_json_of_a_period_and_of_empty_lists(store: Store) -> None:
    data = rich(store, date(2030, 1, 1), date(2030, 1, 2))
    assert not data.chronology and not data.flagged  # "[]" where the lists are empty
    assert "".join(parts(data)).encode("utf-8") == old_json(data)


def test_the_file_is_written_piece_by_piece(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``write`` never builds the whole text: each piece goes to the file as it comes."""
    data = rich(store)
    pieces: list[int] = []

    def counted(data: ExportData) -> Any:
        for piece in parts(data):
            pieces.append(len(piece))
            yield piece

    monkeypatch.setattr("clientguard.evidence.export_json.parts", counted)
    out = tmp_path / "e.json"
    write(data, "json", out)
    assert out.read_bytes() == old_json(data)
    assert len(pieces) > len(data.chronology) and max(pieces) < 10_000


def test_html_is_written_piece_by_piece_with_the_same_bytes(store: Store, tmp_path: Path) -> None:
    data = rich(store)
    out = tmp_path / "e.html"
    write(data, "html", out, "en")
    assert out.read_bytes() == render(data, "html", "en")
    assert b"Integrity check FAILED" in out.read_bytes()
