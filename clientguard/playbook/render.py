"""Rendering reply drafts from the Jinja2 templates in ``templates/<lang>/<situation>.j2``.

Templates are plain text written paragraph by paragraph over several source lines; the
renderer reflows them (see :func:`reflow`) so template authors can wrap lines freely.
Facts reach templates already formatted for the language, and ``finalize`` refuses to
print ``None`` or an empty string: an unknown fact must be handled by an ``{% if %}``
in the template, never leak into a letter.

A ``~`` in a template's text is a no-break space, as in TeX: ``№~{{ contract_no }}``,
``до~{{ due }}``, ``10~календарных дней``. A letter read in a messenger then never ends a
line on "№" or "до" with the number on the next one, and the tie stays visible in the
source (a literal U+00A0 would not). A tilde a letter really needs is ``{{ "~" }}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import jinja2
import jinja2.ext
from jinja2.lexer import Token, TokenStream

from clientguard.errors import ConfigError
from clientguard.playbook import formatting as fmt
from clientguard.playbook.address import greeting_name
from clientguard.playbook.facts import InvoiceFact, ReplyFacts
from clientguard.playbook.situations import LANGS, TONES, get_situation


class TemplateLeakError(RuntimeError):
    """A template printed an unknown fact: a bug in the template, not a user error."""


def _finalize(value: Any) -> Any:
    # Empty strings are fine (a macro with nothing to say); the context maps every
    # unknown fact to None, so None is the one value that must never be printed.
    if value is None:
        raise TemplateLeakError("a template printed an unknown (None) fact; guard it with {% if %}")
    return value


PARAGRAPH = "\u2029"
_BLOCK_ONLY = re.compile(r"^(?:\s|\{%(?:[^%]|%(?!\}))*%\}|\{#(?:[^#]|#(?!\}))*#\})+$")


def preprocess(source: str) -> str:
    """Make template layout predictable before Jinja sees it.

    A blank source line becomes a paragraph mark; a line holding only ``{% … %}`` tags
    disappears entirely (with its line break); every other line keeps its break. So a
    conditional sentence on its own line never glues words together when it renders,
    and never splits a paragraph when it renders empty.
    """
    out: list[str] = []
    for line in source.split("\n"):
        if not line.strip():
            out.append(PARAGRAPH + "\n")
        elif _BLOCK_ONLY.match(line):
            out.append(line.strip())
        else:
            out.append(line.rstrip() + "\n")
    return "".join(out)


TIE = "~"


class _Ties(jinja2.ext.Extension):
    """``~`` in template text becomes a no-break space; ``~`` inside tags stays Jinja's
    string concatenation (only the text between tags is touched)."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        for tok in stream:
            if tok.type == "data" and TIE in tok.value:
                yield Token(tok.lineno, "data", tok.value.replace(TIE, fmt.NBSP))
            else:
                yield tok


