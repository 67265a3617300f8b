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
import logging
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from evidence_sample import CLIENT
from export_sample import rich
from lxml import html as lxml_html
from pypdf import PdfReader

from clientguard.evidence import export_pdf
from clientguard.evidence.export import Entry, ExportData, render, to_html
from clientguard.evidence.export_pdf import FONT_DIRS, Style, _faces
from clientguard.store import Store

pytest.importorskip("reportlab")
sys_fonts = pytest.mark.skipif(
    not any((d / "DejaVuSans.ttf").is_file() for d in FONT_DIRS),
    reason="DejaVu fonts not installed (scripts/system_deps.sh)",
)


def _squash(text: str) -> str:
    """Text as the PDF shows it (a character no installed font has is spelled out by name),
    without whitespace and bullets."""
    shown = "".join(piece for piece, _ in _faces(text, Style()))
    return "".join(ch for ch in shown if not ch.isspace() and ch != "•")


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


EMOJI = "Спасибо 🙏👍🔥 ❤️ 😀 семья 👨‍👩‍👧 🇷🇺"
emoji_font = pytest.mark.skipif(
    not any(p.is_file() for p in export_pdf.EMOJI_FONTS),
    reason="no emoji font (fonts-symbola; scripts/system_deps.sh)",
)


@pytest.fixture()
def no_emoji_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The export as on a machine without Symbola (fonts are looked up once per process)."""
    monkeypatch.setattr(export_pdf, "EMOJI_FONTS", ())
    export_pdf._fonts.cache_clear()
    yield
    export_pdf._fonts.cache_clear()


def _with_emoji(store: Store) -> ExportData:
    data = rich(store)
    first = dataclasses.replace(data.chronology[0], text=EMOJI, kind="message", ref="1")
    return dataclasses.replace(data, client=f"{data.client} ☕🙏", chronology=(first, *data.chronology[1:]))


def _emoji_pdf(store: Store, caplog: pytest.LogCaptureFixture) -> tuple[str, str, bytes, list[str]]:
    """Client, HTML, PDF and its pages' text of an export whose client and first message hold emoji."""
    data = _with_emoji(store)
    page, pdf = to_html(data, "ru"), render(data, "pdf", "ru")
    with caplog.at_level(logging.WARNING):
        pages = pdf_pages(pdf)
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]  # every code reads back
    assert all("\x00" not in p for p in pages)  # no glyph is a box
    return data.client, page, pdf, pages


@sys_fonts
@emoji_font
def test_emoji_are_drawn_in_the_fallback_font_and_read_back(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    client, page, pdf, pages = _emoji_pdf(store, caplog)
    text = "".join(pages)
    assert "Спасибо 🙏👍🔥 ❤️ 😀 семья 👨\u200d👩\u200d👧 🇷🇺" in text  # as written, joiners included
    assert "⟨" not in text
    assert _squash(pdf_text(pages, f"{client} · журнал доказательств")) == _squash(html_text(page))
    pages_ = PdfReader(io.BytesIO(pdf)).pages
    fonts = {str(f["/BaseFont"]) for p in pages_ for f in p["/Resources"]["/Font"].values()}
    assert any("Symbola" in f for f in fonts), fonts


@sys_fonts
def test_without_an_emoji_font_they_are_spelled_out(
    store: Store, caplog: pytest.LogCaptureFixture, no_emoji_font: None
) -> None:
    client, page, _pdf, pages = _emoji_pdf(store, caplog)
    text = " ".join(" ".join(pages).split())  # a name may wrap onto the next line
    for name in ("⟨person with folded hands⟩", "⟨thumbs up sign⟩", "⟨fire⟩", "⟨man⟩", "⟨girl⟩",
                 "⟨regional indicator symbol letter r⟩"):  # fmt: skip
        assert name in text, name
    assert "Спасибо ⟨person with folded hands⟩⟨thumbs up sign⟩⟨fire⟩ ❤️ 😀" in text  # DejaVu has ❤ and 😀
    assert "☕⟨person with folded hands⟩ · журнал доказательств" in text  # the footer too
    footer = f"{client.replace('🙏', '⟨person with folded hands⟩')} · журнал доказательств"
    assert _squash(pdf_text(pages, footer)) == _squash(html_text(page))


def test_a_character_beyond_the_bmp_reads_back_as_itself() -> None:
    """reportlab's ToUnicode entry for U+1F600 is "<1F600>"; readers need UTF-16, "<D83DDE00>"."""
    cmap = export_pdf._to_unicode_cmap("F", [32, 0x41, 0x1F600, 0xFFFD])
    assert "<00> <0020>" in cmap and "<01> <0041>" in cmap and "<03> <FFFD>" in cmap
    assert "<02> <D83DDE00>" in cmap and "1F600" not in cmap
