"""Contract text extraction with locations, for .docx, .pdf, .txt and .md.

Every format is reduced to the same thing: an ordered tuple of :class:`Block` (one
numbered clause, list item, heading or table row) that knows its section number and,
for PDFs, its page. The clause checker only ever sees blocks, so the same rules give
the same verdict for a ``.md`` contract and its ``.docx``/``.pdf`` copies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from clientguard.contracts.textfile import decode_text, has_bom, looks_binary, not_a_contract, path_kind
from clientguard.errors import InputError, Msg, UnknownFormatError, Where, msg, os_reason
from clientguard.reasons import told

# "1.1." / "12.3.4." at the start of a block: a numbered clause.
_CLAUSE_NO = re.compile(r"^\s*((?:\d{1,2}|[IVXL]{1,5})(?:\.\d{1,2})+)[.)]?\s+")
# "Статья 3 — Оплата", "РАЗДЕЛ IV.", "§ 2. Fees", "Article 5: Term": a named section heading
_NAMED_HEADING = re.compile(
    r"^\s*(?:статья|раздел|глава|часть|article|section|part|clause|§)\s*(?:№\s*)?(\d{1,2}|[IVXLC]{1,6})\b"
    r"[.:)]?\s*(?:[—–-]\s*)?(.*)$",
    re.IGNORECASE,
)
# "1. ПРЕДМЕТ" / "1. Services." at the start of a block: a top-level section.
_SECTION_NO = re.compile(r"^\s*(\d{1,2})\.\s+\S")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_MD_LIST = re.compile(r"^\s*(?:[-*•–—]|\d{1,2}\)|[а-яa-z]\))\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")
# "**ARTICLE 4. FEES.** The monthly fee is …": a bold run-in heading opening a paragraph.
_RUN_IN = re.compile(r"^\s*(?:\*\*|__)([^*_]{1,100}?)(?:\*\*|__)\s*(.*)$")
_EMPHASIS = re.compile(r"\*\*|__")
# PDF line that opens a new block: clause number, list dash, heading-like line.
_PDF_LIST = re.compile(r"^\s*(?:[–—•-]|\d{1,2}\)|[а-яa-z]\))\s*(.*)$")
# a list marker typed into a Word paragraph: "1) ", "а) ", "- ", "• "
_TYPED_LIST = re.compile(r"^\s*(?:[-•–—]|\d{1,2}\)|[а-яa-z]\))\s+")


@dataclass(frozen=True)
class Location:
    """Where a quote sits: a section/clause number ("3.3") and, for PDFs, a page."""

    section: str | None = None
    page: int | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.section:
            parts.append(f"§{self.section}")
        if self.page is not None:
            parts.append(f"p. {self.page}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Block:
    """One unit of contract text; ``kind`` is clause, heading, item, row or text.

    An empty text block only ends a table: consecutive rows are read as one table, and two
    tables a PDF gives back to back are two.
    """

    text: str
    location: Location
    kind: str = "text"


@dataclass(frozen=True)
class ContractText:
    """The blocks of one contract file plus the format it was read from."""

    path: str
    fmt: str
    blocks: tuple[Block, ...]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


class _Sections:
    """Tracks the current section number while blocks are read in order.

    Literal numbers ("3.3.", "7. ОТВЕТСТВЕННОСТЬ") win. A document whose headings carry no
    numbers at all (Word auto-numbering) gets them from heading order instead; the first
    heading is the title and is not counted.
    """

    def __init__(self) -> None:
        self.current: str | None = None
        self.headings = 0
        self.literal = False
        self.dotted = False  # a "3.1"-style clause number was seen

    def see(self, text: str, heading: bool = False) -> str | None:
        named = _NAMED_HEADING.match(text) if heading else None
        if named is not None and named.group(1).isdigit():
            self.current = named.group(1)
            self.literal = True
            return self.current
        m = _CLAUSE_NO.match(text)
        if m:
            self.current = m.group(1)
            self.dotted = True
            return self.current
        m = _SECTION_NO.match(text)
        # A long numbered sentence is a section only in a flat contract ("1. …", "2. …", no
        # headings, no "3.1"): there it is the clause, and skipping it cited the one before
        # ("5. За просрочку … пени" read as §4; QA pass 5, N8).
        flat = not self.literal and not self.dotted
        if m and (heading or flat or len(text) < 80 or not text.rstrip().endswith(".")):
            self.current = m.group(1)
            self.literal = self.literal or heading
        elif heading:
            self.headings += 1
            # Unnumbered heading: by order in an unnumbered document, else (annex,
            # signatures) a new, unnamed section.
            self.current = None if self.literal or self.headings == 1 else str(self.headings - 1)
        return self.current


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def read_contract(path: Path) -> ContractText:
    """Read a contract file; the format is chosen by extension, then by content.

    An empty file, a folder, undecodable text and what is plainly no contract (a chat
    export, JSON, an e-mail) are errors naming the file: checked as a contract, each gave
    15 "missing" rows that looked like a real verdict (QA F22, F26).
    """
    kind = path_kind(path)
    if kind == "dir":
        raise InputError(msg("reader.is_directory"), Where(str(path)))
    if kind != "file":
        raise InputError(msg("reader.no_file"), Where(str(path)))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(msg("reader.cannot_read", reason=os_reason(exc)), Where(str(path))) from None
    if not data.strip():
        raise InputError(msg("reader.empty"), Where(str(path)))
    suffix = path.suffix.lower()
    other = next((name for magic, name in _OTHER_DOCUMENTS if magic(data)), None)
    if other is not None:
        # a word processor's own format: python-docx cannot open it, and the errors said
        # "expected a .docx, .pdf, .md or .txt contract", "not a readable .docx file (There is
        # no item named '[Content_Types].xml')" or, for RTF, "got JSON (a chat export?)"
        raise UnknownFormatError(msg("reader.other_document", what=other), Where(str(path)))
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        return ContractText(str(path), "pdf", tuple(_read_pdf(path)))
    if suffix == ".docx" or data.startswith(b"PK\x03\x04"):
        blocks = tuple(_read_docx(path))
        if not any(b.text for b in blocks):
            # an empty Word document gave 15 "missing" rows that looked like a real verdict,
            # as an empty text file had (QA F22; QA pass 7)
            raise InputError(msg("reader.no_text"), Where(str(path)))
        return ContractText(str(path), "docx", blocks)
    if suffix in (".md", ".txt", ".markdown", "") or has_bom(data) or not looks_binary(data):
        text = decode_text(data, str(path))
        if not text.replace("\ufeff", "").strip():
            raise InputError(msg("reader.empty"), Where(str(path)))
        instead = not_a_contract(text)
        if instead is not None:
            raise UnknownFormatError(msg("reader.not_a_contract", kind=instead), Where(str(path)))
        return ContractText(str(path), "md" if suffix != ".txt" else "txt", tuple(read_markdown(text)))
    raise UnknownFormatError(msg("reader.unknown_kind"), Where(str(path)))


def _unwrap(text: str) -> list[str]:
    """Glue hard-wrapped lines back into paragraphs.

    A line continues the previous one when no blank line separates them and it does not
    open a new unit itself (clause number, list marker, heading, table row).
    """
    out: list[str] = []
    joinable = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            joinable = False
            continue
        opens = (
            _CLAUSE_NO.match(line) is not None
            or _SECTION_NO.match(line) is not None
            or _is_named_heading(line)
            or _MD_HEADING.match(line) is not None
            or _MD_LIST.match(line) is not None
            or line.startswith("|")
            or _TABLE_RULE.match(line) is not None
        )
        if joinable and not opens and out:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        joinable = not (line.startswith("|") or _MD_HEADING.match(line) or _is_named_heading(line))
    return out


def _is_named_heading(line: str) -> bool:
    """ "Статья 3 — Оплата", "§ 2. Fees": a section heading by its leading word, when short.

    A sentence that only starts with such a word ("Section 4.2 applies to all invoices.")
    is longer and ends with a full stop, so it stays a clause.
    """
    m = _NAMED_HEADING.match(line)
    if m is None or len(line) > 100:
        return False
    rest = m.group(2).strip()
    return not rest.endswith(".") or len(rest.split()) <= 6


def _is_caps_heading(line: str) -> bool:
    """A short all-capitals line without a final full stop ("ПРЕДМЕТ И ОБЪЁМ") is a heading.

    Plain-text contracts mark sections this way instead of ``#``; treating the line as a
    heading keeps it out of the clause sentences and gives the section a name.
    """
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 4 or len(line) > 120 or line.rstrip().endswith((".", ";", ",")):
        return False
    return sum(c.isupper() for c in letters) / len(letters) > 0.85


def read_markdown(text: str) -> Iterator[Block]:
    """Plain text or markdown: one block per paragraph (wrapped lines glued), tables row by row.

    Heading styles vary more than clause wording does: ``#`` headings, bold-only lines,
    bold run-in headings ("**ARTICLE 4. FEES.** The fee is …"), upper-case lines. All of
    them become ``heading`` blocks, and the text after a run-in heading its own block, so
    the heading words never glue onto the first clause sentence.
    """
    sections = _Sections()
    for line in _unwrap(text):
        if line in ("---", "***") or _TABLE_RULE.match(line):
            continue
        run_in = _RUN_IN.match(line) if not line.startswith("|") else None
        if run_in is not None and (
            not run_in.group(2).strip() or run_in.group(1).rstrip().endswith((".", ":"))
        ):
            title = _clean(run_in.group(1))
            yield Block(title, Location(sections.see(title, heading=True)), "heading")
            line = run_in.group(2).strip()
            if not line:
                continue
        line = _EMPHASIS.sub("", line)
        if (
            not _MD_HEADING.match(line)
            and not line.startswith("|")
            and (_is_caps_heading(line) or _is_named_heading(line))
        ):
            body = _clean(line)
            yield Block(body, Location(sections.see(body, heading=True)), "heading")
            continue
        if _MD_HEADING.match(line):
            body = _clean(_MD_HEADING.sub("", line))
            yield Block(body, Location(sections.see(body, heading=True)), "heading")
        elif line.startswith("|"):
            cells = [_clean(c) for c in line.strip("|").split("|")]
            yield Block(" | ".join(c for c in cells if c), Location(sections.current), "row")
        elif _MD_LIST.match(line):
            yield Block(_clean(_MD_LIST.sub("", line)), Location(sections.current), "item")
        else:
            body = _clean(line)
            kind = "clause" if _CLAUSE_NO.match(body) else "text"
            yield Block(body, Location(sections.see(body)), kind)


def _read_docx(path: Path) -> Iterator[Block]:
    """Word: body paragraphs and tables in document order; list paragraphs are items."""
    try:
        import docx
        from docx.table import Table
    except ImportError as exc:  # pragma: no cover - dependency is pinned
        raise InputError(msg("reader.not_installed", library="python-docx"), Where(str(path))) from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise InputError(msg("reader.bad_docx", error=told(exc, "docx")), Where(str(path))) from exc
    sections = _Sections()
    # Style names by id, read once: python-docx's per-paragraph ``.style`` is slow.
    style_names = {st.style_id: st.name or "" for st in document.styles}
    w_ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = document.element.body
    for child in _docx_blocks(body):
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = _clean(_docx_text(child))
            if not text:
                continue
            style_el = child.find(f"{w_ns}pPr/{w_ns}pStyle")
            style = style_names.get(style_el.get(f"{w_ns}val", "") if style_el is not None else "", "")
            is_list = "List" in style or child.find(".//{*}numPr") is not None
            if (
                style.startswith("Heading")
                or style == "Title"
                or (_is_named_heading(text) and len(text) < 60)
            ):
                yield Block(text, Location(sections.see(text, heading=True)), "heading")
            elif is_list and not _CLAUSE_NO.match(text):
                yield Block(text, Location(sections.current), "item")
            elif _TYPED_LIST.match(text):  # "1) …", "а) …", "- …" typed by hand, not Word numbering
                yield Block(_clean(_TYPED_LIST.sub("", text)), Location(sections.current), "item")
            else:
                kind = "clause" if _CLAUSE_NO.match(text) else "text"
                yield Block(text, Location(sections.see(text)), kind)
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = _clean(" ".join(_docx_text(p) for p in cell._tc.iter(f"{w_ns}p")))
                    if value and (not cells or cells[-1] != value):
                        cells.append(value)
                if cells:
                    yield Block(" | ".join(cells), Location(sections.current), "row")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Runs whose text is not the document's: deleted or moved away (tracked changes), and text
# boxes, which Word stores twice (mc:Choice and mc:Fallback) and which float off the text.
_DOCX_SKIP = {f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent"}
_DOCX_TEXT = {f"{_W}t": None, f"{_W}tab": " ", f"{_W}br": " ", f"{_W}cr": " ", f"{_W}noBreakHyphen": "-"}


def _docx_blocks(parent: Any) -> Iterator[Any]:
    """Body paragraphs and tables in order, also inside content controls (``w:sdt``) and
    custom XML, which templates wrap whole clauses in: they were skipped unread."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _docx_blocks(content)
        elif tag == f"{_W}customXml":
            yield from _docx_blocks(child)


