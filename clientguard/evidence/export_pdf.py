"""The PDF format of the evidence export: the HTML export's own content, laid out by reportlab.

Why not WeasyPrint any more: it laid out the whole chronology as one HTML table, super-
linearly: one week of a 50,000-message client (15,272 entries) took 227 s and 3.4 GB, and
the whole client was killed after 300 s at 9.2 GB. Rendering the same table in chunks still
cost ~11 ms per entry (block layout ~3 ms), minutes for a big client on two cores.

Here the HTML export is generated piece by piece (:func:`export.html_parts`), read by
lxml's pull parser, and each top-level block and each table row is drawn on a reportlab
canvas as soon as it is read, then dropped: time is linear in the entries and memory does
not grow with the page (only the finished page streams, compressed, stay). The words are
the HTML's, so the two formats cannot drift apart: a new line in the template shows in
the PDF without touching this module; only the look (the classes the template uses) is
mapped here, in :data:`_CLASS_STYLE` and :data:`_ROW_BACKGROUND`.

The layout follows the page's CSS: A4, the same margins, column widths, colours and marks;
table header rows repeat on every page; a row is not split unless it is taller than a page.
The footer names the client and numbers the pages "N / M" (M is drawn once, at the end,
as a form every page refers to). Fonts: DejaVu Sans and Sans Mono (Cyrillic), embedded;
Debian ``fonts-dejavu-core``.

Emoji and symbols DejaVu lacks: clients write them, and a box would lose what they said.
Each run of text is split by which font has its characters (:func:`_faces`): the run's
own face, else DejaVu Sans, else Symbola (Debian ``fonts-symbola``, monochrome outlines
reportlab can embed, found only on this machine: nothing is downloaded). A character no
font has is written out as its Unicode name, ``⟨person with folded hands⟩``: readable,
and searchable in the text layer; an invisible one (a variation selector, a joiner) is
dropped. reportlab writes a ToUnicode entry for a character beyond U+FFFF as its bare
code point, which readers reject (pypdf warns and extracts nothing): such entries are
written as UTF-16 here (:func:`_to_unicode_cmap`), so emoji copy and search as emoji.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clientguard.errors import ConfigError, msg
from clientguard.reasons import untold

if TYPE_CHECKING:
    from lxml import etree
    from reportlab.pdfgen.canvas import Canvas

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM  # A4
TOP, RIGHT, BOTTOM, LEFT = 16 * MM, 14 * MM, 18 * MM, 14 * MM  # the page's @page margins
WIDTH = PAGE_W - LEFT - RIGHT
LINE = 1.4  # line-height
PAD_Y, PAD_X = 3.0, 4.0  # th, td padding

#: Where DejaVu lives (Debian/Ubuntu, Fedora/Arch, Homebrew).
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/share/fonts/dejavu-sans-mono-fonts"),
    Path("/usr/share/fonts/TTF"),
    Path("/opt/homebrew/share/fonts"),
    Path("/usr/local/share/fonts"),
)
#: Fallback faces for what DejaVu lacks (emoji, symbols), first found wins: Debian/Ubuntu
#: ``fonts-symbola``, Fedora ``gdouros-symbola-fonts``, Arch/others.
EMOJI_FONTS = (
    Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),
    Path("/usr/share/fonts/gdouros-symbola/Symbola.ttf"),
    Path("/usr/share/fonts/TTF/Symbola.ttf"),
    Path("/usr/local/share/fonts/Symbola.ttf"),
)
_FONT_FILES = {
    "sans": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bolditalic": "DejaVuSans-BoldOblique.ttf",
    "mono": "DejaVuSansMono.ttf",
}


@dataclass(frozen=True)
class Style:
    """How a run of text looks (the CSS of the classes around it)."""

    size: float = 9.5
    color: str = "#1d1d1f"
    bold: bool = False
    italic: bool = False
    mono: bool = False
    bg: str | None = None  # a tag's background
    atom: bool = False  # never broken inside, a small gap after (a signal tag)
    face: str = ""  # the font key drawing this run when not the style's own (see _faces)

    @property
    def font(self) -> str:
        if self.face:
            return self.face
        if self.mono:
            return "mono"
        return ("bold" if self.bold else "") + ("italic" if self.italic else "") or "sans"


#: The template's classes as styles: which run of text looks how (``export.html.j2``'s CSS).
_CLASS_STYLE: dict[str, dict[str, Any]] = {
    "tag": {"color": "#7a4100", "bg": "#fde7c8", "size": 8.0, "atom": True},
    "warn": {"color": "#a50e0e", "bold": True},
    "own": {"color": "#174ea6", "italic": True},
    "hash": {"mono": True, "size": 8.0},
    "fwd": {"color": "#7a4100", "size": 8.0, "italic": True},
    "edited": {"color": "#7a4100", "size": 8.0, "italic": True},
    "att": {"color": "#7a4100", "size": 8.0, "italic": True},
    "origin": {"color": "#555555", "size": 8.0},
    "conf": {"color": "#0d652d"},
    "unconf": {"color": "#a50e0e"},
    "note": {"color": "#555555", "italic": True},
    "problems": {"bold": False},
    "ok": {"color": "#0d652d", "bold": True},
    "bad": {"color": "#a50e0e", "bold": True},
    "role-specialist": {"color": "#555555"},
}
#: Row and box backgrounds (and box borders) by class.
_ROW_BACKGROUND = {
    "tampered": "#fce8e6",
    "kind-note": "#f4f8fe",
    "kind-confirmation": "#f4f8fe",
    "kind-moved_out": "#e8f0fe",
    "kind-moved_in": "#e8f0fe",
}
_BOX = {"ok": ("#e6f4ea", "#34a853"), "bad": ("#fce8e6", "#d93025"), "moves": ("#e8f0fe", "#8ab4f8")}
#: Column widths by the header cell's class (fractions of the table), as in the CSS.
_COLUMN = {"c-seq": 0.07, "c-when": 0.15, "c-kind": 0.13, "c-who": 0.15, "c-hash": 0.12, "c-sig": 0.25}
_BLOCKS = frozenset({"div", "p", "li", "ul", "h1", "h2", "table", "tr"})
_TAG_GAP = 5.0
_KEEP_WITH_HEADER = 48.0  # room a table's header row wants below it for the first rows
#: HTML's white space, the only places a line may break: a no-break space (U+00A0, the
#: Russian thousands separator, "1 250 000,50") is part of its word, as in a browser.
#: ``\s`` took it for a space, and amounts broke between their digit groups.
_WHITE = " \t\n\r\f"
_SPACE = re.compile(f"[{_WHITE}]+")
_TOKENS = re.compile(f"[{_WHITE}]+|[^{_WHITE}]+")
#: The smallest a table's font is scaled to so that its longest words fit their columns
#: (9.5 pt → 5.7 pt); only a word too long even then is broken between characters.
_MIN_SCALE = 0.6


@functools.cache
def _fonts() -> dict[str, _Widths]:
    """Register the DejaVu faces (and the emoji fallback, if any) once; font key → its widths.

    The fallback's key is ``"emoji"``; it is absent when no font of :data:`EMOJI_FONTS`
    is installed (or none loads), and characters only it would have are spelled out.
    """
    try:
        from reportlab.pdfbase import pdfmetrics, ttfonts
        from reportlab.pdfbase.ttfonts import TTFError, TTFont
    except ImportError as exc:
        raise ConfigError(msg("settings.pdf_reportlab", error=untold(exc))) from exc
    # Process-wide, for every reportlab document: the replacement differs from reportlab's
    # own CMap only in the entries beyond U+FFFF, which reportlab writes unreadably.
    if ttfonts.makeToUnicodeCMap is not _to_unicode_cmap:
        _to_unicode_cmap.original = ttfonts.makeToUnicodeCMap  # type: ignore[attr-defined]
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    widths: dict[str, _Widths] = {}
    for key, name in _FONT_FILES.items():
        path = next((d / name for d in FONT_DIRS if (d / name).is_file()), None)
        if path is None:
            folders = ", ".join(str(d) for d in FONT_DIRS[:2])
            raise ConfigError(msg("settings.pdf_fonts", name=name, folders=folders))
        font = TTFont(f"CG-{key}", str(path))
        pdfmetrics.registerFont(font)
        widths[key] = _Widths(font.face.charWidths, font.face.defaultWidth)
    for path in EMOJI_FONTS:
        if not path.is_file():
            continue
        try:
            font = TTFont("CG-emoji", str(path))
        except (TTFError, OSError, ValueError):  # not a TrueType-outline font reportlab embeds
            continue
        pdfmetrics.registerFont(font)
        widths["emoji"] = _Widths(font.face.charWidths, font.face.defaultWidth)
        break
    return widths


_BFCHAR = re.compile(r"^(<[0-9A-F]{2}> )<([0-9A-F]{5,6})>$", re.MULTILINE)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap of a font subset, a character beyond U+FFFF as UTF-16.

    reportlab writes ``<1F64F>``, an odd-length code readers reject; the PDF reference
    wants the UTF-16BE surrogate pair, ``<D83DDE4F>``. Everything else is left as written.
    """
    original = _to_unicode_cmap.original  # type: ignore[attr-defined]
    return _BFCHAR.sub(
        lambda m: m[1] + "<" + chr(int(m[2], 16)).encode("utf-16-be").hex().upper() + ">",
        str(original(fontname, subset)),
    )


