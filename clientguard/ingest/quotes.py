"""Cut quoted history, forwarded copies and signatures from an e-mail body.

Why: a client's reply usually carries our own previous mail below it; analysing that
would blame the client for our words (and count every old message many times). The
rules are an ordered table (house style): the first line that a CUT rule matches ends
the author's own text; ``>`` lines (and the attribution right above them) are dropped
wherever they are, so bottom-posted and inline replies keep the author's words. ``original_text``
keeps everything, so nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml

# A rule gets (lines, index) and says whether the author's text ends before lines[index].
Rule = Callable[[list[str], int], bool]


def _rx(pattern: str) -> Rule:
    compiled = re.compile(pattern, re.IGNORECASE)
    return lambda lines, i: bool(compiled.match(lines[i].strip()))


#: The attribution patterns (data: ``data/quotes.yaml``).
QUOTES_FILE = Path(__file__).with_name("data") / "quotes.yaml"


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    data = yaml.safe_load(QUOTES_FILE.read_text(encoding="utf-8"))
    return {key: re.compile(str(data[key]), re.IGNORECASE) for key in ("tail", "address", "wrapped_start")}


#: The rest of an attribution wrapped inside the sender's address ("igor@penka.ru>:").
_ADDRESS_END = re.compile(r"^\S*@[\w.-]+>?\s*:\s*$")


def _tail(line: str) -> bool:
    return bool(_patterns()["tail"].search(line))


def is_attribution(lines: list[str], i: int) -> bool:
    """"On <date>, <name> wrote:" / "<date>, <name> пишет:" / "<date> <time>, <name> <address>:"
    (Gmail, Yandex, Mail.ru in Russian write no verb), possibly wrapped over 2 lines."""
    line = lines[i].strip()
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    p = _patterns()
    if len(line) < 250 and (_tail(line) or p["address"].match(line)):
        return True
    if len(line + nxt) >= 300 or not nxt:
        return False
    if p["wrapped_start"].match(line) and _tail(nxt):
        return True
    # "пн, 1 сент. 2025 г. в 10:15, Игорь Петров <" + "igor@penka.ru>:" (wrapped inside the address)
    return not p["address"].match(nxt) and bool(p["address"].match(f"{line}{nxt}") or
                                                 p["address"].match(f"{line} {nxt}"))


def _quoted_after(lines: list[str], i: int) -> bool:
    """Whether the next non-blank line (after a 1–2 line attribution) is a ``>`` quote."""
    for line in lines[i + 1:i + 4]:
        if line.lstrip().startswith(">"):
            return True
        if line.strip() and not _tail(line.strip()) and not _ADDRESS_END.search(line.strip()):
            return False
    return False


def _attribution(lines: list[str], i: int) -> bool:
    """An attribution NOT followed by ``>`` quotes introduces unmarked history: cut."""
    return is_attribution(lines, i) and not _quoted_after(lines, i)


def _outlook_header(lines: list[str], i: int) -> bool:
    """An Outlook-style quoted header block: ``From:`` followed by ``Sent:``/``Date:``."""
    if not re.match(r"^(From|От|Von|De)\s*:", lines[i].strip(), re.IGNORECASE):
        return False
    following = " ".join(line.strip() for line in lines[i + 1:i + 4])
    return bool(re.search(r"\b(Sent|Date|Отправлено|Дата|Gesendet)\s*:", following, re.IGNORECASE))


def _sign_off(lines: list[str], i: int) -> bool:
    """A common sign-off line with only a short signature (≤ 6 lines) after it."""
    if not re.match(r"^(с уважением|с наилучшими пожеланиями|всего доброго|best regards|kind regards|"
                    r"regards|best wishes|cheers|thanks and regards|sincerely|mit freundlichen grüßen)"
                    r"[,.!]?\s*$", lines[i].strip(), re.IGNORECASE):
        return False
    rest = [line for line in lines[i + 1:] if line.strip()]
    return len(rest) <= 6


CUT_RULES: list[tuple[str, Rule]] = [
    ("original_message",
     _rx(r"^-{2,}\s*(original message|исходное сообщение|ursprüngliche nachricht)\s*-{2,}")),
    ("forwarded",
     _rx(r"^-{2,}\s*(forwarded message|"
         r"(?:пересылаемое|пересланное|переадресованное|перенаправленное) сообщение)\s*-{2,}")),
    ("forwarded_begin", _rx(r"^(begin forwarded message|начало переадресованного сообщения)\s*:")),
    ("attribution", _attribution),
    ("outlook_header", _outlook_header),
    ("signature_dash", lambda lines, i: lines[i].rstrip("\r\n") in ("-- ", "--")),
    ("sent_from", _rx(r"^(sent from my|отправлено (с|из)|получено с помощью|get outlook for)\b")),
    ("sign_off", _sign_off),
]


def strip_quotes(body: str) -> str:
    """The author's own words in ``body``: cut at the first CUT rule, drop ``>`` lines."""
    lines = body.replace("\r\n", "\n").split("\n")
    end = len(lines)
    for i in range(len(lines)):
        if any(rule(lines, i) for _, rule in CUT_RULES):
            end = i
            break
    own: list[str] = []
    wrapped = False
    for i, line in enumerate(lines[:end]):
        if line.lstrip().startswith(">"):
            continue
        if wrapped:  # the second line of an attribution dropped just above
            wrapped = False
            continue
        if is_attribution(lines, i) and _quoted_after(lines, i):
            # "On … wrote:" right above the quote it introduces (bottom/inline posting)
            wrapped = not line.rstrip().endswith(":")
            continue
        own.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(own)).strip()


def explain(body: str) -> str | None:
    """The id of the rule that cut ``body`` (for debugging and tests), or None."""
    lines = body.replace("\r\n", "\n").split("\n")
    for i in range(len(lines)):
        for name, rule in CUT_RULES:
            if rule(lines, i):
                return f"{name}@line{i + 1}"
    return None