class _Loader(jinja2.PackageLoader):
    """The package's templates, run through :func:`preprocess`."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        return preprocess(source), filename, uptodate


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=_Loader("clientguard.playbook", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain-text letters, never HTML
        finalize=_finalize,
        keep_trailing_newline=False,
        extensions=[_Ties],
    )


_ITEM = re.compile(r"^(?:[-•>] |\d+[.)] )")
_SPACE_BEFORE_PUNCT = re.compile(r" +([,.;:!?)»])")
_MULTI_SPACE = re.compile(r"(?<=\S) {2,}")
# Only these are trimmed and collapsed: a no-break space at a line's edge is a tie to keep.
_EDGE = " \t"


def reflow(text: str) -> str:
    """Join wrapped template lines into paragraphs.

    Paragraph marks (blank template lines) separate paragraphs; a line starting with
    ``- ``, ``• ``, ``> `` or ``1. `` starts a new line (list items, quotes); a line ending
    in a backslash keeps its line break (signatures). Everything else is joined with
    single spaces; empty lines left by false conditionals vanish.
    """
    paragraphs: list[str] = []
    for block in text.split(PARAGRAPH):
        lines: list[str] = []
        hard = True
        for raw in block.splitlines():
            line = raw.strip(_EDGE)
            if not line:
                continue
            keep = line.endswith("\\")
            if keep:
                line = line[:-1].rstrip()
            if hard or _ITEM.match(line) or not lines:
                lines.append(line)
            else:
                # a tie at the end of a source line joins the next one without a space
                sep = "" if lines[-1].endswith(fmt.NBSP) else " "
                lines[-1] = f"{lines[-1]}{sep}{line}"
            hard = keep
        if lines:
            cleaned = [_MULTI_SPACE.sub(" ", _SPACE_BEFORE_PUNCT.sub(r"\1", ln)) for ln in lines]
            paragraphs.append("\n".join(cleaned))
    return "\n\n".join(paragraphs) + "\n"


_NO_PREFIX = re.compile(r"^(?:№|No\.?|N|#)\s*", re.IGNORECASE)
_CLAUSE_PREFIX = re.compile(r"^(?:п\.|пункт|clause|section|§)\s*", re.IGNORECASE)


def _bare(value: str | None, prefix: re.Pattern[str]) -> str | None:
    """``"№ 14/25"`` → ``"14/25"``: templates add the prefix of their language."""
    if not value or not value.strip():
        return None
    return prefix.sub("", value.strip()) or None


def _plural(lang: str) -> Any:
    def pl(n: int, *forms: str) -> str:
        if lang == "ru":
            return fmt.count(n, fmt.plural_ru(n, forms[0], forms[1], forms[2]))
        return fmt.count(n, fmt.plural_en(n, forms[0], forms[-1]))

    return pl


def _fixed_fee(facts: ReplyFacts, lang: str) -> str | None:
    """The contract's fixed late fee as the drafts quote it, worded as ``contract show``
    words it (the ``fixed_late_fee`` strings)."""
    from clientguard.report.i18n import t

    fee = facts.penalty_fixed
    if fee is None:
        return None
    return t("fixed_late_fee", fee.per, lang).replace("{money}", fmt.money(fee.amount, fee.currency, lang))


def context(facts: ReplyFacts, tone: str, lang: str) -> dict[str, Any]:
    """Everything a template may use: formatted facts (``None`` when unknown) and tone flags."""

    def m(v: float | None, currency: str | None = None) -> str | None:
        return None if v is None else fmt.money(v, currency or facts.currency, lang)

    def pct(v: float) -> str:
        return fmt.percent(v, lang)

    def d(v: Any) -> str | None:
        return None if v is None else fmt.day(v, lang)

    def s(v: str | None) -> str | None:
        # Facts are one-line phrases inside sentences: line breaks would break the reflow.
        # No-break spaces the user typed ("50 000 ₽") are kept: they are ties too.
        flat = fmt.flatten(v) if v else ""
        return flat or None

    def items(vs: tuple[str, ...]) -> list[str]:
        return [x for x in (s(v) for v in vs) if x]

    penalty = facts.computed_penalty()
    many = _listed(facts)
    wh = facts.working_hours
    contract_no = _bare(facts.contract_number, _NO_PREFIX)
    clause = _bare(facts.clause_number, _CLAUSE_PREFIX)
    # Whether a sentence may say "по договору" / "under the contract": only when a signed
    # contract is on file or something only a contract has (its number, date, a clause) is
    # known. A scope or a revision limit alone may have been agreed in the chat, so it
    # proves no contract: without one the drafts rest on what was agreed in writing.
    has_contract = bool(
        facts.contract_signed
        or contract_no
        or facts.contract_date
        or clause
        or s(facts.clause_text)
    )
    out: dict[str, Any] = {
        "tone": tone,
        "soft": tone == "soft",
        "neutral": tone == "neutral",
        "firm": tone == "firm",
        "lang": lang,
        "pl": _plural(lang),
        "name": s(facts.contact_name),
        "greet": greeting_name(s(facts.contact_name)),
        "client": s(facts.client_name),
        "me": s(facts.specialist_name),
        "other_contact": s(facts.other_contact_name),
        "other_role": s(facts.other_contact_role),
        "manager": s(facts.manager_name),
        "project": s(facts.project),
        "has_contract": has_contract,
        "contract_no": contract_no,
        "contract_dt": d(facts.contract_date),
        "clause": clause,
        "clause_text": s(facts.clause_text),
        "scope_items": items(facts.scope_items),
        "item": s(facts.out_of_scope_item),
        "deliverable": s(facts.deliverable),
        "rev_count": facts.revision_count,
        "rev_limit": facts.revision_limit,
        "amount": m(facts.amount),
        # An invoice paid in part: the invoice is named with its own sum, the debt is the rest.
        "paid": m(facts.paid_amount) if facts.paid_amount else None,
        "invoice_total": (
            m(facts.amount + facts.paid_amount) if facts.paid_amount and facts.amount is not None else None
        ),
        "extra_price": m(facts.extra_price),
        "invoice": s(facts.invoice_id),
        "invoice_dt": d(facts.invoice_date),
        "due": d(facts.due_date),
        "pay_by": d(facts.pay_by),
        "overdue": facts.days_overdue if facts.days_overdue and facts.days_overdue > 0 else None,
        "rate": None if facts.penalty_percent_per_day is None else pct(facts.penalty_percent_per_day),
        # a fee that is a sum: "500 ₽ за каждый день просрочки" / "25 USD per day late"
        "fixed": _fixed_fee(facts, lang) if facts.penalty_percent_per_day is None else None,
        "cap": None if facts.penalty_cap_percent is None else pct(facts.penalty_cap_percent),
        "penalty": m(penalty),
        "total": None if penalty is None or facts.amount is None else m(facts.amount + penalty),
        "hours": None if wh is None else fmt.hours(wh, facts.timezone, lang, fmt.NBSP),
        "reply_by": None if facts.reply_by is None else fmt.moment(facts.reply_by, lang),
        "call_dt": d(facts.call_date),
        "confirm_by": d(facts.confirm_by),
        "agreed": items(facts.agreed_points),
        "quote": None if not s(facts.quoted_message) else fmt.quote(facts.quoted_message or ""),
        "quote_dt": d(facts.quoted_message_date.date()) if facts.quoted_message_date else None,
        "issue": s(facts.issue_summary),
        "pilot_scope": s(facts.pilot_scope),
        "pilot_price": m(facts.pilot_price),
        "pilot_days": facts.pilot_days if facts.pilot_days and facts.pilot_days > 0 else None,
        "stage": s(facts.current_stage),
        "done": items(facts.done_items),
        "settle": m(facts.settle_amount),
        "end_dt": d(facts.end_date),
        "many": bool(many),
        "currencies": 1,  # how many currencies the listed invoices are in
        # An invoice is on file or named: only then may a draft say "выставлен счёт" /
        # "invoiced" (a claim asked for by name with no invoice asserted one, QA pass 6 F5).
        "invoiced": bool(many or s(facts.invoice_id) or facts.invoice_date or facts.due_date),
        "invoices": [
            {
                "id": s(i.id),
                "issued": d(i.issued),
                "due": d(i.due),
                "total": m(i.total, i.currency),
                "paid": m(i.paid, i.currency) if i.paid else None,
                "rest": m(i.outstanding, i.currency),
                "overdue": i.days_overdue if i.days_overdue > 0 else None,
                "fee": m(i.late_fee, i.currency) if i.late_fee else None,
            }
            for i in many
        ],
    }
    if many:
        # The letter is about all of them: the debt and the fee are the sums (one per
        # currency: roubles and dollars do not add up), and the single-invoice phrases (the
        # oldest one's number, days, part payment) step aside.
        debt = _per_currency(many, lambda i: i.outstanding, facts.currency)
        fee = _per_currency(many, lambda i: i.late_fee, facts.currency)
        total = _per_currency(many, lambda i: i.outstanding + (i.late_fee or 0.0), facts.currency)
        out |= {
            "amount": fmt.money_sums(debt, lang),
            "penalty": fmt.money_sums(fee, lang) if fee else None,
            "total": fmt.money_sums(total, lang) if fee else None,
            # "…в размере 40 000 ₽ и 1 000 USD, а также неустойку…": a second "и" after a
            # list of sums would read as one more sum
            "currencies": len(debt),
            "paid": None,
            "invoice_total": None,
            "invoice": None,
            "invoice_dt": None,
            "due": None,
            "overdue": None,
        }
    return out


def _per_currency(
    invoices: tuple[InvoiceFact, ...], value: Callable[[InvoiceFact], float | None], default: str | None
) -> list[tuple[str | None, float]]:
    """``value`` summed per currency, currencies in the order the invoices first name them;
    currencies whose sum is nothing (no late fee) are left out."""
    sums: dict[str | None, float] = {}
    for i in invoices:
        v = value(i)
        if v is not None:
            cur = (i.currency or default or "RUB").upper()
            sums[cur] = sums.get(cur, 0.0) + v
    return [(cur, round(v, 2)) for cur, v in sums.items() if round(v, 2)]


def _listed(facts: ReplyFacts) -> tuple[InvoiceFact, ...]:
    """The overdue invoices a draft lists one by one: two or more, from the store.

    Only while the single-invoice facts are still the store's (its oldest overdue invoice):
    ``--fact invoice_id=…`` or ``--fact amount=…`` makes the draft about that one invoice.
    """
    inv = facts.overdue_invoices
    if len(inv) < 2:
        return ()
    first = inv[0]
    if facts.invoice_id not in (None, first.id) or facts.amount not in (None, first.outstanding):
        return ()
    return inv


def render_reply(situation: str, facts: ReplyFacts, tone: str = "neutral", lang: str = "ru") -> str:
    """A ready-to-edit reply draft for ``situation`` in ``lang`` and ``tone``.

    Raises :class:`ConfigError` for an unknown situation, tone or language.
    """
    get_situation(situation)
    if tone not in TONES:
        raise ConfigError(f"unknown tone {tone!r}; expected one of: {', '.join(TONES)}")
    if lang not in LANGS:
        raise ConfigError(f"unknown language {lang!r}; expected one of: {', '.join(LANGS)}")
    template = _env().get_template(f"{lang}/{situation}.j2")
    return reflow(template.render(**context(facts, tone, lang)))