class _Widths(dict[str, float]):
    """Character → advance width, looked up in the font's table the first time it is met.

    reportlab's own ``stringWidth`` sums in a Python generator (its C accelerator is a
    separate package): a word's width here is ``sum(map(table.__getitem__, word))``.
    """

    def __init__(self, table: dict[int, float], default: float) -> None:
        super().__init__()
        self._table, self._default = table, default
        self.missing = _outside(table)  # finds a character this font has no glyph for

    def __missing__(self, char: str) -> float:
        width = self[char] = self._table.get(ord(char), self._default)
        return width


def _outside(table: dict[int, float]) -> re.Pattern[str]:
    """A regex of one character not among ``table``'s code points (a negated class of its ranges)."""
    ranges: list[str] = []
    codes = sorted(table)
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        ranges.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return re.compile(f"[^{''.join(ranges)}]" if ranges else "[\\s\\S]")


def _invisible(ch: str) -> bool:
    """A character that draws nothing by itself: a format character, a variation selector."""
    selector = "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"
    return selector or unicodedata.category(ch) in ("Cf", "Cc")


def spelled(ch: str) -> str:
    """How the PDF writes a character no embedded font has: its Unicode name (nothing if invisible)."""
    if _invisible(ch):
        return ""
    name = unicodedata.name(ch, "")
    return f"⟨{name.lower() if name else f'U+{ord(ch):04X}'}⟩"


