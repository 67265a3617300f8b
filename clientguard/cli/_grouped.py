"""Rich text that wraps a line but never inside "1 000": a no-break space stays unbroken.

Russian groups thousands with a no-break space ("12 345", :func:`clientguard.report.i18n.number`),
which is there to keep the number on one line. Rich's wrapping splits words at ``\\s``, and
Python's ``\\s`` takes U+00A0 and U+202F for spaces, so an error box at some widths read
"… а указано 12" and "345" on the next line. :class:`GroupedText` wraps with those spaces
held as letters of the same width and puts them back; Typer's error box gets its text
through :func:`highlighter` (set by :func:`clientguard.cli._help.apply_typer_words`).

Imported only when Rich prints (Rich is slow to import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from rich.text import Text
from typer.rich_utils import OptionHighlighter

if TYPE_CHECKING:
    from rich.console import Console
    from rich.containers import Lines

#: The no-break spaces and the private-use characters (one cell wide, no space to Rich)
#: that stand for them while a line is wrapped.
_HOLD: Final = str.maketrans({"\u00a0": "\ue000", "\u202f": "\ue001"})
_PUT_BACK: Final = str.maketrans({"\ue000": "\u00a0", "\ue001": "\u202f"})


class GroupedText(Text):
    """A :class:`rich.text.Text` whose wrapping breaks no no-break space."""

    def wrap(self, console: Console, width: int, **options: Any) -> Lines:
        plain = self.plain
        if "\u00a0" not in plain and "\u202f" not in plain:
            return super().wrap(console, width, **options)
        held = self.copy()
        held.plain = plain.translate(_HOLD)  # same length: the styles' spans stay where they were
        lines = Text.wrap(held, console, width, **options)
        for line in lines:
            line.plain = line.plain.translate(_PUT_BACK)
        return lines


def grouped(text: str | Text) -> GroupedText:
    """``text`` as :class:`GroupedText`, its styles kept."""
    if isinstance(text, str):
        return GroupedText(text)
    out = GroupedText()
    out.append_text(text)
    return out


class GroupedHighlighter(OptionHighlighter):
    """Typer's option colours on :class:`GroupedText`: Typer's error box wraps what its
    highlighter returns (the patterns are the class's, as Typer's own highlighter's)."""

    def __call__(self, text: str | Text) -> Text:
        out = grouped(text)
        self.highlight(out)
        return out
