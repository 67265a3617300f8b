"""Which words of a message the statistical layer weighed most, for people to read.

Why apart from the analysis: the model's evidence is the whole message (it reads all of
it), and pointing every label at its top words on the analysis path cost 12-20% of the
full analysis's throughput. Where a person looks (``check --explain``, the HTML report,
the web client page) a few messages are shown, so the words are found there, on demand.
"""

from __future__ import annotations

from collections.abc import Iterable

from clientguard.nlp.normalize import normalize
from clientguard.nlp.rules import STOP_WORDS
from clientguard.nlp.statmodel import MODEL_VERSION, load_model
from clientguard.nlp.tokens import token_columns

STAT_RULE = f"model.{MODEL_VERSION}"  # the statistical layer's rule id in hits and evidence


def model_word_spans(text: str, lang: str, signals: Iterable[str]) -> dict[str, list[tuple[int, int, str]]]:
    """Per signal, (start, end, feature) in ``text`` of the lemma 1-2-grams that pushed it
    up most in the statistical layer (up to two; function words left out); a signal is
    missing when the model is absent or only char n-grams decided. The message is
    normalised and tokenised once for all ``signals``."""
    stat = load_model()
    wanted = [s for s in signals if stat is not None and s in stat.signals]
    if stat is None or not wanted or not text.strip():
        return {}
    _, lemmas, ostarts, oends = token_columns(normalize(text), lang)
    out: dict[str, list[tuple[int, int, str]]] = {}
    for s in wanted:
        words = stat.top_words(lemmas, s, skip=STOP_WORDS)
        if words:
            out[s] = [(ostarts[i], oends[j], f) for i, j, f in words]
    return out


def is_whole_message_model_span(rule: str, start: int, end: int, text: str) -> bool:
    """A model's evidence as the analysis stores it (statistical layer, toxicity model):
    the whole message, which says less than any rule's span."""
    return rule.startswith("model.") and start == 0 and end == len(text)