def _docx_text(p: Any) -> str:
    """A Word paragraph's text as it reads with every tracked change accepted.

    python-docx's ``Paragraph.text`` reads only the runs directly under the paragraph, so a
    clause the other side inserted in review mode (``w:ins``), or a price typed into a
    content control (``w:sdt``) or a field, was not read at all (QA pass 7): "Заказчик
    оплачивает счёт в течение 5 рабочих дней", inserted as a tracked change, left the
    contract with no payment terms. Deleted text (``w:delText``) stays out.
    """
    out: list[str] = []

    def walk(el: Any) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _DOCX_SKIP or tag == f"{_W}pPr":
                continue
            if tag in _DOCX_TEXT:
                if tag == f"{_W}tab" and el.tag != f"{_W}r":
                    continue  # a tab stop of the paragraph's properties, not a tab character
                out.append(child.text or "" if _DOCX_TEXT[tag] is None else str(_DOCX_TEXT[tag]))
            else:
                walk(child)

    walk(p)
    return "".join(out)


def _read_pdf(path: Path) -> Iterator[Block]:
    """PDF text layer, page by page; wrapped lines are glued back into clauses."""
    try:
        from pypdf import PdfReader
    except ImportError as exc:  # pragma: no cover - dependency is pinned
        raise InputError(msg("reader.not_installed", library="pypdf"), Where(str(path))) from exc
    import logging

    # pypdf logs recoverable damage ("EOF marker not found") on stderr; the error below
    # names the file once, which is what the user needs.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        # a PDF locked only against editing opens with the empty password, as viewers do
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(msg("reader.pdf_password"), Where(str(path)))
        pages = [(i + 1, page.extract_text() or "") for i, page in enumerate(reader.pages)]
    except InputError:
        raise
    except Exception as exc:
        raise InputError(msg("reader.bad_pdf", error=told(exc, "pdf")), Where(str(path))) from exc
    if not any(text.strip() for _, text in pages):
        raise InputError(msg("reader.pdf_no_text"), Where(str(path)))
    tables = _pdf_tables(reader, pages)
    # the plain text of a table read as rows is its cells glued in reading order ("Услуга
    # Стоимость Instagram 30 000 руб. VK 20 000 руб."); read as a sentence it priced the
    # contract from its first row, where the .md and .docx copies have no price at all
    plain = list(pages)
    for page_no, rows in tables:
        plain[page_no - 1] = (page_no, _without_table(plain[page_no - 1][1], rows))
    yield from _pdf_blocks(plain)
    for n, (page_no, rows) in enumerate(tables):
        if n:  # an empty block ends the table before: consecutive rows are one table
            yield Block("", Location(None, page_no), "text")
        for row in rows:
            yield Block(row, Location(None, page_no), "row")


