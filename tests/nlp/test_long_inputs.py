"""Long, odd messages must cost time in proportion to their length, with the same answers.

Two paths were quadratic and are pinned here by what made them so, not by a clock
(``bench/bench_long_messages.py`` measures the time): the mixed-script hint rescanned a
long run without spaces from every letter ("п.и.з.д.е.ц…" of 96k chars took 30 s), and
the spelled-out-mat check tested every suffix of a long run of one-letter tokens ("а а а
…" of 50k chars took 4 s).
"""

from __future__ import annotations

import itertools
import re

import pytest

from clientguard.nlp import obscenity
from clientguard.nlp.api import analyze_text
from clientguard.nlp.normalize import _MIXED_HINT

# The obvious form of the hint: the specification the linear regex must agree with.
_OBVIOUS = re.compile(r"[а-я]\S*?[a-z0-9@$€]|[a-z0-9@$€]\S*?[а-я]")


def test_linear_hint_agrees_with_the_obvious_regex_on_every_short_string() -> None:
    alphabet = "аяz1€ .-«\n"
    for n in range(7):
        for chars in itertools.product(alphabet, repeat=n):
            text = "".join(chars)
            assert bool(_MIXED_HINT.search(text)) == bool(_OBVIOUS.search(text)), repr(text)


@pytest.mark.parametrize(
    "text",
    ["ну п.и.з.д.е.ц", "оплачу 15 числа", "пиzдец", "x1 а", "«а»1", "1-а", "аб\nz", "€а", "а€", "a" * 50],
)
def test_linear_hint_examples(text: str) -> None:
    assert bool(_MIXED_HINT.search(text)) == bool(_OBVIOUS.search(text))


def test_spelled_run_is_tested_in_bounded_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every root test sees at most the window, and a root deep inside a long run is found."""
    seen: list[int] = []
    real = obscenity.match_word

    def spy(word: str) -> str | None:
        seen.append(len(word))
        return real(word)

    monkeypatch.setattr(obscenity, "match_word", spy)
    letters = ["а"] * 3000 + list("пиздец") + ["о"] * 1000
    starts = list(range(0, 2 * len(letters), 2))
    hits = obscenity.obscenity_hits(letters, starts, [s + 1 for s in starts], " ".join(letters), "ru")
    assert any(h.rule == "ru.obscenity.spaced" for h in hits)
    assert seen and max(seen) <= obscenity._SPELL_WINDOW


def test_long_odd_messages_keep_their_answers() -> None:
    spelled = ".".join("пиздец" * 2000)
    assert "obscenity" in analyze_text(spelled).labels
    assert analyze_text("а " * 20000).labels == ()
    assert "obscenity" in analyze_text("а " * 5000 + "п и з д е ц").labels