@functools.lru_cache(maxsize=1024)
def _with_face(style: Style, face: str) -> Style:
    return dataclasses.replace(style, face=face)


def _faces(text: str, style: Style) -> list[tuple[str, Style]]:
    """``text`` as runs each drawn by a font that has its characters (usually just ``text``).

    Per character: the style's own face, else DejaVu Sans, else the emoji fallback, else
    the character spelled out (:func:`spelled`) in the style's face.
    """
    fonts = _fonts()
    own = style.font
    if fonts[own].missing.search(text) is None:
        return [(text, style)]
    chain = [k for k in dict.fromkeys((own, "sans", "emoji")) if k in fonts]
    out: list[tuple[str, Style]] = []
    for ch in text:
        face = next((k for k in chain if ord(ch) in fonts[k]._table), None)
        piece, key = (ch, face) if face is not None else (spelled(ch), own)
        if not piece:
            continue
        if out and out[-1][1].font == key:
            out[-1] = (out[-1][0] + piece, out[-1][1])
        else:
            out.append((piece, style if key == own else _with_face(style, key)))
    return out


def _width(text: str, style: Style) -> float:
    return sum(map(_fonts()[style.font].__getitem__, text)) * style.size / 1000


# ---------------------------------------------------------------------------- text in cells


@dataclass
class _Para:
    """One block of a cell: runs of text, wrapped together; ``indent`` for list items."""

    runs: list[tuple[str, Style]] = field(default_factory=list)
    indent: float = 0.0


@dataclass
class _Cell:
    """A table cell's (or a block's) text as paragraphs, whitespace collapsed as HTML does."""

    paras: list[_Para] = field(default_factory=list)

    def block(self, indent: float = 0.0) -> None:
        if not self.paras or self.paras[-1].runs or self.paras[-1].indent != indent:
            self.paras.append(_Para(indent=indent))

    def add(self, text: str, style: Style, pre: bool) -> None:
        if not text:
            return
        if not self.paras:
            self.paras.append(_Para())
        if not pre:
            runs = self.paras[-1].runs
            text = _SPACE.sub(" ", text)
            if text.startswith(" ") and (not runs or runs[-1][0].endswith(" ")):
                text = text[1:]  # a block's leading space, or a second one in a row
            if text:
                runs.extend(_faces(text, style))
            return
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if i:
                self.paras.append(_Para(indent=self.paras[-1].indent))
                self.paras[-1].runs.append(("", style))  # an empty line keeps its height
            if line:
                self.paras[-1].runs.extend(_faces(line.replace("\t", "    "), style))


