"""The PDF export says what the HTML export says, in order, on numbered A4 pages.

The PDF is the HTML's own text laid out by reportlab (``export_pdf``), so the test reads
both back (lxml for the HTML, pypdf for the PDF) and compares the words: every entry,
hash, mark, note, invoice, the verdict and the method, in Russian and English. What the
PDF adds is only its furniture: the footer on every page and a table's header row
repeated at the top of a page.
"""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date
from typing import Any

import pytest
from evidence_sample import CLIENT
from export_sample import rich
from lxml import html as lxml_html
from pypdf import PdfReader

from clientguard.evidence.export import Entry, ExportData, render, to_html
from clientguard.evidence.export_pdf import FONT_DIRS, _fonts
from clientguard.store import Store

pytest.importorskip("reportlab")
sys_fonts = pytest.mark.skipif(
    not any((d / "DejaVuSans.ttf").is_file() for d in FONT_DIRS),
    reason="DejaVu fonts not installed (scripts/system_deps.sh)",
)


def _squash(text: str) -> str:
    """Text without whitespace, bullets and characters DejaVu lacks (a box in the PDF, read as nothing)."""
    known = _fonts()["sans"]._table  # type: ignore[attr-defined]
    return "".join(ch for ch in text if not ch.isspace() and ch != "•" and (ord(ch) in known or ord(ch) < 32))


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def html_text(page: str) -> str:
    body = lxml_html.fromstring(page.encode("utf-8")).find("body")
    assert body is not None
    return str(body.text_content())


def pdf_text(pages: list[str], footer: str) -> str:
    """The pages' text without the footers and without the header rows repeated at a page's top."""
    total = len(pages)
    out = []
    headers = re.compile(r"^(seq Когда Запись Кто Содержание SHA-256|seq When Record Who Content SHA-256|"
                         r"seq Когда Кто Сигналы Текст|seq When Who Signals Text)\n")  # fmt: skip
    for n, text in enumerate(pages, 1):
        tail = f"{footer}\n{n} / \n{total}\n"
        assert text.endswith(tail) or text.endswith(tail.rstrip("\n")), text[-200:]
        text = text[: text.rindex(footer)]
        if n > 1:
            text = headers.sub("", text, count=1)
        out.append(text)
    return "".join(out)


def exported(store: Store, lang: str) -> tuple[ExportData, str, list[str]]:
    data = rich(store)
    return data, to_html(data, lang), pdf_pages(render(data, "pdf", lang))


@sys_fonts
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_pdf_has_the_htmls_words_in_order(store: Store, lang: str) -> None:
    _data, page, pages = exported(store, lang)
    word = "журнал доказательств" if lang == "ru" else "evidence log"
    footer = f"{CLIENT.replace(chr(34), '')} · {word}"
    assert len(pages) >= 3
    assert _squash(pdf_text(pages, footer)) == _squash(html_text(page))


@sys_fonts
def test_every_entry_with_its_hash_marks_notes_and_verdict(store: Store) -> None:
    data, _page, pages = exported(store, "ru")
    text = _squash("".join(pages))
    assert data.chronology and any(e.tampered for e in data.chronology)
    for e in data.chronology:
        assert _squash(f"{e.seq}") in text and _squash(e.hash[:16] + "…") in text
    assert _squash(data.head_hash) in text
    needles = (
        "Проверка целостности НЕ пройдена", "не совпадает с журналом", "Созвон: посты по вторникам",
        "Подтверждено", "П-09", "Как проверить без clientguard", "Хронология", "подделка",
    )  # fmt: skip
    for needle in needles:
        assert _squash(needle) in text, needle


@sys_fonts
def test_a_message_taller_than_a_page_is_split_not_lost(store: Store) -> None:
    data = rich(store)
    lines = [f"строка {i:03} длинного сообщения" for i in range(200)]
    long = dataclasses.replace(data.chronology[0], text="\n".join(lines), kind="message", ref="1")
    data = dataclasses.replace(data, chronology=(long,), flagged=())
    text = "".join(pdf_pages(render(data, "pdf", "ru")))
    found = [int(m) for m in re.findall(r"строка (\d{3}) длинного", text)]
    assert found == list(range(200))


@sys_fonts
def test_many_entries_make_many_numbered_pages(store: Store) -> None:
    data = rich(store, None, date(2030, 1, 1))
    base: Entry = next(e for e in data.chronology if e.kind == "message")
    many = tuple(
        dataclasses.replace(base, seq=i, ref=str(i), text=f"сообщение номер {i}") for i in range(1500)
    )
    pages = pdf_pages(render(dataclasses.replace(data, chronology=many, flagged=()), "pdf", "ru"))
    assert len(pages) > 40
    assert pages[-1].rstrip().endswith(f"{len(pages)} / \n{len(pages)}")
    joined = "".join(pages)
    assert all(f"сообщение номер {i}" in joined for i in range(1500))


@sys_fonts
def test_rows_are_dropped_once_drawn(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays flat in the entries: the parsed tree never holds more than the row being drawn."""
    from clientguard.evidence import export_pdf

    data = rich(store)
    base = next(e for e in data.chronology if e.kind == "message")
    many = tuple(dataclasses.replace(base, seq=i, ref=str(i)) for i in range(600))
    held: list[int] = []
    end = export_pdf._Document.end

    def counting(self: export_pdf._Document, el: Any) -> None:
        table = el.getparent()
        if el.tag == "tr" and table is not None and table.get("class") != "meta":  # meta: 6 rows, kept
            held.append(len(table))
        end(self, el)

    monkeypatch.setattr(export_pdf._Document, "end", counting)
    render(dataclasses.replace(data, chronology=many, flagged=()), "pdf", "en")
    assert len(held) > 600 and max(held) <= 2


@sys_fonts
def test_whitespace_between_blocks_is_no_blank_line() -> None:
    """The template's line breaks between a cell's blocks are HTML whitespace, not lines of their own."""
    from clientguard.evidence.export_pdf import Style, _lines

    cell = lxml_html.fragment_fromstring(
        "<td>Созвон\n    <div class='conf'>✔ да</div>\n    <div class='unconf'>нет</div>\n  </td>"
    )
    assert len(_lines(cell, Style(), 300)) == 3
    pre = lxml_html.fragment_fromstring("<td><span class='txt'>раз\n\nдва</span></td>")
    assert len(_lines(pre, Style(), 300)) == 3  # an empty line the sender typed stays
