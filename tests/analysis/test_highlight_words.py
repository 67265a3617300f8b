"""The report's and the web page's highlight: precise spans win over whole-message ones.

The statistical layer (and the toxicity model) keep the whole message as their evidence.
Marking it hid every rule span of the message; now it gives way to them, and where it is
a label's only evidence the words the model weighed most are marked instead.
"""

from __future__ import annotations

from datetime import datetime

from clientguard.analysis.model import AnalyzedMessage
from clientguard.domain import Evidence, Role
from clientguard.nlp.explain import model_word_spans
from clientguard.report.html import highlight

TEXT = "Оплатим на следующей неделе, а сайт сделайте заодно бесплатно"
WHOLE = Evidence(0, len(TEXT), "model.signals_lr.v1")


def _msg(evidence: dict[str, tuple[Evidence, ...]]) -> AnalyzedMessage:
    return AnalyzedMessage("1", "c", "Client", Role.CLIENT, datetime(2025, 9, 1, 12), TEXT,
                           labels=tuple(evidence), evidence=evidence)


def test_rule_spans_are_not_hidden_by_the_model_span() -> None:
    rule = Evidence(45, 51, "ru.scope_creep.while_at_it")
    html = str(highlight(TEXT, _msg({"scope_creep": (WHOLE, rule)})))
    assert '<mark title="scope_creep">заодно</mark>' in html
    assert html.count("<mark") == 1  # not the whole message


def test_model_only_label_marks_the_words_it_weighed_most() -> None:
    html = str(highlight(TEXT, _msg({"scope_creep": (WHOLE,)})))
    words = [TEXT[b:e] for b, e, _ in model_word_spans(TEXT, "ru", ["scope_creep"])["scope_creep"]]
    assert words == ["заодно", "бесплатно"]
    for w in words:
        assert f'<mark title="scope_creep">{w}</mark>' in html


def test_toxicity_only_label_keeps_the_whole_message() -> None:
    tox = Evidence(0, len(TEXT), "model.toxicity.insult")
    html = str(highlight(TEXT, _msg({"insult": (tox,)})))
    assert html.startswith('<mark title="insult">') and html.count("<mark") == 1