def _without_table(text: str, rows: list[str]) -> str:
    """The page's plain text without the lines that spell out ``rows``.

    They are the longest run of lines that are each a cell, a wrapped piece of one or a
    whole row of the table (a generator writes one cell per line, Word one row per line); a
    heading or a page number that happens to equal a cell ("Price", "2") stands apart from
    that run and stays.
    """
    parts = [cell for row in rows for cell in row.split(" | ")] + [row.replace(" | ", " ") for row in rows]

    def in_table(line: str) -> bool:
        return bool(line) and any(line in part for part in parts)

    lines = text.splitlines()
    best = (0, 0)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and (in_table(lines[j].strip()) or (j > i and not lines[j].strip())):
            j += 1
        if j - i > best[1] - best[0]:
            best = (i, j)
        i = max(j, i + 1)
    return "\n".join(lines[: best[0]] + lines[best[1] :])


#: Price tables read from one PDF at most: a budget table can come before the services one.
_PRICE_TABLES_MAX = 4


def _pdf_tables(reader: Any, pages: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """Tables lose their cell borders in plain extraction; a page that looks like it holds a
    quantity table or a price table ("Услуга | Стоимость", "Service | Price") is read again
    in layout mode. The first quantity table feeds the scope; price tables are read until
    :data:`_PRICE_TABLES_MAX`, since the first may be a budget or an extras table that the
    price reading passes over. Reading only the hinted pages keeps big PDFs fast.
    """
    have_qty = False
    prices = 0
    out: list[tuple[int, list[str]]] = []
    for page_no, text in pages:
        hinted = _page_table_kinds(text)
        want_qty = "quantity" in hinted and not have_qty
        want_price = "price" in hinted and prices < _PRICE_TABLES_MAX
        if not (want_qty or want_price):
            continue
        try:
            layout = reader.pages[page_no - 1].extract_text(extraction_mode="layout")
        except Exception:  # layout mode is a bonus; the plain text is already in
            continue
        for kinds, rows in layout_tables(layout):
            if ("quantity" in kinds and not have_qty) or ("price" in kinds and prices < _PRICE_TABLES_MAX):
                out.append((page_no, rows))
                have_qty = have_qty or "quantity" in kinds
                prices += "price" in kinds
        if have_qty and prices >= _PRICE_TABLES_MAX:
            break
    return out


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003 .doc, .xls, .ppt
#: Documents no reader here opens, told by their first bytes (QA pass 7): (test, what it is).
_OTHER_DOCUMENTS: tuple[tuple[Callable[[bytes], bool], Msg], ...] = (
    (lambda data: data.startswith(_OLE_MAGIC), msg("reader.old_doc")),
    (lambda data: data.lstrip().startswith(b"{\\rtf"), msg("reader.rtf")),
    (
        lambda data: data.startswith(b"PK\x03\x04") and b"application/vnd.oasis.opendocument" in data[:200],
        msg("reader.odt"),
    ),
)
_COL_GAP = re.compile(r"\S\s{3,}\S")  # two cells side by side in layout text
_CELL_SPLIT = re.compile(r"\s{3,}")


@dataclass(frozen=True)
class _TableHeaders:
    """What a PDF table's header row says (``rules/pdf_tables.yaml``, ``rules/table_price.yaml``)."""

    quantity: re.Pattern[str]
    price: re.Pattern[str]
    total: re.Pattern[str]
    cell_max: int


@cache
def _table_headers() -> _TableHeaders:
    import yaml

    rules = Path(__file__).resolve().parent / "rules"
    own = yaml.safe_load((rules / "pdf_tables.yaml").read_text(encoding="utf-8"))
    price = yaml.safe_load((rules / "table_price.yaml").read_text(encoding="utf-8"))

    def one(patterns: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns))

    return _TableHeaders(
        one(own["quantity"]),
        one(price["header"]),
        one(price["total"]),
        int(own["header_cell_max"]),
    )


