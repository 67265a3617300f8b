"""``SignalModel.top_words``: the lemma 1-2-grams ``check --explain`` names for the model."""

from __future__ import annotations

from clientguard.nlp.api import message_view
from clientguard.nlp.rules import STOP_WORDS
from clientguard.nlp.statmodel import load_model


def test_top_words_rank_by_share_and_skip_function_words() -> None:
    stat = load_model()
    assert stat is not None
    lemmas, _ = message_view("Оплатим на следующей неделе, а сайт сделайте заодно бесплатно", "ru")
    got = stat.top_words(lemmas, "scope_creep", skip=STOP_WORDS)
    assert [f for _, _, f in got] == ["заодно", "бесплатно"]
    for first, last, feature in got:
        assert lemmas[first] == feature.split()[0] and first <= last
    # a function word may carry weight, but it is never named as a unigram
    everything = stat.top_words(lemmas, "scope_creep", k=50, share=0.0)
    named = {f for _, _, f in stat.top_words(lemmas, "scope_creep", k=50, share=0.0, skip=STOP_WORDS)}
    assert not {f for f in named if " " not in f} & STOP_WORDS
    assert len(everything) >= len(named)


def test_top_words_empty_when_no_word_feature_is_known() -> None:
    stat = load_model()
    assert stat is not None
    assert stat.top_words(["zzzqqq", "xxyyzz"], "payment_delay") == []
    assert stat.top_words([], "payment_delay") == []
