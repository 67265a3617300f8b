"""Exports: HTML is self-contained, PDF is a real PDF with pages, JSON carries the head hash."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from evidence_sample import CLIENT

from clientguard.evidence.export import ExportData, collect, render
from clientguard.evidence.notes import add_note, confirm_note
from clientguard.evidence.verify import resolve_client, verify_client
from clientguard.store import Store


def data(store: Store, start: date | None = None, end: date | None = None) -> ExportData:
    with store.engine.begin() as conn:
        cid = resolve_client(conn, CLIENT)
        note = add_note(conn, cid, "Созвон: посты по вторникам и пятницам", "call", date(2025, 9, 10))
        confirm_note(conn, cid, note.id, text="Да, всё верно")
    with store.engine.connect() as conn:
        return collect(conn, cid, verify_client(conn, cid), start, end)


def test_html_is_self_contained(store: Store) -> None:
    d = data(store)
    html = render(d, "html", "ru").decode()
    assert d.head_hash in html and "Проверка целостности пройдена" in html
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=", html, re.I)
    assert "Созвон: посты по вторникам" in html and "Да, всё верно" in html


def test_json_has_everything(store: Store) -> None:
    d = data(store)
    out = json.loads(render(d, "json"))
    assert out["head_hash"] == d.head_hash and out["verified"] is True
    # one chunk record listing the 27 messages, a note, a confirmation; 29 chronology lines
    assert out["records"] == 3 and out["messages"] == 27 and len(out["chronology"]) == 29
    assert out["notes"][0]["confirmations"][0]["text"] == "Да, всё верно"
    assert [e["seq"] for e in out["chronology"]][:3] == [1, 1, 1]
    assert [e["ref"] for e in out["chronology"] if e["kind"] == "message"] == [str(i) for i in range(1, 28)]


def test_period_filter(store: Store) -> None:
    d = data(store, date(2025, 9, 4), date(2025, 9, 7))
    assert d.chronology and all("2025-09-04" <= (e.when or "")[:10] <= "2025-09-07" for e in d.chronology)


def test_failed_verification_is_stated(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE messages SET text = 'подделка' WHERE id = 3")
    html = render(data(store), "html", "en").decode()
    assert "Integrity check FAILED" in html and "source_changed" in html


def test_pdf_is_a_pdf_with_pages(store: Store) -> None:
    pytest.importorskip("reportlab")  # the pdf extra; what it says: test_export_pdf.py
    from pypdf import PdfReader

    pdf = render(data(store), "pdf", "ru")
    assert pdf.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2


def test_tampered_entry_is_marked(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE messages SET text = 'подделка' WHERE id = 3")
    d = data(store)
    marked = [e for e in d.chronology if e.tampered]
    assert [(e.kind, e.ref) for e in marked] == [("message", "3")]
