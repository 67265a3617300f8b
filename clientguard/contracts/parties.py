"""Party aliases: who "Brightwater" or «Лисья Тропа» is in this contract.

The clause rules name the parties by role words (``<<PC>>`` = исполнитель, агентство,
contractor, studio…; ``<<PK>>`` = заказчик, клиент, client…). Many contracts define their
own short names in the preamble instead — ``("Brightwater")``, «далее — Студия», "the
Designer" — and then use only those. This module reads the defined names off the preamble
and sorts them into contractor and client, so the rules can be compiled with the aliases
added to the role macros (see :func:`clientguard.contracts.clauses.load_rules`).

Known role words decide directly. A name that is no role word ("Brightwater") takes the
role the other defined name leaves free: a contract has two parties, so next to
``("Client")`` it is the contractor. When neither name is a role word, nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from clientguard.contracts.reader import Block

# Role words already covered by the rule macros (stems, lower case).
_CONTRACTOR_WORDS = re.compile(
    r"^(?:исполнител|подрядчик|агентств|студи|специалист|фрилансер|автор|дизайнер|копирайтер|"
    r"фотограф|консультант|команд|contractor|agency|studio|consultant|designer|freelancer|writer|"
    r"provider|supplier|vendor|photographer|copywriter|manager|service provider)"
)
_CLIENT_WORDS = re.compile(r"^(?:заказчик|клиент|client|customer|buyer|покупател)")
_QUOTED = r"[«\"“']\s*([^«»\"“”']{2,40}?)\s*[»\"”']"
_BARE_RU = r"([А-ЯЁ][а-яё-]{2,30})"
# «далее — Агентство», «далее по тексту — "Заказчик"», «именуемое в дальнейшем «Исполнитель»»,
# «— «Исполнитель»,» right after a name, '("Brightwater")', 'hereinafter "the Agency"'.
_DEFINITIONS = (
    re.compile(
        r"(?:далее|в дальнейшем)(?:\s+по тексту)?\s*[—–-]?\s*(?:именуем\w*\s+)?"
        r"(?:" + _QUOTED + "|" + _BARE_RU + ")"
    ),
    re.compile(r"именуем\w*\s+(?:в дальнейшем\s+|далее\s+)?(?:" + _QUOTED + "|" + _BARE_RU + ")"),
    re.compile(r"[)»\"”]\s*[—–-]\s*" + _QUOTED),
    re.compile(
        r"\(\s*(?:hereinafter\s+(?:referred to as\s+)?|referred to as\s+)?(?:the\s+)?" + _QUOTED + r"\s*\)"
    ),
    re.compile(r"(?:hereinafter|referred to as)\s+(?:the\s+)?" + _QUOTED),
)
_PREAMBLE_CHARS = 2000


@dataclass(frozen=True)
class Parties:
    """Extra names of the two parties, as regex fragments for the role macros."""

    contractor: tuple[str, ...] = ()
    client: tuple[str, ...] = ()


def _fragment(name: str) -> str:
    """A lower-case regex for a defined name; Russian names match every case ending."""
    low = name.lower().replace("ё", "е")
    if re.fullmatch(r"[а-я-]+", low) and len(low) > 4:
        stem = re.sub(r"[аяоеьйиыу]$", "", low)
        return re.escape(stem) + r"\w*"
    return r"\b" + re.escape(low) + r"\b"


def find_parties(blocks: Sequence[Block]) -> Parties:
    """The defined names of the parties in the preamble: before the first section heading
    after the title, and within the first couple of thousand characters."""
    text = ""
    headings = 0
    for block in blocks:
        if block.kind == "heading":
            headings += 1
            if headings > 1 and text.strip():
                break  # the first section starts: defined terms after it are not parties
            continue
        text += " " + block.text
        if len(text) > _PREAMBLE_CHARS:
            break
    names: list[str] = []
    for pattern in _DEFINITIONS:
        for m in pattern.finditer(text):
            name = next((g for g in m.groups() if g), "").strip()
            name = re.sub(r"^(?:the|a)\s+", "", name, flags=re.IGNORECASE)
            if name and name not in names and not re.search(r"\d", name):
                names.append(name)
    known_contractor = [n for n in names if _CONTRACTOR_WORDS.match(n.lower())]
    known_client = [n for n in names if _CLIENT_WORDS.match(n.lower())]
    unknown = [n for n in names if n not in known_contractor and n not in known_client]
    contractor: list[str] = list(known_contractor)
    client: list[str] = list(known_client)
    if len(unknown) == 1:
        if known_client and not known_contractor:
            contractor += unknown
        elif known_contractor and not known_client:
            client += unknown
    return Parties(tuple(_fragment(n) for n in contractor), tuple(_fragment(n) for n in client))