def _norm(text: str) -> str:
    return text.strip().lower().replace("ё", "е")


def _page_table_kinds(text: str) -> set[str]:
    """Which tables the page's plain text hints at: a quantity header anywhere, or a price
    header on a short line of its own (a table cell; a sentence about the price is long)."""
    words = _table_headers()
    kinds: set[str] = set()
    norm = _norm(text)
    if words.quantity.search(norm):
        kinds.add("quantity")
    if any(
        words.price.search(line) and len(line) <= words.cell_max for line in map(_norm, text.splitlines())
    ):
        kinds.add("price")
    return kinds


def _head_kinds(line: str) -> set[str]:
    """The kinds of table a layout line heads: a quantity header with a column gap, or a
    row of two or more short cells one of which is a price header."""
    words = _table_headers()
    if not _COL_GAP.search(line):
        return set()
    kinds: set[str] = set()
    if words.quantity.search(_norm(line)):
        kinds.add("quantity")
    cells = [_norm(c) for c in _CELL_SPLIT.split(line.strip())]
    short = len(cells) >= 2 and all(len(c) <= words.cell_max for c in cells)
    if short and any(words.price.match(c) for c in cells):
        kinds.add("price")
    return kinds


def layout_tables(layout: str) -> list[tuple[set[str], list[str]]]:
    """Every table of a page's pypdf layout text with the kinds its header names."""
    lines = layout.splitlines()
    out: list[tuple[set[str], list[str]]] = []
    i = 0
    while i < len(lines):
        kinds = _head_kinds(lines[i])
        head = i
        if not kinds and i and _COL_GAP.search(lines[i]) and _wrapped_price_head(lines[i - 1]):
            # a long header cell wraps, bottom-aligned, onto the line above the row of cells:
            # "      Стоимость услуг в месяц, руб. (НДС не" / " Услуга      облагается)"
            kinds, head = {"price"}, i - 1
        if not kinds:
            i += 1
            continue
        region, end = _table_region(lines, head)
        rows = _region_rows(region)
        if len(rows) > 1:  # a header alone (a bilingual heading "Стоимость | Fees") is no table
            out.append((kinds, rows))
        i = max(end, i + 1)
    return out