def _styled(el: etree._Element, style: Style) -> Style:
    return _restyled(style, el.get("class") or "", el.tag in ("th", "b", "strong"))


@functools.lru_cache(maxsize=1024)
def _restyled(style: Style, classes: str, bold: bool) -> Style:
    """``style`` under an element's classes (a few dozen combinations, met thousands of times)."""
    for cls in classes.split():
        mods = _CLASS_STYLE.get(cls)
        if mods:
            style = dataclasses.replace(style, **mods)
    return dataclasses.replace(style, bold=True) if bold else style


def _walk(el: etree._Element, style: Style, cell: _Cell, pre: bool = False, indent: float = 0.0) -> None:
    """Collect ``el``'s text into ``cell``: blocks start a paragraph, classes set the style."""
    style = _styled(el, style)
    pre = pre or "txt" in (el.get("class") or "").split()
    if el.tag == "li":
        cell.block(indent + 14)
        cell.add("• ", style, False)
        indent += 14
    elif el.tag in _BLOCKS:
        cell.block(indent)
    cell.add(el.text or "", style, pre)
    for child in el:
        if not isinstance(child.tag, str):  # a comment
            cell.add(child.tail or "", style, pre)
            continue
        _walk(child, style, cell, pre, indent)
        if child.tag in _BLOCKS:
            cell.block(indent)
        cell.add(child.tail or "", style, pre)


# ---------------------------------------------------------------------------- wrapping

#: A line: its height, its baseline below the line's top, and (x, text, style) fragments.
_Line = tuple[float, float, list[tuple[float, str, Style]]]


def _words(para: _Para) -> Iterator[tuple[bool, list[tuple[str, Style]]]]:
    """(is_space, pieces) tokens: a word glued across runs stays one token; a tag is its own."""
    word: list[tuple[str, Style]] = []
    for text, style in para.runs:
        if style.atom:
            if word:
                yield False, word
                word = []
            yield False, [(text.strip(), style)]
            continue
        if not text:
            word.append(("", style))
            continue
        for token in _TOKENS.findall(text):
            if token[0] in _WHITE:
                if word:
                    yield False, word
                    word = []
                yield True, [(token, style)]
            else:
                word.append((token, style))
    if word:
        yield False, word


class _Lines:
    """Lines of one paragraph being filled: fragments placed left to right, then flushed."""

    def __init__(self, out: list[_Line], left: float, size: float) -> None:
        self.out, self.left, self.size = out, left, size
        self.frags: list[tuple[float, str, Style]] = []
        self.x = left

    def put(self, text: str, style: Style, w: float) -> None:
        last = self.frags[-1] if self.frags else None
        if last and last[2] is style and not style.atom:  # one drawing call per run of one style
            self.frags[-1] = (last[0], last[1] + text, style)
        else:
            self.frags.append((self.x, text, style))
        self.x += w

    def flush(self) -> None:
        frags = self.frags
        if frags and frags[-1][1].endswith(" "):  # a line's trailing space
            frags[-1] = (frags[-1][0], frags[-1][1].rstrip(" "), frags[-1][2])
        size = max((s.size for _, _, s in frags), default=self.size)
        self.out.append((size * LINE, size * (LINE - 1) / 2 + size * 0.76, frags))
        self.frags, self.x = [], self.left


def _wrap(cell: _Cell, width: float) -> list[_Line]:
    """Greedy line breaking; a word longer than the column breaks anywhere (overflow-wrap: anywhere)."""
    out: list[_Line] = []
    for para in cell.paras:
        if not para.runs:
            continue
        left = para.indent
        line = _Lines(out, left, max(s.size for _, s in para.runs))
        for space, pieces in _words(para):
            if space:
                text, style = pieces[0]
                if line.x > left:  # spaces at a line's start are dropped, as in HTML
                    w = _width(text, style)
                    if line.x + w <= width:
                        line.put(text, style, w)
                    else:
                        line.flush()
                continue
            widths = [_width(t, s) + (_TAG_GAP if s.atom else 0) for t, s in pieces]
            total = sum(widths)
            if line.x + total > width and line.x > left:
                line.flush()
            if line.x + total <= width or pieces[0][1].atom:
                for (t, s), w in zip(pieces, widths, strict=True):
                    line.put(t, s, w)
                continue
            for t, s in pieces:  # longer than the column: break between characters
                for ch in t:
                    w = _width(ch, s)
                    if line.x + w > width and line.x > left:
                        line.flush()
                    line.put(ch, s, w)
        line.flush()
    return out


