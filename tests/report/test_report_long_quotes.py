"""A huge single client message, quoted in the report and on the dashboard.

QA3 F14: one pasted 330,000-character message with a few marked phrases was quoted whole:
the HTML report of a two-message chat weighed half a megabyte and the client page was
64,000 px tall. A long message is now quoted around its marks (at most a few windows,
with some text around each), and a short one stays whole.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from clientguard.analysis.model import AnalyzedMessage
from clientguard.domain import Evidence, Role
from clientguard.report.html import MAX_QUOTE_CHARS, highlight


def _msg(text: str, spans: list[tuple[int, int]]) -> AnalyzedMessage:
    evidence = {"nitpicking": tuple(Evidence(s, e, "rule") for s, e in spans)}
    return AnalyzedMessage(id="1", sender_key="u", sender_name="Галина", role=Role.CLIENT,
                           timestamp=datetime(2026, 3, 27, tzinfo=UTC), text=text,
                           labels=("nitpicking",), evidence=evidence)  # fmt: skip


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_a_huge_message_is_quoted_around_its_marks() -> None:
    unit = "Нужно переделать заголовок, поменять цвета, шрифт и картинку. "
    text = "Вот мои замечания. " + unit * 5000
    first = text.index("поменять цвета")
    word = len("поменять цвета")
    spans = [(first + i * len(unit), first + i * len(unit) + word) for i in range(0, 5000, 500)]
    html = str(highlight(text, _msg(text, spans)))
    assert len(html) < 6_000, len(html)
    assert html.count("<mark") == 6 and '<mark title="мелочные придирки — ' in html
    assert html.count('">поменять цвета</mark>') == 6
    assert html.endswith(" …") and " … " in html


def test_a_whole_message_mark_is_cut_short() -> None:
    text = "ужас " * 20_000
    html = str(highlight(text, _msg(text, [(0, len(text))])))
    assert len(_plain(html)) <= MAX_QUOTE_CHARS + 200 and html.count("<mark") == 1


def test_short_messages_stay_whole() -> None:
    text = "Опять не то. Переделайте ещё раз, мне не нравится"
    start = text.index("Переделайте")
    html = str(highlight(text, _msg(text, [(start, start + len("Переделайте"))])))
    assert _plain(html) == text and html.count("<mark") == 1
    edge = "я" * MAX_QUOTE_CHARS
    assert _plain(str(highlight(edge, _msg(edge, [(0, 3)])))) == edge
