"""How a sum of money or a big number is written for a person, in one place.

The reply drafts, the contract clause drafts, the CLI's tables and messages, the error
texts, the HTML report, the web pages and the evidence export each grouped thousands with
their own copy of the same three lines, and the copies drifted: the web pages grouped with
U+202F, the contract drafts with a plain space (a clause wrapped "85" | "000 рублей") and
wrote "USD 2,400" where the replies wrote "2,400 USD". Everyone calls this module now; the
sentences of the web's string tables put "{amount} {currency}" together themselves and tie
them with U+00A0; the CLI's lines take the whole sum from :func:`money`.

The style, per language:

* Russian: ``1 250 000 ₽``, ``1 234,50 ₽``, ``0,1`` — thousands grouped by a no-break space
  (U+00A0), a decimal comma, the currency after the number on its line (U+00A0 again).
* English: ``1,250,000 USD``, ``1,234.50 EUR`` — thousands grouped by a comma, a decimal
  point, the currency code after the number (as the replies and the CLI write it), tied to
  it by U+00A0.
* Which name a currency gets is the surface's choice, its place is not: pages, reports,
  letters and the CLI's lines and tables say "₽" (:func:`currency_text`; the CLI said
  "45 000 RUB" beside the dashboard's "45 000 ₽"), contract clauses "рублей", the evidence
  export the ISO code its currency column uses.

Why U+00A0 and not U+202F, which book typography prefers between thousands: a sum copied
from a page or a draft into ``--fact amount=…`` or a form must still read as a number, a
mail client that sends windows-1251 or KOI8-R has no U+202F to encode, and Typer's error box
and the terminal tables already keep U+00A0 whole (see ``cli/_grouped.py``).

Stored values and ``--json`` outputs never go through here: they keep plain floats.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The space that never breaks a line: inside "1 250 000 ₽", "5 декабря 2025", "№ 14/25".
NBSP = "\u00a0"

#: How a currency is named beside a sum in Russian when it has a sign people use.
_SIGNS_RU = {"RUB": "₽", "RUR": "₽"}


def _grouped(body: str, lang: str) -> str:
    """``1,250,000.50`` as ``lang`` writes it: Russian swaps in U+00A0 and a decimal comma."""
    return body.replace(",", NBSP).replace(".", ",") if lang == "ru" else body


def amount(value: float, lang: str) -> str:
    """A sum with every kopeck or cent, no currency: "1 250 000", "123 456,78" / "1,250,000".

    Rounded to cents; decimals only when there are any (0 or 2, never "1 234,5"): ``%g``
    once printed "1.25e+06" and ``,.0f`` rounded 123 456,78 to "123 457".
    """
    cents = round(float(value), 2)
    body = f"{cents:,.0f}" if cents.is_integer() else f"{cents:,.2f}"
    if body == "-0":
        body = "0"
    return _grouped(body, lang)


def number(value: float, lang: str, places: int = 6) -> str:
    """A plain number (a rate, a percentage, hours, a count): "0,1", "1 250,5" / "0.1", "1,250.5".

    Up to ``places`` decimals, trailing zeros dropped (a late fee of 0.033 % stays "0,033");
    :func:`amount` is for money, always 0 or 2 decimals.
    """
    body = f"{round(float(value), places):,.{places}f}".rstrip("0").rstrip(".")
    if body in ("-0", ""):
        body = "0"
    return _grouped(body, lang)


def currency_text(currency: str | None, lang: str) -> str:
    """A currency as a sum names it in ``lang``: roubles are "₽" in Russian, every other
    currency (and every currency in English) its ISO code. One form per language for the
    drafts and the dashboard's tables, which wrote "RUB" beside a draft's "₽"."""
    cur = (currency or "RUB").upper()
    return _SIGNS_RU.get(cur, cur) if lang == "ru" else cur


def money(value: float, currency: str | None, lang: str, names: Mapping[str, str] | None = None) -> str:
    """``45 000 ₽`` / ``45,000 RUB``: :func:`amount`, a no-break space, the currency.

    The currency comes after the number in both languages. ``currency`` None or empty means
    the sum alone (a form's "entered 50 000" next to a sum that names it). ``names`` words a
    currency otherwise than :func:`currency_text` (a contract clause says "85 000 рублей");
    a currency it does not know keeps its code.
    """
    shown = amount(value, lang)
    if not currency:
        return shown
    cur = currency.upper()
    name = names.get(cur, cur) if names is not None else currency_text(cur, lang)
    return f"{shown}{NBSP}{name}"