def _wrapped_price_head(line: str) -> bool:
    """An indented line of one short run that starts with a price header: the top of a
    wrapped header cell."""
    words = _table_headers()
    text = line.strip()
    indent = len(line) - len(line.lstrip())
    return (
        indent >= 3
        and bool(text)
        and not _COL_GAP.search(line)
        and len(text) <= words.cell_max
        and words.price.match(_norm(text)) is not None
    )


def layout_table_rows(layout: str) -> list[str]:
    """Rows of the first table in pypdf layout text, cells joined by " | "."""
    tables = layout_tables(layout)
    return tables[0][1] if tables else []


def _table_region(lines: list[str], head: int) -> tuple[list[str], int]:
    """The table's lines from its header until a paragraph line (long, no column gaps, not
    indented) or the next numbered clause; and the index where reading stopped."""
    region: list[str] = []
    end = len(lines)
    for j in range(head, len(lines)):
        line = lines[j]
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        numbered = _CLAUSE_NO.match(line) is not None or _SECTION_NO.match(line) is not None
        if region and not _COL_GAP.search(line) and indent < 3 and (len(line.strip()) > 50 or numbered):
            end = j  # a paragraph or the next numbered clause/section: the table is over
            break
        region.append(line.rstrip())
    return region, end


def _region_rows(region: list[str]) -> list[str]:
    """Rows of one table region, cells joined by " | ".

    Column starts are the text starts shared by the table's lines. A line that fills every
    column is a row's anchor; a wrapped cell spills onto lines that fill fewer. With
    top-aligned cells (Word, most generators) those lines follow the anchor; with
    bottom-aligned cells (reportlab's default) they precede it. The first two lines tell
    which: with top alignment both fill every column. A total row ("Итого", "Total") leaves
    cells empty but is a row of its own, never a wrapped part of the row above.
    """
    starts = _column_starts(region)
    if len(starts) < 2:
        return []
    total = _table_headers().total
    cut = [_cut(line, starts) for line in region]
    filled = [sum(1 for c in cells if c) for cells in cut]
    full = max(filled)
    # top-aligned cells start every row on one line, so the header and the first data row
    # both fill every column; a shorter line among the first two means bottom alignment
    bottom = min(filled[:2]) < full
    rows: list[list[str]] = []
    pending: list[list[str]] = []
    for cells, n in zip(cut, filled, strict=True):
        if bottom:  # a total row, last and short, is what is left pending at the end
            pending.append(cells)
            if n == full:
                rows.append(_join_cells(pending, len(starts)))
                pending = []
        elif n == full or not rows or total.search(_norm(cells[0])) is not None:
            rows.append(cells)
        else:
            rows[-1] = _join_cells([rows[-1], cells], len(starts))
    if pending:
        rows.append(_join_cells(pending, len(starts)))
    return [" | ".join(c for c in row if c) for row in rows if any(row)]


