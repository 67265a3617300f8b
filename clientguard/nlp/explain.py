"""Which words of a message the statistical layer weighed most, for people to read.

Why apart from the analysis: the model's evidence is the whole message (it reads all of
it), and pointing every label at its top words on the analysis path cost 12-20% of the
full analysis's throughput. Where a person looks (``check --explain``, the HTML report,
the web client page) a few messages are shown, so the words are found there, on demand.
"""

from __future__ import annotations

from clientguard.nlp.normalize import normalize
from clientguard.nlp.rules import STOP_WORDS
from clientguard.nlp.statmodel import load_model
from clientguard.nlp.tokens import token_columns

MODEL_RULE_PREFIX = "model.signals_lr"


def model_word_spans(text: str, lang: str, signal: str) -> list[tuple[int, int, str]]:
    """(start, end, feature) in ``text`` of the lemma 1-2-grams that pushed ``signal`` up
    most in the statistical layer (up to two; function words left out); [] when the model
    is absent or only char n-grams decided."""
    stat = load_model()
    if stat is None or signal not in stat.signals or not text.strip():
        return []
    _, lemmas, ostarts, oends = token_columns(normalize(text), lang)
    return [(ostarts[i], oends[j], f) for i, j, f in stat.top_words(lemmas, signal, skip=STOP_WORDS)]


def is_whole_message_model_span(rule: str, start: int, end: int, text: str) -> bool:
    """A model's evidence as the analysis stores it (statistical layer, toxicity model):
    the whole message, which says less than any rule's span."""
    return rule.startswith("model.") and start == 0 and end == len(text)
