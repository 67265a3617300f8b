"""The dispute export's template lists a client's labelled forwards apart, as the client page does.

The flagged messages of the export are ``message_flags`` of the page's profile, which
leaves a forward's own labels out (the words are someone else's); the page lists those
forwards under "forwarded, not counted". The template shows the same section when the
export passes the forwards (``ExportData.forwarded``: message entries with the forward's
labels as ``signals``), and nothing when it does not.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest
from export_sample import rich
from lxml import html as lxml_html

from clientguard.evidence.export import Entry, ExportData, to_html
from clientguard.store import Store


@dataclass(frozen=True)
class WithForwards(ExportData):
    """:class:`ExportData` with the forwards the export is to pass (``forwarded_flags``)."""

    forwarded: tuple[Entry, ...] = ()


def forwarded(store: Store) -> WithForwards:
    data = rich(store)
    message = next(e for e in data.chronology if e.kind == "message")
    fwd = dataclasses.replace(message, forwarded_from="Гость паблика", signals=("insult",))
    fields = {f.name: getattr(data, f.name) for f in dataclasses.fields(ExportData)}
    return WithForwards(**fields, forwarded=(fwd,))


@pytest.mark.parametrize(
    ("lang", "title", "mark"),
    [
        ("ru", "Переслано, не учтено (1)", "Переслано от «Гость паблика» — не слова отправителя"),
        ("en", "Forwarded, not counted (1)", "Forwarded from «Гость паблика» — not the sender's own words"),
    ],
)
def test_forwards_are_listed_apart_with_their_count(store: Store, lang: str, title: str, mark: str) -> None:
    data = forwarded(store)
    page = lxml_html.fromstring(to_html(data, lang).encode("utf-8"))
    heads = [h.text_content() for h in page.iter("h2")]
    assert title in heads
    assert (
        heads.index(title) == heads.index("Сообщения с сигналами" if lang == "ru" else "Flagged messages") + 1
    )
    table = page.xpath("//h2[contains(., $t)]/following-sibling::table[1]", t=title)[0]
    [row] = table.findall(".//tr")[1:]
    cells = row.findall("td")
    assert cells[0].text_content() == str(data.forwarded[0].seq)
    assert [s.get("title") for s in cells[3].findall("span")] == ["insult"]  # the forward's own signal
    assert mark in " ".join(cells[4].text_content().split())  # whose words they are


def test_without_forwards_passed_there_is_no_section(store: Store) -> None:
    data = forwarded(store)
    plain = ExportData(**{f.name: getattr(data, f.name) for f in dataclasses.fields(ExportData)})
    assert "Forwarded, not counted" not in to_html(plain, "en")  # the export as it is today
    assert "Forwarded, not counted" not in to_html(dataclasses.replace(data, forwarded=()), "en")


def test_the_pdf_lists_them_too(store: Store) -> None:
    """The PDF is the HTML laid out by reportlab: the section's words are in it."""
    pytest.importorskip("reportlab")
    import io

    from pypdf import PdfReader

    from clientguard.evidence.export import render

    pdf = render(forwarded(store), "pdf", "en")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Forwarded, not counted (1)" in text and "Forwarded by" in text
