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