def _column_starts(region: list[str]) -> list[int]:
    """Where cells start: text runs separated by 3+ spaces, positions within 2 merged."""
    seen = sorted({m.start() for line in region for m in re.finditer(r"\S+(?:\s{1,2}\S+)*", line)})
    starts: list[int] = []
    for pos in seen:
        if starts and pos - starts[-1] <= 2:
            continue
        starts.append(pos)
    return starts


def _join_cells(lines: list[list[str]], width: int) -> list[str]:
    return [" ".join(cells[i] for cells in lines if cells[i]) for i in range(width)]


def _cut(line: str, starts: list[int]) -> list[str]:
    """Cells of one line; a run that starts between two column starts belongs to the left one."""
    cells = [""] * len(starts)
    for m in re.finditer(r"\S+(?:\s{1,2}\S+)*", line):
        col = max((i for i, st in enumerate(starts) if st <= m.start() + 2), default=0)
        cells[col] = _clean(f"{cells[col]} {m.group(0)}")
    return cells


def _is_pdf_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    if not letters or len(line) > 90:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    if upper > 0.8 and len(letters) > 3:
        return True
    if _is_named_heading(line) and len(line) < 60:
        return True
    m = _SECTION_NO.match(line)
    return bool(m) and not line.rstrip().endswith((".", ";", ",")) and len(line) < 60


