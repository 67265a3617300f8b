"""The forked stages give the same answers as the inline path, and relay user errors."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from clientguard.analysis import parallel, source
from clientguard.domain import Message, MessageAnalysis, Role, Sender
from clientguard.errors import ClientguardError, ConfigError


def fake_analyze(texts: Sequence[str]) -> list[MessageAnalysis]:
    return [
        MessageAnalysis(("insult",) if "дурак" in t else (), {"insult": 0.9 if "дурак" in t else 0.1}, {})
        for t in texts
    ]


def _messages(n: int) -> list[Message]:
    t0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    return [
        Message(
            str(i),
            Sender("user1" if i % 3 else "me"),
            t0 + timedelta(minutes=i),
            f"текст {i}" + (" дурак" if i % 7 == 0 else ""),
            role=Role.CLIENT if i % 3 else Role.SPECIALIST,
        )
        for i in range(60)
    ][:n]


def test_forked_and_inline_predictions_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "nlp_available", lambda: True)
    monkeypatch.setattr(source, "_analyze", fake_analyze)
    msgs = _messages(60)
    inline = source.predict(msgs)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 2)
    forked = source.predict(msgs)
    assert [m.labels for m in forked] == [m.labels for m in inline]
    assert any(m.labels == ("insult",) for m in forked)


def _fail() -> str:
    raise ConfigError("the database is locked")


def test_child_errors_are_relayed_with_code() -> None:
    bg = parallel.Background(_fail, size=parallel.PARALLEL_MIN)
    with pytest.raises(ClientguardError, match=r"E200: the database is locked"):
        bg.result()


def test_small_inputs_run_inline() -> None:
    with pytest.raises(ConfigError):
        parallel.Background(_fail, size=1)
    assert parallel.Background(str.upper, "ok", size=1).result() == "OK"
