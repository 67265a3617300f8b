"""The fast batch path must not change any output of the statistical layer.

``tests/fixtures/nlp/golden_scores.jsonl`` holds the statistical layer's probabilities for
every holdout fixture message, generated with the per-message implementation BEFORE the
batch path was vectorised; after retraining the model, ``python tests/nlp/make_golden_scores.py``
rewrites them with that per-message implementation.  The stat layer does not read the YAML
rules, so this check is stable while rules are being edited.  Full analyses (labels,
evidence) of the batch path are also checked against one-message-at-a-time analyses of
the same texts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clientguard.nlp.api import analyze_text, analyze_texts, message_view
from clientguard.nlp.statmodel import load_model

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nlp"
GOLDEN = FIXTURES / "golden_scores.jsonl"


def _golden() -> list[dict[str, object]]:
    return [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_stat_probabilities_match_golden() -> None:
    model = load_model()
    if model is None:
        pytest.skip("statistical model artifact not available")
    gold = _golden()
    assert len(gold) >= 200
    views = [message_view(str(g["text"]), str(g["lang"])) for g in gold]
    batch = model.predict_many(views)
    for g, v, got in zip(gold, views, batch, strict=True):
        want = g["stat"]
        assert isinstance(want, dict)
        assert set(got) == set(want), g["id"]
        one = model.predict_one(*v)
        for sig, p in want.items():
            assert abs(got[sig] - p) <= 1e-9, (g["id"], sig, got[sig], p)
            assert abs(one[sig] - p) <= 1e-9, (g["id"], sig, one[sig], p)


def test_stat_batch_is_order_and_size_independent() -> None:
    model = load_model()
    if model is None:
        pytest.skip("statistical model artifact not available")
    gold = _golden()
    views = [message_view(str(g["text"]), str(g["lang"])) for g in gold]
    views = [*views, ([], ""), (["да"], "да"), ([], "   ")]
    full = model.predict_many(views)
    rev = model.predict_many(views[::-1])[::-1]
    for a, b in zip(full, rev, strict=True):
        assert all(abs(a[s] - b[s]) <= 1e-12 for s in a)
    for k in (0, 1, 7, len(views) - 1):
        single = model.predict_many([views[k]])[0]
        assert all(abs(single[s] - full[k][s]) <= 1e-12 for s in single)


def test_batch_analysis_equals_single_message_analysis() -> None:
    gold = _golden()
    texts = [str(g["text"]) for g in gold] + ["", "  ", "ок"]
    langs: list[str | None] = [*(str(g["lang"]) for g in gold), None, None, "ru"]
    batch = analyze_texts(texts, langs)
    for text, lang, a in zip(texts, langs, batch, strict=True):
        b = analyze_text(text, lang)
        assert a.labels == b.labels, text
        assert a.evidence == b.evidence, text
        assert a.lang == b.lang
        assert all(abs(a.scores[s] - b.scores[s]) <= 1e-9 for s in a.scores), text