def _pdf_blocks(pages: Iterable[tuple[int, str]]) -> Iterator[Block]:
    sections = _Sections()
    buf: list[str] = []
    buf_page = 1
    buf_kind = "text"
    buf_section: str | None = None

    def flush() -> Block | None:
        nonlocal buf
        text = _clean(" ".join(buf))
        buf = []
        if not text:
            return None
        return Block(text, Location(buf_section, buf_page), buf_kind)

    pending_item = False
    for page_no, page_text in pages:
        for raw in page_text.splitlines():
            line = raw.strip()
            if not line:
                continue
            starts_item = _PDF_LIST.match(line)
            opens = (
                _CLAUSE_NO.match(line) is not None
                or starts_item is not None
                or _is_pdf_heading(line)
                or pending_item
            )
            prev_closed = bool(buf) and buf[-1].rstrip().endswith((".", ";", ":"))
            if opens or prev_closed:
                block = flush()
                if block is not None:
                    yield block
                buf_page = page_no
                if starts_item is not None:
                    rest = starts_item.group(1).strip()
                    buf_kind = "item"
                    buf_section = sections.current
                    pending_item = not rest
                    if rest:
                        buf.append(rest)
                    continue
                if pending_item:
                    pending_item = False
                    buf_kind = "item"
                    buf_section = sections.current
                elif _CLAUSE_NO.match(line):
                    buf_kind = "clause"
                    buf_section = sections.see(line)
                elif _is_pdf_heading(line):
                    buf_kind = "heading"
                    buf_section = sections.see(line, heading=True)
                else:
                    buf_kind = "text"
                    buf_section = sections.current
            buf.append(line)
    block = flush()
    if block is not None:
        yield block
