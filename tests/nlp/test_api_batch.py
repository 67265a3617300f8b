"""The batch forms of the Python API: same answers whatever the batching, flat memory.

``analyze_texts`` runs big lists in internal passes of ``CHUNK`` messages, and
``iter_analyze`` reads any iterable ``batch`` texts at a time; both must give exactly
what one call per message gives, keep the order, and say clearly when called wrongly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import clientguard
from clientguard.nlp import api

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nlp"


def _texts(n: int) -> tuple[list[str], list[str | None]]:
    texts: list[str] = []
    langs: list[str | None] = []
    for line in (FIXTURES / "holdout6_ru.jsonl").read_text(encoding="utf-8").splitlines()[:n // 2]:
        texts.append(json.loads(line)["text"])
        langs.append("ru")
    for line in (FIXTURES / "holdout6_en.jsonl").read_text(encoding="utf-8").splitlines()[:n // 2]:
        texts.append(json.loads(line)["text"])
        langs.append(None)  # detected
    return texts, langs


def test_internal_chunks_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    texts, langs = _texts(40)
    whole = api.analyze_texts(texts, langs)
    monkeypatch.setattr(api, "CHUNK", 7)
    assert api.analyze_texts(texts, langs) == whole
    assert any(a.labels for a in whole)


@pytest.mark.parametrize("batch", [1, 3, 512])
def test_iter_analyze_equals_analyze_texts(batch: int) -> None:
    texts, langs = _texts(30)
    got = list(clientguard.iter_analyze((t for t in texts), iter(langs), batch=batch))
    assert got == clientguard.analyze_texts(texts, langs)


def test_iter_analyze_is_lazy() -> None:
    pulled = 0

    def source() -> Iterator[str]:
        nonlocal pulled
        for _ in range(10_000):
            pulled += 1
            yield "оплатим на следующей неделе"

    it = clientguard.iter_analyze(source(), batch=4)
    first = next(it)
    assert first.labels == ("payment_delay",)
    assert pulled == 4  # one batch read, not the whole source


def test_iter_analyze_lang_count_must_match() -> None:
    with pytest.raises(ValueError, match="fewer langs"):
        list(clientguard.iter_analyze(["a", "b", "c"], ["ru"], batch=2))
    with pytest.raises(ValueError, match="more langs"):
        list(clientguard.iter_analyze(["a"], ["ru", "en"], batch=2))
    with pytest.raises(ValueError, match="batch"):
        list(clientguard.iter_analyze(["a"], batch=0))


@pytest.mark.parametrize("bad", [None, b"bytes", 42])
def test_non_text_is_a_clear_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match=f"got {type(bad).__name__} at index 1"):
        clientguard.analyze_texts(["ok", bad])  # type: ignore[list-item]


def test_model_evidence_points_at_words_not_the_whole_message() -> None:
    """The statistical layer's evidence names the 1-2 lemma n-grams that weighed most."""
    text = "мой племянник говорит, что рилсы никто не смотрит"
    a = clientguard.analyze_text(text, "ru")
    model_ev = [e for e in a.evidence["expertise_dismissal"] if e.rule.startswith("model.signals_lr.v1")]
    assert model_ev, a.evidence
    for e in model_ev:
        assert e.rule.startswith("model.signals_lr.v1:")  # the feature is named
        assert (e.start, e.end) != (0, len(text))
        word = e.rule.split(":", 1)[1]
        assert word not in api.STOP_WORDS
        assert text[e.start : e.end].strip() == text[e.start : e.end] and e.end > e.start


def test_model_evidence_changes_no_label_or_score(monkeypatch: pytest.MonkeyPatch) -> None:
    texts, langs = _texts(60)
    located = api.analyze_texts(texts, langs)
    monkeypatch.setattr(api, "_locate_stat_evidence", lambda stat, a, lemmas, spans: a)
    whole = api.analyze_texts(texts, langs)
    assert [(a.labels, a.scores) for a in located] == [(a.labels, a.scores) for a in whole]
    assert located != whole  # the evidence did change somewhere
    for a, b in zip(located, whole, strict=True):
        for sig in a.labels:  # rule evidence is kept as it was
            rule_ev = {e for e in b.evidence[sig] if not e.rule.startswith("model.signals")}
            assert rule_ev <= set(a.evidence[sig])


def test_model_evidence_falls_back_to_the_message_when_no_word_decides() -> None:
    from clientguard.nlp.statmodel import load_model

    stat = load_model()
    assert stat is not None
    assert stat.top_words(["zzzqqq", "xxyyzz"], "payment_delay") == []
    assert stat.top_words([], "payment_delay") == []
