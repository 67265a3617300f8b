"""The dispute export's template lists a client's labelled forwards apart, as the client page does.

The flagged messages of the export are ``message_flags`` of the page's profile, which
leaves a forward's own labels out (the words are someone else's); the page lists those
forwards under "forwarded, not counted". The export passes the forwards
(``ExportData.forwarded``: message entries with the forward's labels as ``signals``,
from ``forwarded_flags``) and the template lists them in the same section, and nothing
when there are none.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from export_sample import rich
from lxml import html as lxml_html
from sqlalchemy import select

from clientguard.evidence.export import ExportData, to_html
from clientguard.store import Store, open_store
from clientguard.store.models import ClientRow

FORWARDS = Path(__file__).resolve().parents[1] / "fixtures" / "analysis" / "forwarded"
FORWARDS = FORWARDS / "tg-forwarded-threats.json"


def forwarded(store: Store) -> ExportData:
    data = rich(store)
    message = next(e for e in data.chronology if e.kind == "message")
    fwd = dataclasses.replace(message, forwarded_from="Гость паблика", signals=("insult",))
    return dataclasses.replace(data, forwarded=(fwd,))


@pytest.mark.parametrize(
    ("lang", "title", "mark"),
    [
        ("ru", "Переслано, не учтено (1)", "Переслано от «Гость паблика» — не слова отправителя"),
        ("en", "Forwarded, not counted (1)", "Forwarded from “Гость паблика” — not the sender's own words"),
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


def test_the_export_of_a_stored_client_lists_its_forwarded_threats_apart(tmp_path: Path) -> None:
    """End to end: import → export. The forwarded threats are in the section, not flagged."""
    from clientguard.evidence.dispute import prepare

    with open_store(f"sqlite:///{tmp_path / 'cg.sqlite3'}") as st:
        st.import_paths([FORWARDS], client="Олег Дроздов", me=("user100",))
        with st.engine.connect() as conn:
            cid = int(conn.execute(select(ClientRow.id)).scalar_one())
        data = prepare(st.engine, cid)
    assert data.forwarded, "the labelled forwards reach the export"
    assert all(e.forwarded_from and e.signals for e in data.forwarded)
    assert not {e.ref for e in data.forwarded} & {e.ref for e in data.flagged}
    page = to_html(data, "ru")
    assert f"Переслано, не учтено ({len(data.forwarded)})" in page
