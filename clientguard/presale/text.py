"""Plain-text input and the sentence units the rules run over.

Leads' first messages usually arrive as copied text; a paragraph is one message and an
optional ``YYYY-MM-DD HH:MM | `` prefix gives its time (needed for night contacts).
Rules match sentences, not whole texts, so that a negation or a hedge in one sentence
does not leak into the next and the quoted evidence stays short.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

from clientguard.errors import MalformedRecordError, Where
from clientguard.presale.model import LeadMessage

_PREFIX = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})\s*\|\s*")
_PARAGRAPH = re.compile(r"\n\s*\n")
_HEADING = re.compile(r"^\s*#{1,6}\s*(?:\d+[.)]\s*)?(?P<label>.+?)\s*#*\s*$")
# "Label: text", "**Label:** text", "- Label: text"; the label is short and has no digits
# other than a leading number.
_LABELLED = re.compile(
    r"^\s*(?:[-*•]\s+)?(?:\*\*|__)?(?:\d+[.)]\s*)?(?P<label>[^\W\d][^:*\n]{0,40}?)\s*(?:\*\*|__)?\s*:\s*"
    r"(?:\*\*|__)?\s*(?P<body>.*)$"
)
# "**Аудитория.** text": a bold run-in heading closed by a full stop instead of a colon,
# as briefs written in a word processor often do. Only bold marks it as a label, so an
# ordinary first sentence is never mistaken for one.
_RUN_IN = re.compile(
    r"^\s*(?:[-*•]\s+)?(?:\*\*|__)(?P<label>[^\W\d][^*_\n.:]{0,40}?)\s*[.:]?\s*(?:\*\*|__)\s*[.:—–-]?\s+"
    r"(?P<body>\S.*)$"
)
_NUMBERED_TITLE = re.compile(r"^\s*\d{1,2}[.)]\s+(?P<label>[^\W\d][^.!?:;]{0,40}?)\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”)]*\s+(?=[\"«“(]?[A-ZА-ЯЁ0-9])")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)


class TimePrefixError(MalformedRecordError):
    """A message whose ``YYYY-MM-DD HH:MM |`` prefix is no real time (``2025-02-30``)."""

    def __init__(self, number: int, prefix: str, source: str, reason: str) -> None:
        where = Where(source, f"message {number}")
        super().__init__(f"the time prefix «{prefix}» is no real time ({reason})", where)
        self.number = number
        self.prefix = prefix


def parse_messages(text: str, source: str = "<messages>") -> list[LeadMessage]:
    """Split plain text into messages: blank-line separated, optional time prefix.

    A prefix with an impossible date or time is a :class:`TimePrefixError` naming ``source``
    and the message's number (it was a ``ValueError`` traceback).
    """
    out: list[LeadMessage] = []
    for para in _PARAGRAPH.split(text.replace("\r\n", "\n")):
        if not para.strip():
            continue
        ts: datetime | None = None
        m = _PREFIX.match(para)
        if m:
            try:
                ts = datetime.fromisoformat(f"{m.group(1)} {m.group(2).zfill(5)}")
            except ValueError as exc:
                raise TimePrefixError(len(out) + 1, f"{m.group(1)} {m.group(2)}", source, str(exc)) from None
            para = para[m.end() :]
        out.append(LeadMessage(text=para.strip(), timestamp=ts))
    return out


def all_prefixed(text: str) -> bool:
    """Whether every paragraph carries the ``YYYY-MM-DD HH:MM |`` prefix."""
    paras = [p for p in _PARAGRAPH.split(text.replace("\r\n", "\n")) if p.strip()]
    return bool(paras) and all(_PREFIX.match(p) for p in paras)


def detect_lang(texts: Sequence[str]) -> str:
    """``ru`` when Cyrillic letters outnumber Latin ones, else ``en``."""
    joined = " ".join(texts)
    cyr = len(_CYRILLIC.findall(joined))
    lat = len(_LATIN.findall(joined))
    return "ru" if cyr >= lat and cyr > 0 else "en"


def normalise(text: str) -> str:
    """Lower-case, ``ё``→``е``, odd spaces → space; keeps every offset unchanged."""
    return text.lower().replace("ё", "е").replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")


@dataclass(frozen=True)
class Unit:
    """A sentence (or a brief line) with its place.

    ``label`` is the line's own ``Label:`` in a brief, ``heading`` the section it sits under.
    """

    source: str
    start: int
    end: int
    text: str
    norm: str
    label: str = ""
    heading: str = ""


@dataclass(frozen=True)
class Abbreviations:
    """Words with a final dot that do not end a sentence (``rules/abbreviations.yaml``)."""

    titles: frozenset[str]
    before_digits: frozenset[str]


@cache
def load_abbreviations() -> Abbreviations:
    """The shipped abbreviation lists, read once per process."""
    from clientguard.presale.rules import load_yaml

    text = resources.files("clientguard.presale").joinpath("rules", "abbreviations.yaml").read_text("utf-8")
    data = load_yaml(text)
    return Abbreviations(
        frozenset(str(w) for w in data["titles"]), frozenset(str(w) for w in data["before_digits"])
    )


@dataclass(frozen=True)
class Cut:
    """A candidate sentence end after a dot: the word before it, what precedes that word,
    and the first character after the gap."""

    word: str
    before: str
    next_char: str


_LAST_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*$")
_ETC = re.compile(r"(?:^|[\s(])т\.?\s*$", re.IGNORECASE)


# Ordered rules, first answer wins (as razdel's sentenize): True joins, False cuts, None
# passes. A new case is one function plus one entry in ``_CUT_RULES``.
def _initial(cut: Cut, abbr: Abbreviations) -> bool | None:
    """ "главный врач С. П. Малахов", "J. Smith": a capital letter with a dot is an initial."""
    return True if len(cut.word) == 1 and cut.word.isupper() else None


def _etc(cut: Cut, abbr: Abbreviations) -> bool | None:
    """ "… и т. д. Потом": "т. д." / "т. п." may well end a sentence."""
    return False if cut.word.lower() in ("д", "п") and _ETC.search(cut.before) else None


def _before_digit(cut: Cut, abbr: Abbreviations) -> bool | None:
    """ "1 янв. 2025", "No. 5", "ок. 300"."""
    return True if cut.word.lower() in abbr.before_digits and cut.next_char.isdigit() else None


def _after_number(cut: Cut, abbr: Abbreviations) -> bool | None:
    """ "в 2025 г. Бюджет …", "50 тыс. Старт …": a unit after a number ends a sentence."""
    return False if cut.before.rstrip()[-1:].isdigit() else None


def _title(cut: Cut, abbr: Abbreviations) -> bool | None:
    """ "г. Самара", "ул. Ленина", "Dr. Smith"."""
    return True if cut.word.lower() in abbr.titles else None


_CUT_RULES = (_initial, _etc, _before_digit, _after_number, _title)


def _joined(text: str, end: int, gap_end: int) -> bool:
    """Whether the candidate cut after ``text[:end]`` is not a sentence end after all."""
    if text[end - 1] != ".":
        return False
    m = _LAST_WORD.search(text, 0, end - 1)
    if m is None:
        return False
    cut = Cut(m.group(0), text[: m.start()], text[gap_end : gap_end + 1])
    abbr = load_abbreviations()
    for rule in _CUT_RULES:
        verdict = rule(cut, abbr)
        if verdict is not None:
            return verdict
    return False


def _sentences(text: str, base: int) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if _joined(text, m.start(), m.end()):
            continue
        yield base + pos, base + m.start()
        pos = m.end()
    if pos < len(text):
        yield base + pos, base + len(text)


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as the rules see them (for tests and debugging)."""
    return [text[s:e].strip() for s, e in _sentences(text, 0) if text[s:e].strip()]