def _height(lines: list[_Line]) -> float:
    return sum(h for h, _, _ in lines)


# ---------------------------------------------------------------------------- pages


class _Writer:
    """A reportlab canvas and a cursor: rows and blocks are drawn top-down, pages added as needed."""

    def __init__(self, out: io.BytesIO) -> None:
        from reportlab.pdfgen.canvas import Canvas

        _fonts()
        self.canvas: Canvas = Canvas(out, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
        self.canvas.setCreator("clientguard")
        self.page = 0
        self.y = 0.0
        self.footer = ""
        # The current table's header row (widths, cells, background, horizontal padding), repeated.
        self.header: tuple[list[float], list[list[_Line]], str | None, float] | None = None
        self._colors: dict[str, str] = {}
        from reportlab.pdfbase import pdfmetrics

        self._ttf = {key: pdfmetrics.getFont(f"CG-{key}") for key in _fonts()}
        # A short string's text operators, once drawn: its glyphs keep their subset codes.
        self._done: dict[tuple[str, float, str], str] = {}
        self._new_page()

    def _new_page(self) -> None:
        if self.page:
            self._finish_page()
        self.page += 1
        self.y = PAGE_H - TOP

    def _finish_page(self) -> None:
        c = self.canvas
        style = Style(size=8.0, color="#666666")
        c.setFont(f"CG-{style.font}", style.size)
        c.setFillColor(_hex(style.color))
        base = BOTTOM / 2 - 3
        # One text object, its runs in their fonts (a client's name may hold an emoji); T*
        # ends it as drawString does, so readers see the footer as a line of its own.
        shown = " ".join(self._shown(text, face) for text, face in _faces(self.footer, style))
        c._code.append(f"{self.rgb(style.color)} rg BT 1 0 0 1 {LEFT:.2f} {base:.2f} Tm {shown} T* ET")
        number = f"{self.page} / "
        right = PAGE_W - RIGHT - 30
        c.drawString(right - _width(number, style), base, number)
        c.saveState()
        c.translate(right, base)
        c.doForm("pages")
        c.restoreState()
        c.showPage()

    def break_page(self, repeat_header: bool = True) -> None:
        self._new_page()
        if repeat_header and self.header is not None:
            widths, cells, bg, px = self.header
            self.row(widths, cells, bg, header=True, pad=(PAD_Y, px))

    def space(self, points: float) -> None:
        self.y -= points

    def room(self) -> float:
        return self.y - BOTTOM

    def row(
        self,
        widths: list[float],
        cells: list[list[_Line]],
        bg: str | None = None,
        *,
        header: bool = False,
        pad: tuple[float, float] = (PAD_Y, PAD_X),
        rule: tuple[float, str] | None = (0.5, "#cccccc"),
        box: str | None = None,
    ) -> None:
        """Draw one row of cells (lines already wrapped to their widths), across pages if it must."""
        py, px = pad
        need = max((_height(c) for c in cells), default=0.0) + 2 * py
        body = PAGE_H - TOP - BOTTOM
        if header:
            need += _KEEP_WITH_HEADER  # a header row is not left alone at a page's foot
        if need > self.room() and (need <= body or self.room() < body / 4):
            self.break_page(not header)
        cells = [list(c) for c in cells]
        while True:
            room = self.room() - 2 * py
            part: list[list[_Line]] = []
            for lines in cells:
                taken, used = 0, 0.0
                while taken < len(lines) and used + lines[taken][0] <= room:
                    used += lines[taken][0]
                    taken += 1
                if taken == 0 and lines and self.room() >= body - 1:
                    taken = 1  # a single line taller than a page: draw it anyway
                part.append(lines[:taken])
                del lines[:taken]
            self._draw(widths, part, bg, py, px, rule, box)
            if not any(cells):
                return
            self.break_page(not header)

    def _draw(
        self,
        widths: list[float],
        cells: list[list[_Line]],
        bg: str | None,
        py: float,
        px: float,
        rule: tuple[float, str] | None,
        box: str | None,
    ) -> None:
        """Append the row's operators to the page's content stream.

        Written as PDF operators, not through ``Canvas.drawString``/``rect``/``line``:
        those build a text object and format every number in Python per call, half the
        time of a big export. Text goes through the TrueType font's own subsetting
        (``splitString``, ``getSubsetInternalName``), as reportlab's text object does.
        """
        code = self.canvas._code
        height = max((_height(lines) for lines in cells), default=0.0) + 2 * py
        top, total = self.y, sum(widths)
        if bg or box:
            paint = (self.rgb(bg) + " rg " if bg else "") + (self.rgb(box) + " RG 1 w " if box else "")
            op = "B" if bg and box else "f" if bg else "S"
            code.append(f"{paint}{LEFT:.2f} {top - height:.2f} {total:.2f} {height:.2f} re {op}")
        x = LEFT
        for width, lines in zip(widths, cells, strict=True):
            y = top - py
            for h, base, frags in lines:
                for fx, text, style in frags:
                    if not text:
                        continue
                    if style.bg:
                        w = _width(text, style)
                        box_at = f"{x + px + fx - 1:.2f} {y - h + 1:.2f} {w + 2:.2f} {h - 1:.2f}"
                        code.append(f"{self.rgb(style.bg)} rg {box_at} re f")
                    shown = self._text(x + px + fx, y - base, text, style)
                    code.append(f"{self.rgb(style.color)} rg {shown}")
                y -= h
            x += width
        if rule:
            left, right, at = LEFT, LEFT + total, top - height
            stroke = f"{self.rgb(rule[1])} RG {rule[0]:.2f} w"
            code.append(f"{stroke} {left:.2f} {at:.2f} m {right:.2f} {at:.2f} l S")
        self.y = top - height

    def rgb(self, value: str) -> str:
        """A colour as PDF operands ("0.114 0.114 0.122")."""
        if value not in self._colors:
            self._colors[value] = " ".join(f"{int(value[i : i + 2], 16) / 255:.3f}" for i in (1, 3, 5))
        return str(self._colors[value])

    def _text(self, x: float, y: float, text: str, style: Style) -> str:
        return f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm {self._shown(text, style)} ET"

    def _shown(self, text: str, style: Style) -> str:
        """The text operators of ``text`` in ``style``'s font (its subsets' names and codes)."""
        key = (style.font, style.size, text)
        shown = self._done.get(key)
        if shown is None:
            font, doc, escape = self._ttf[style.font], self.canvas._doc, self.canvas._escape
            shown = " ".join(
                f"{font.getSubsetInternalName(subset, doc)} {style.size:.1f} Tf ({escape(part)}) Tj"
                for subset, part in font.splitString(text, doc)
            )
            if len(text) < 40:  # names, dates, kinds, tags, hashes: the same few thousand strings
                if len(self._done) > 50_000:
                    self._done.clear()
                self._done[key] = shown
        return shown

    def finish(self, title: str) -> None:
        c = self.canvas
        self._finish_page()
        c.beginForm("pages")
        style = Style(size=8.0, color="#666666")
        c.setFont(f"CG-{style.font}", style.size)
        c.setFillColor(_hex(style.color))
        c.drawString(0, 0, str(self.page))
        c.endForm()
        c.setTitle(title)
        c.save()


def _hex(value: str) -> Any:
    from reportlab.lib.colors import HexColor

    return HexColor(value)


# ---------------------------------------------------------------------------- the document


def _classes(el: etree._Element) -> list[str]:
    return (el.get("class") or "").split()


def _lines(el: etree._Element, style: Style, width: float) -> list[_Line]:
    cell = _Cell()
    _walk(el, style, cell)
    return _wrap(cell, width)


class _Document:
    """Turns the HTML export's elements, as the pull parser closes them, into drawn rows."""

    def __init__(self, writer: _Writer) -> None:
        self.w = writer
        self.title = ""
        self.table: etree._Element | None = None
        self.widths: list[float] = []
        self.held: list[etree._Element] = []  # rows of a table laid out at its end (meta, auto)
        self.auto = False  # the table's columns are sized by their content (no width classes)

    def end(self, el: etree._Element) -> None:
        tag, parent = el.tag, el.getparent()
        if tag == "title":
            self.title = el.text or ""
        elif tag == "style":
            found = re.search(r'@bottom-left \{ content: "([^"]*)"', el.text or "")
            self.w.footer = found[1] if found else self.title
        elif tag == "tr" and self.table is not None:
            if self._tr(el):
                _drop(el)
        elif tag == "table" and self.table is el:
            self._end_table()
            _drop(el)
        elif parent is not None and parent.tag == "body":
            self._block(el)
            _drop(el)

    def start(self, el: etree._Element) -> None:
        if el.tag == "table" and el.getparent() is not None and el.getparent().tag == "body":
            self.table, self.widths, self.held, self.auto = el, [], [], False
            self.w.header = None

    def _block(self, el: etree._Element) -> None:
        w, base, cls = self.w, Style(), _classes(el)
        if el.tag == "h1":
            w.row([WIDTH], [_lines(el, Style(size=17.0, bold=True), WIDTH)], pad=(0, 0), rule=None)
            w.space(4)
        elif el.tag == "h2":
            lines = _lines(el, Style(size=12.5, bold=True), WIDTH)
            if w.room() < 16 + _height(lines) + 24 + _KEEP_WITH_HEADER + 40:  # page-break-after: avoid
                w.break_page(False)
            else:
                w.space(16)
            w.row([WIDTH], [lines], pad=(0, 0), rule=(1.5, "#1d1d1f"))
            w.space(6)
        elif el.tag == "div" and ({"ok", "bad", "moves"} & set(cls)):
            bg, border = _BOX[next(c for c in ("ok", "bad", "moves") if c in cls)]
            w.space(8)
            w.row([WIDTH], [_lines(el, base, WIDTH - 20)], bg, pad=(7, 10), rule=None, box=border)
            w.space(8)
        else:
            w.space(4)
            w.row([WIDTH], [_lines(el, base, WIDTH)], pad=(0, 0), rule=None)
            w.space(6)

    def _tr(self, tr: etree._Element) -> bool:
        """Draw a row; False when it is held for the table's end (the meta table)."""
        assert self.table is not None
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if "meta" in _classes(self.table):
            self.held.append(tr)
            return False
        if not self.widths:
            self.widths = _column_widths(cells)
            self.auto = len(cells) > 1 and not any(_COLUMN.keys() & set(_classes(c)) for c in cells)
        if self.auto:
            self.held.append(tr)
            return False
        header, base, bg = _row_style(tr, cells)
        lines = [_lines(c, base, w - 2 * PAD_X) for c, w in zip(cells, self.widths, strict=False)]
        self.w.row(self.widths[: len(lines)], lines, bg, header=header)
        if header:
            self.w.header = (self.widths[: len(lines)], lines, bg, PAD_X)
        return True

    def _end_table(self) -> None:
        if self.auto:
            self._auto_table()
        elif self.held:  # key / value, the key column as wide as its longest key
            keys = [[c for c in tr if c.tag == "td"] for tr in self.held]
            style = Style(color="#444444")
            key_w = max((_width(" ".join((k[0].text or "").split()), style) for k in keys if k), default=0)
            widths = [key_w + 10 + 1, WIDTH - key_w - 11]
            for cells in keys:
                lines = [_lines(c, style, w - 10) for c, w in zip(cells, widths, strict=False)]
                self.w.row(widths[: len(lines)], lines, pad=(1, 0), rule=None)
            self.w.space(8)
        self.table, self.held, self.auto = None, [], False
        self.w.header = None

    def _auto_table(self) -> None:
        """Draw a table whose columns the CSS leaves to the browser (the invoices), sized by content.

        With equal shares, twelve invoice columns were 43 pt each: "2025-11-05" printed as
        "2025-11-0 / 5" and "outstanding" as "outstandi / ng". As a browser's automatic table
        layout does, each column gets at least its longest word (min-content) and, room
        allowing, its longest line (max-content); lines wrap at spaces only. When even the
        longest words do not fit side by side, the cells' side padding is halved and the
        whole table's font scaled down (one size for the table, not for a stray cell) until
        they do, down to :data:`_MIN_SCALE`.
        """
        rows = []
        for tr in self.held:
            tds = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            header, base, bg = _row_style(tr, tds)
            cells = []
            for td in tds:
                cell = _Cell()
                _walk(td, base, cell)
                cells.append(cell)
            rows.append((header, bg, cells))
        columns = max(len(cells) for _, _, cells in rows)
        px = PAD_X
        low, _high = _content_widths(rows, columns)
        if sum(low) + 2 * px * columns > WIDTH:
            px = PAD_X / 2
            scale = max(_MIN_SCALE, (WIDTH - 2 * px * columns) / sum(low))
            if scale < 1:
                rows = [(header, bg, [_scaled(cell, scale) for cell in cells]) for header, bg, cells in rows]
        widths = _auto_widths(*_content_widths(rows, columns), px)
        for header, bg, cells in rows:
            lines = [_wrap(cell, w - 2 * px) for cell, w in zip(cells, widths, strict=False)]
            self.w.row(widths[: len(lines)], lines, bg, header=header, pad=(PAD_Y, px))
            if header:
                self.w.header = (widths[: len(lines)], lines, bg, px)


def _row_style(tr: etree._Element, cells: list[etree._Element]) -> tuple[bool, Style, str | None]:
    """Whether a row is a header row, its cells' base style and its background."""
    header = all(c.tag == "th" for c in cells)
    row_cls = _classes(tr)
    base = Style(size=8.5, bold=True) if header else Style()
    for cls in row_cls:
        base = dataclasses.replace(base, **_CLASS_STYLE.get(cls, {}))
    shade = (_ROW_BACKGROUND[c] for c in row_cls if c in _ROW_BACKGROUND)
    return header, base, "#f1f3f4" if header else next(shade, None)


def _content_widths(
    rows: list[tuple[bool, str | None, list[_Cell]]], columns: int
) -> tuple[list[float], list[float]]:
    """Per column, the widest unbreakable word (min-content) and the widest unwrapped line (max-content)."""
    low, high = [0.0] * columns, [0.0] * columns
    for _, _, cells in rows:
        for i, cell in enumerate(cells):
            for para in cell.paras:
                x = para.indent
                for space, pieces in _words(para):
                    w = sum(_width(t, s) + (_TAG_GAP if s.atom else 0) for t, s in pieces)
                    if not space:
                        low[i] = max(low[i], para.indent + w)
                    x += w
                high[i] = max(high[i], x)
    return low, high


def _auto_widths(low: list[float], high: list[float], px: float) -> list[float]:
    """Column widths from content widths, filling the page as a browser's auto table layout does.

    Every column gets its min-content; what is left goes first to the columns that wrap,
    in proportion to what they lack of their max-content, then to all in proportion to it.
    When the min-contents alone overflow, the columns share the page in their proportion.
    """
    slack = 0.05  # a word exactly as wide as its column must still fit after float sums
    low = [w + 2 * px + slack for w in low]
    high = [max(h + 2 * px + slack, lo) for h, lo in zip(high, low, strict=True)]
    if sum(low) >= WIDTH:
        return [WIDTH * w / sum(low) for w in low]
    if sum(high) <= WIDTH:
        return [WIDTH * w / sum(high) for w in high]
    lack = [h - lo for h, lo in zip(high, low, strict=True)]
    room = WIDTH - sum(low)
    return [lo + room * d / sum(lack) for lo, d in zip(low, lack, strict=True)]


def _scaled(cell: _Cell, scale: float) -> _Cell:
    """``cell`` with every run's font scaled by ``scale`` (rounded down to the 0.1 pt the PDF writes)."""
    return _Cell(
        [_Para([(t, _resized(s, scale)) for t, s in para.runs], para.indent * scale) for para in cell.paras]
    )


@functools.lru_cache(maxsize=256)
def _resized(style: Style, scale: float) -> Style:
    return dataclasses.replace(style, size=int(style.size * scale * 10) / 10)


def _column_widths(cells: list[etree._Element]) -> list[float]:
    """Fractions by the header cells' classes; the other columns share what is left."""
    fixed = [next((_COLUMN[c] for c in _classes(cell) if c in _COLUMN), None) for cell in cells]
    free = sum(1 for f in fixed if f is None)
    rest = max(0.0, 1 - sum(f for f in fixed if f is not None)) / max(free, 1)
    return [WIDTH * (f if f is not None else rest) for f in fixed]


def _drop(el: etree._Element) -> None:
    """Free a drawn element and the finished siblings before it (the parser keeps the tree)."""
    el.clear()
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def html_to_pdf(html: Iterable[str]) -> bytes:
    """Lay out the HTML export (its pieces as generated) as a PDF.

    Streams are Flate-compressed only: reportlab's default also wraps them in ASCII85,
    encoded in pure Python, a quarter of the time of a big export for a file 25% larger.
    """
    from lxml import etree
    from reportlab import rl_config

    out = io.BytesIO()
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc = _Document(_Writer(out))
        parser = etree.HTMLPullParser(events=("start", "end"))
        for piece in html:
            parser.feed(piece)
            _events(doc, parser)
        parser.close()
        _events(doc, parser)
        doc.w.finish(doc.title)
    finally:
        rl_config.useA85 = a85
    return out.getvalue()


def _events(doc: _Document, parser: Any) -> None:
    for event, el in parser.read_events():
        (doc.start if event == "start" else doc.end)(el)
