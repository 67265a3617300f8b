"""The report's and the web page's highlight: precise spans win over whole-message ones.

The statistical layer (and the toxicity model) keep the whole message as their evidence.
Marking it hid every rule span of the message; now it gives way to them, and where it is
a label's only evidence the words the model weighed most are marked instead.
"""

from __future__ import annotations

import re
from datetime import datetime

from clientguard.analysis.model import AnalyzedMessage
from clientguard.domain import Evidence, Role
from clientguard.nlp.explain import model_word_spans
from clientguard.report.html import highlight

TEXT = "Оплатим на следующей неделе, а сайт сделайте заодно бесплатно"
WHOLE = Evidence(0, len(TEXT), "model.signals_lr.v1")


def _marked(html: str, title_start: str, word: str) -> bool:
    """``word`` is marked with a tooltip that starts with ``title_start`` (the signal's name;
    its why follows, tests/report/test_why.py)."""
    pattern = f'<mark title="{re.escape(title_start)}[^"]*">{re.escape(word)}</mark>'
    return re.search(pattern, html) is not None


def _msg(evidence: dict[str, tuple[Evidence, ...]]) -> AnalyzedMessage:
    return AnalyzedMessage("1", "c", "Client", Role.CLIENT, datetime(2025, 9, 1, 12), TEXT,
                           labels=tuple(evidence), evidence=evidence)


def test_rule_spans_are_not_hidden_by_the_model_span() -> None:
    rule = Evidence(45, 51, "ru.scope_creep.while_at_it")
    html = str(highlight(TEXT, _msg({"scope_creep": (WHOLE, rule)}), lang="en"))
    assert _marked(html, "scope creep — ", "заодно")
    assert html.count("<mark") == 1  # not the whole message


def test_model_only_label_marks_the_words_it_weighed_most() -> None:
    html = str(highlight(TEXT, _msg({"scope_creep": (WHOLE,)}), lang="en"))
    words = [TEXT[b:e] for b, e, _ in model_word_spans(TEXT, "ru", ["scope_creep"])["scope_creep"]]
    assert words == ["заодно", "бесплатно"]
    for w in words:
        assert _marked(html, "scope creep — the statistical model", w)


def test_toxicity_only_label_keeps_the_whole_message() -> None:
    tox = Evidence(0, len(TEXT), "model.toxicity.insult")
    html = str(highlight(TEXT, _msg({"insult": (tox,)}), lang="en"))
    assert html.startswith('<mark title="insult — the toxicity model') and html.count("<mark") == 1
