"""Build real .docx and .pdf contracts in tests, from a small markdown-like list of lines.

Lines starting with "# " are headings, "- " list items (Word "List Number"), "|" table
rows (first row is the header); everything else is a body paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def _tables(lines: Sequence[str]) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    rows: list[list[str]] = []
    for line in lines:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
            continue
        if rows:
            out.append(("table", rows))
            rows = []
        out.append(("line", line))
    if rows:
        out.append(("table", rows))
    return out


def make_docx(path: Path, lines: Sequence[str]) -> Path:
    import docx

    document = docx.Document()
    for kind, value in _tables(lines):
        if kind == "table":
            rows = value
            assert isinstance(rows, list)
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
        else:
            line = str(value)
            if line.startswith("# "):
                document.add_heading(line[2:], level=1)
            elif line.startswith("- "):
                document.add_paragraph(line[2:], style="List Number")
            else:
                document.add_paragraph(line)
    document.save(str(path))
    return path


def make_pdf(path: Path, lines: Sequence[str], cyrillic: bool = True) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    font = "Helvetica"
    if cyrillic:
        if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSerif", str(DEJAVU)))
        font = "DejaVuSerif"
    style = ParagraphStyle("body", fontName=font, fontSize=10, leading=13, alignment=4, spaceAfter=4)
    story: list[object] = []
    for kind, value in _tables(lines):
        if kind == "table":
            rows = value
            assert isinstance(rows, list)
            story.append(Table([[Paragraph(c, style) for c in row] for row in rows]))
        else:
            line = str(value).replace("&", "&amp;").replace("<", "&lt;")
            if line.startswith("# "):
                story.append(Paragraph(line[2:], style))
            elif line.startswith("- "):
                story.append(Paragraph("– " + line[2:], style))
            else:
                story.append(Paragraph(line, style))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def make_blank_pdf(path: Path) -> Path:
    """A PDF with a page but no text layer, like a scan."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(50, 50, 200, 200, fill=1)
    c.showPage()
    c.save()
    return path