def _units_of(source: str, text: str, offset: int, label: str = "", heading: str = "") -> Iterator[Unit]:
    for s, e in _sentences(text, offset):
        chunk = text[s - offset : e - offset]
        lead = len(chunk) - len(chunk.lstrip())
        chunk = chunk.strip()
        if chunk:
            yield Unit(source, s + lead, s + lead + len(chunk), chunk, normalise(chunk), label, heading)


def message_units(messages: Sequence[LeadMessage]) -> list[Unit]:
    """Sentences of every message; ``source`` is ``message N`` counted from 1."""
    units: list[Unit] = []
    for i, msg in enumerate(messages, 1):
        units.extend(_units_of(f"message {i}", msg.text, 0))
    return units


def brief_units(text: str) -> list[Unit]:
    """Lines of a brief split into sentences, each tagged with its heading or label.

    A markdown heading (or ``2. Title``, or ``Title:`` alone) is the section of the lines
    below it; a ``Label: text`` line also carries its own label.
    """
    units: list[Unit] = []
    heading = ""
    pos = 0
    for line in text.splitlines(keepends=True):
        start, raw = pos, line.rstrip("\r\n")
        pos += len(line)
        if not raw.strip():
            continue
        h = _HEADING.match(raw)
        if h and raw.lstrip().startswith("#"):
            # A level-1 heading is the document title, not a section.
            heading = "" if raw.lstrip().startswith("# ") else h.group("label").strip("*_ ")
            continue
        lab = _LABELLED.match(raw) or _RUN_IN.match(raw)
        if lab and not lab.group("body").strip():  # "Цель:" alone on its line
            heading = lab.group("label").strip("*_ ")
            continue
        title = _NUMBERED_TITLE.match(raw)
        if title:
            # "2. Цель", as PDF and plain-text exports write section titles; it may also be
            # a numbered list item ("1. Instagram"), so the line is kept as content too.
            units.extend(_units_of("brief", title.group("label"), start + title.start("label"), "", heading))
            heading = title.group("label").strip("*_ ")
            continue
        if lab and lab.group("body").strip():
            body_start = start + lab.start("body")
            units.extend(_units_of("brief", lab.group("body"), body_start, lab.group("label"), heading))
            continue
        body = raw.lstrip(" -*•\t")
        units.extend(_units_of("brief", body, start + len(raw) - len(body), "", heading))
    return units
