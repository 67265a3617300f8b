"""The name a reply greets: "Здравствуйте, Игорь!", not "Здравствуйте, Игорь Пенкин!".

Contact names come from chat exports as people typed them ("Игорь Пенкин", "Пенкин Игорь",
"Ольга Петровна Смирнова", "Olga | SMM", "Кофейня «Пенка»"). A letter opens with the given
name (with the patronymic when there is one, the polite Russian form); a name that is not a
person's, or that cannot be read, is greeted as it is, so nothing is ever guessed away.
The other places a name appears ("контактное лицо — …", "attn. …") keep it whole.
A contact known only by an address (an e-mail address, a phone number) has no name to
greet: :func:`addressable` says so, and the letter opens neutrally ("Здравствуйте!").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:[-'][A-Za-zА-Яа-яЁё]+)*")


@dataclass(frozen=True)
class _Table:
    separators: tuple[str, ...]
    organisation: dict[str, frozenset[str]]
    max_words: int
    not_a_name: tuple[re.Pattern[str], ...]
    titles: frozenset[str]


@cache
def _table() -> _Table:
    raw = yaml.safe_load(resources.files("clientguard.playbook").joinpath("address.yaml").read_text("utf-8"))
    return _Table(
        tuple(raw["separators"]),
        {lang: frozenset(words) for lang, words in raw["organisation_words"].items()},
        int(raw["max_words"]),
        tuple(re.compile(p, re.IGNORECASE) for p in raw["not_a_name"]),
        frozenset(w for words in raw["titles"].values() for w in words),
    )


def addressable(display: str | None) -> bool:
    """Whether ``display`` can open a letter: a name, not only an e-mail address or a number.

    "Hello mailusr1@example.com," and "Здравствуйте, +7 999 123-45-67!" greet nobody.
    """
    if not display or not display.strip():
        return False
    return not any(p.fullmatch(display.strip()) for p in _table().not_a_name)


def greeting_name(display: str | None) -> str | None:
    """The form of ``display`` that opens a letter (``None`` stays ``None``); ``None`` too
    when it is only an address (:func:`addressable`), so the greeting is the neutral one."""
    if not display or not display.strip():
        return display
    if not addressable(display):
        return None
    table = _table()
    head = display
    for sep in table.separators:
        head = head.split(sep, 1)[0]
    words = _WORD.findall(head)
    if not words or len(words) > table.max_words:
        return display
    low = [w.lower() for w in words]
    if any(w in table.organisation["ru"] or w in table.organisation["en"] for w in low):
        return display
    if len(words) >= 2 and low[0] in table.titles:
        return _titled(head, words)
    if len(words) == 1:
        # "Olga | SMM", "Анна (маркетинг)": the one word before the separator.
        return words[0] if head.strip() != display.strip() and words[0][:1].isupper() else display
    if all(re.fullmatch(r"[A-Za-z'-]+", w) for w in words):
        return _latin(words) or display
    return _cyrillic(words) or display


def _titled(head: str, words: list[str]) -> str:
    """"Dr. Feather" → "Dr. Feather", "Mrs Jane Smith" → "Mrs Smith": the title as written
    (with its dot, if any) and the surname. The given-name rule took the title for the name
    and a draft opened "Hello Dr," (QA7)."""
    rest = head.lstrip()[len(words[0]):]
    title = words[0] + ("." if rest.startswith(".") else "")
    return f"{title} {words[-1]}"


def _latin(words: list[str]) -> str | None:
    """"Sarah Connor" → "Sarah": a Title-case first word of a two- or three-word name."""
    if len(words) >= 2 and all(w[:1].isupper() and w[1:2].islower() for w in words):
        return words[0]
    return None


def _cyrillic(words: list[str]) -> str | None:
    """The given name, by pymorphy3's Name tag, plus a patronymic right after it."""
    if not all(re.fullmatch(r"[А-Яа-яЁё-]+", w) for w in words):
        return None
    for i, word in enumerate(words):
        if _is(word, _NAME):
            if i + 1 < len(words) and _is(words[i + 1], _PATRONYMIC):
                return f"{word} {words[i + 1]}"
            return word
    return None


_NAME = frozenset({"Name", "sing", "nomn"})
_PATRONYMIC = frozenset({"Patr", "nomn"})


@cache
def _is(word: str, grammemes: frozenset[str]) -> bool:
    """Whether a likely parse of ``word`` has all ``grammemes``.

    "Вера" is a name in a third of its parses and counts; "Иванов" is a name only as a
    rare genitive plural ("(нет) Иванов") and does not.
    """
    from clientguard.nlp.lemmas import morph

    return any(p.score >= 0.05 and grammemes <= p.tag.grammemes for p in morph().parse(word.lower()))
