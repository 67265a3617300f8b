"""One presale screening: brief parts → red flags → decision → reply.

``screen`` is the library entry point behind ``clientguard screen`` and the evaluation.
The message-signal detector and the contract checker belong to other packages; they are
looked up lazily so that screening still works (with a stated limitation) without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from clientguard.domain import MessageAnalysis
from clientguard.errors import ClientguardError, ConfigError
from clientguard.presale.brief import assess_brief
from clientguard.presale.decide import decide, safeguards_of, with_contract
from clientguard.presale.flags import Detector, collect_flags, oracle_flags, signal_flags
from clientguard.presale.model import LeadMessage, Recommendation, RedFlag, Screening
from clientguard.presale.reply import load_pack, pilot_text, render_reasons, render_reply
from clientguard.presale.rules import LANGS, load_rules
from clientguard.presale.text import brief_units, detect_lang, message_units
from clientguard.taxonomy import CLAUSES


def default_detector(lang: str) -> Detector | None:
    """``clientguard.analyze_texts`` for ``lang`` when the NLP package provides it, else None."""
    try:
        from clientguard.nlp.api import analyze_texts
    except ImportError:
        return None

    def detect(texts: Sequence[str]) -> Sequence[MessageAnalysis]:
        return analyze_texts(texts, [lang] * len(texts))

    return detect


def contract_statuses(path: str | Path) -> dict[str, str]:
    """Clause id → ``present``/``weak``/``missing`` from the contract checker."""
    try:
        from clientguard.contracts import check_contract
    except ImportError as exc:
        raise ConfigError(
            "--contract needs the contract checker (clientguard.contracts.check_contract), "
            "which this build does not have; screen without --contract"
        ) from exc
    # The draft is in the specialist's language, not necessarily the lead's: detect it.
    # A missing, empty or unreadable file raises InputError naming it.
    report = check_contract(Path(path))
    return {c.id: c.status for c in report.clauses}


def screen(
    messages: Sequence[LeadMessage] = (),
    brief: str = "",
    *,
    lang: str | None = None,
    contract: str | Path | None = None,
    detector: Detector | bool | None = True,
    oracle_signals: Sequence[str] | None = None,
    ui_lang: str | None = None,
) -> Screening:
    """Screen a lead from its first messages and/or brief text.

    ``ui_lang``: the language the USER reads (the action's name, the reasons, the pilot
    and the clause notes); by default ``lang``. The dashboard and the console set it to the
    interface language: a Russian user screening an English lead read "take the project",
    "no red flags" beside a Russian page, while the reply rightly stays in the lead's.

    ``detector``: ``True`` uses the shared detector if installed, ``False``/``None`` skips
    it, a callable is used as is. ``oracle_signals`` replaces the detector with gold labels
    (evaluation). ``lang`` is the language of the reply and reasons; by default the lead's,
    that is, the messages' (the brief's when there are none).

    The messages and the brief are each read in their own detected language: a Russian
    lead often forwards an English brief, and reading the lead's Russian messages with
    English rules and detector lost every red flag in them (QA F13).

    ``contract``: a draft contract, always read (a missing or unreadable file is an
    error); its weak and missing clauses are named in the reasons and, unless the lead is
    declined, insisted on in the terms and the reply (QA F12).
    """
    texts = [m.text for m in messages]
    msg_lang = detect_lang(texts) if any(t.strip() for t in texts) else None
    brief_lang = detect_lang([brief]) if brief.strip() else None
    lang = lang or msg_lang or brief_lang or detect_lang([])
    if lang not in LANGS:
        raise ConfigError(f"expected --lang in {LANGS}, got {lang!r}")
    ui_lang = ui_lang or lang
    if ui_lang not in LANGS:
        raise ConfigError(f"expected an interface language in {LANGS}, got {ui_lang!r}")
    statuses = contract_statuses(contract) if contract is not None else None
    rules = load_rules(brief_lang or msg_lang or lang)
    m_rules = load_rules(msg_lang or lang)
    pack = load_pack(lang)
    ui = load_pack(ui_lang)
    b_units = brief_units(brief)
    m_units = message_units(messages)
    parts = assess_brief(b_units, m_units, rules, m_rules)

    extra: list[str] = []
    base: list[RedFlag]
    if oracle_signals is not None:
        base = oracle_flags(oracle_signals)
    else:
        det = default_detector(m_rules.lang) if detector is True else (detector or None)
        if det is None and detector is True:
            extra.append(ui.reasons["no_detector"])
        base = []
        if det is not None and texts:
            try:
                base = signal_flags(messages, det(texts))
            except ClientguardError as exc:
                # A broken rule or model file of the detector must not cost the user the
                # screening: say so in the reasons and continue with the presale rules.
                extra.append(ui.reasons["detector_failed"].format(error=exc))
    flags = collect_flags(messages, b_units, m_units, parts, rules, base, m_rules)
    verdict = decide(flags, parts)

    clauses = verdict.clauses
    if statuses is not None:
        clauses, present = with_contract(verdict, statuses)
        # Clauses by name: the reason read "нет или слабо прописано: scope, deadlines, …".
        if present:
            named = ", ".join(ui.clause_names.get(c, c) for c in present)
            extra.append(ui.reasons["contract_present"].format(clauses=named))
        gaps = [c for c in CLAUSES if statuses.get(c) in ("weak", "missing")]
        if gaps:
            named = ", ".join(ui.clause_names.get(c, c) for c in gaps)
            extra.append(ui.reasons["contract_gaps"].format(clauses=named))
    pilot = pilot_text(verdict, parts, pack)
    reasons = render_reasons(verdict, ui, extra)
    notes = tuple(ui.clauses[c] for c in clauses)
    shown_pilot = pilot if ui is pack else pilot_text(verdict, parts, ui)
    rec = Recommendation(
        verdict.action, reasons, safeguards_of(verdict, shown_pilot, notes, clauses), verdict.score
    )
    reply = render_reply(verdict, parts, flags, pack, pilot, clauses, draft=statuses is not None)
    version = rules.version if rules is m_rules else f"{m_rules.version}+{rules.version}"
    return Screening(lang, rec, parts, flags, reply, version, ui_lang=ui_lang)


def screen_files(
    messages: str | Path | None = None,
    brief: str | Path | None = None,
    *,
    lang: str | None = None,
    contract: str | Path | None = None,
    detector: Detector | bool | None = True,
    ui_lang: str | None = None,
) -> Screening:
    """:func:`screen` on files, as the CLI calls it."""
    from clientguard.presale.inputs import read_brief, read_messages

    if messages is None and brief is None:
        raise ConfigError("expected --messages and/or --brief, got neither")
    msgs = read_messages(messages) if messages is not None else []
    text = read_brief(brief) if brief is not None else ""
    return screen(msgs, text, lang=lang, contract=contract, detector=detector, ui_lang=ui_lang)
