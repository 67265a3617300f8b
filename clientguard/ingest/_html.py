"""HTML → plain text for message bodies (Telegram HTML export, HTML-only e-mail).

Why not ``text_content()`` alone: it glues ``<br>``/block boundaries into one line and
drops link targets, and both matter for analysis (line structure, "see the brief at …").
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lhtml

_BLOCKS = {"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table",
           "ul", "ol", "hr"}
_DROP = ("script", "style", "head", "title", "noscript")
_BLANKS = re.compile(r"\n[ \t\u00a0]*(?=\n)")
_MANY_NL = re.compile(r"\n{3,}")
#: What lxml refuses in a text it is given (a tail or text set here), though its HTML parser
#: reads it from a file: NUL and the C0 controls other than tab and newline.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(text: str | None) -> str:
    """``text`` without the characters lxml refuses to set ("All strings must be XML
    compatible"): a mail whose HTML body held one was skipped as unreadable."""
    return _NOT_XML.sub("", text or "")


def element_text(el: lhtml.HtmlElement, keep_links: bool = True, quote_marks: bool = False) -> str:
    """Visible text of ``el``: ``<br>`` and blocks become newlines, links ``label (href)``.

    ``quote_marks``: each line inside a ``<blockquote>`` starts with ``> `` (nested ones
    with ``> > ``), as a plain-text mail quotes; an HTML-only mail's quoted history is
    then cut like a plain one's (``quotes.py``).
    """
    el = _copy(el)
    for bad in el.iter(*_DROP):
        bad.drop_tree()
    if quote_marks:
        outermost = [q for q in el.iter("blockquote") if q is not el and not any(
            a.tag == "blockquote" and a is not el for a in q.iterancestors())]
        for bq in outermost:
            inner = element_text(bq, keep_links, quote_marks=True)
            quoted = "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
            for child in list(bq):
                bq.remove(child)
            bq.text = "\n" + _xml_safe(quoted) + "\n"
    for br in el.iter("br"):
        br.tail = "\n" + _xml_safe(br.tail)
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        label = a.text_content().strip()
        if keep_links and href and not href.startswith(("#", "javascript:")) and href not in label \
                and href.removeprefix("mailto:") not in label:
            a.tail = _xml_safe(f" ({href})" + (a.tail or ""))
    for block in el.iter(*_BLOCKS):
        block.tail = "\n" + _xml_safe(block.tail)
    text = el.text_content()
    return tidy(text)


def tidy(text: str) -> str:
    """Strip each line's indentation noise and collapse runs of blank lines."""
    lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
    out = "\n".join(lines).strip()
    out = _BLANKS.sub("\n", out)
    return _MANY_NL.sub("\n\n", out)


def html_to_text(markup: str, quote_marks: bool = False) -> str:
    """Plain text of an HTML document or fragment; empty string for empty/garbage input.

    ``quote_marks``: blockquotes as ``> `` lines (see :func:`element_text`; mail bodies).
    """
    if not markup.strip():
        return ""
    try:
        doc = lhtml.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return tidy(re.sub(r"<[^>]+>", " ", markup))
    body = doc.find("body")
    return element_text(body if body is not None else doc, quote_marks=quote_marks)


def _copy(el: lhtml.HtmlElement) -> lhtml.HtmlElement:
    """A detached deep copy, so that editing tails never changes the caller's tree."""
    return lhtml.fromstring(lhtml.tostring(el, encoding="unicode"))
