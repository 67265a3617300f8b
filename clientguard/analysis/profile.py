"""``build_profile``: analysed messages + case → :class:`ClientProfile`.

A pure function over domain data (no I/O, no store): the CLI, the web app and the
evaluation all call it the same way. Order of work: conversation and record signals,
then per-contact profiles (each contact's own messages; records go to the paying
contact), then the client's profile (archetypes = union over contacts, because a
pattern belongs to a person; risk over all client messages and records), then the
recommendation, which advises moving communication when one contact is the problem
and another works fine.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from clientguard.analysis import conversation as conv
from clientguard.analysis import records
from clientguard.analysis.archetypes import SEVERE_LEVELS, Unit, build_units, detect, emerging, leading
from clientguard.analysis.calls import unit_id
from clientguard.analysis.case import CaseFile
from clientguard.analysis.context import in_context
from clientguard.analysis.model import (
    AnalyzedMessage,
    ArchetypeHit,
    CallEvent,
    ClientProfile,
    ContactProfile,
    SignalHit,
    WeekPoint,
)
from clientguard.analysis.recommend import recommend
from clientguard.analysis.risk import SIGNAL_WEIGHTS, assess, message_weight, steady
from clientguard.domain import Role

_GOOD_LEVELS = frozenset({"low", "elevated"})
MIN_CONTACT_MESSAGES = 3


def sent_only(m: AnalyzedMessage) -> AnalyzedMessage:
    """A client's forward as the profile counts it: sent (by whom, when), without its words.

    The text and its labels are someone else's (a customer's rant, a bank's notice, a
    third party's threat), so no text rule, label or context reading may charge them to
    the client; the send time still counts (off hours, bursts, an answer to a question).
    """
    return replace(m, text="", labels=(), scores={}, evidence={})


def _merge(hits: Sequence[ArchetypeHit]) -> tuple[ArchetypeHit, ...]:
    best: dict[str, ArchetypeHit] = {}
    evidence: dict[str, list[str]] = defaultdict(list)
    for h in hits:
        evidence[h.id].extend(h.evidence)
        if h.id not in best or h.confidence > best[h.id].confidence:
            best[h.id] = h
    out = [
        ArchetypeHit(h.id, h.confidence, tuple(dict.fromkeys(evidence[h.id])), h.support, h.rate, h.kinds)
        for h in best.values()
    ]
    return tuple(sorted(out, key=lambda h: -h.confidence))


def _weekly(
    client: Sequence[AnalyzedMessage], per_msg: dict[str, list[str]], case: CaseFile
) -> tuple[WeekPoint, ...]:
    buckets: dict[str, list[AnalyzedMessage]] = defaultdict(list)
    for m in client:
        if m.timestamp is not None:
            y, w, _ = conv.local_time(m.timestamp, case.tz).isocalendar()
            buckets[f"{y}-W{w:02d}"].append(m)
    points = []
    for week in sorted(buckets):
        msgs = buckets[week]
        counts: Counter[str] = Counter()
        weight = 0.0
        for m in msgs:
            extra = per_msg.get(m.id, ())
            if m.labels or extra:
                counts.update(m.labels)
                counts.update(extra)
                weight += message_weight(m.labels, extra)
        points.append(WeekPoint(week, len(msgs), round(weight, 2), dict(counts)))
    return tuple(points)


def build_profile(
    messages: Sequence[AnalyzedMessage],
    case: CaseFile,
    now: datetime | None = None,
    label_source: str = "predicted",
    calls: Sequence[CallEvent] = (),
) -> ClientProfile:
    """Profile the client of one conversation (see the module docstring for the order).

    ``calls``: the calls among the chat's service events (:mod:`.calls`); whose they
    are is decided here, from the messages' roles.
    """
    shown = sorted(
        messages, key=lambda m: (m.timestamp is None, m.timestamp.timestamp() if m.timestamp else 0.0)
    )
    # Every signal below is computed on the messages as the client wrote them: a forward
    # keeps its send time and sender, not its words (see AnalyzedMessage.counted).
    forwards = any(m.forwarded_from is not None for m in shown)  # most chats have none
    msgs = [m if m.counted else sent_only(m) for m in shown] if forwards else shown
    off = conv.off_hours(msgs, case, calls)
    if label_source == "predicted":  # gold labels already read each message in context
        msgs = in_context(msgs, case, off.evidence)
    client = [m for m in msgs if m.role is Role.CLIENT]
    limit = case.contract.revision_limit if case.contract else None

    burst = conv.bursts(msgs)
    unanswered = conv.unanswered(msgs)
    scope = records.out_of_scope(msgs, case)
    rounds = records.revision_rounds(msgs, limit)
    over = records.revision_over_limit(rounds)
    as_of = records.reference_date(msgs, now, case)
    inv_status = records.invoice_status(case, as_of)
    overdue = records.overdue_invoices(inv_status)
    # Paid late: not overdue any more, but how the client pays (bad_payer, risk).
    late = records.paid_late_invoices(inv_status)
    invoice_weight = (overdue.count + len(late)) * SIGNAL_WEIGHTS["overdue_invoice"]
    signals = (off, burst, unanswered, over, overdue, scope)

    per_msg: dict[str, list[str]] = defaultdict(list)
    for hit in (off, scope, over):
        for mid in hit.evidence:
            per_msg[mid].append(hit.id)

    # Contacts: case order first, then anyone else writing on the client's side.
    names = {c.from_id: c.name for c in case.contacts if c.from_id}
    if case.client.from_id and case.client.name:
        names.setdefault(case.client.from_id, case.client.name)
    by_sender: dict[str, list[AnalyzedMessage]] = defaultdict(list)
    for m in client:
        by_sender[m.sender_key].append(m)
        names.setdefault(m.sender_key, m.sender_name)
    order = [k for k in names if k in by_sender]
    payer = (
        case.client.from_id
        if case.client.from_id in by_sender
        else (max(by_sender, key=lambda k: len(by_sender[k])) if by_sender else None)
    )
    record_units: dict[str, tuple[str, ...]] = {f"invoice:{s.id}": ("paid_late",) for s in late}
    record_units.update({f"invoice:{d['invoice']}": ("overdue_invoice",) for d in overdue.details})
    # The client's off-hours calls, per caller: records of the contact who rang.
    call_units: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for d in off.details:
        call_units[d["from_id"]][unit_id(d["source_id"])] = ("off_hours_message",)
    call_weight = SIGNAL_WEIGHTS["off_hours_message"]

    contacts: list[ContactProfile] = []
    contact_units: list[tuple[list[Unit], int]] = []  # for the emerging patterns, if needed
    for key in order:
        own = by_sender[key]
        own_burst = conv.bursts(own)
        kinds: dict[str, set[str]] = {m.id: set(m.labels) | set(per_msg.get(m.id, ())) for m in own}
        for mid in own_burst.evidence:
            kinds[mid].add("message_burst")
        own_records = {**(record_units if key == payer else {}), **call_units.get(key, {})}
        units: list[Unit] = build_units(kinds, own_records)
        hits = detect(units, len(own))
        contact_units.append((units, len(own)))
        rec_w = own_burst.count * SIGNAL_WEIGHTS["message_burst"] + len(call_units.get(key, {})) * call_weight
        if key == payer:
            rec_w += invoice_weight
        risk = assess(own, per_msg, rec_w, now)
        counts: Counter[str] = Counter()
        for k in kinds.values():
            counts.update(k)
        if key in call_units:
            counts["off_hours_message"] += len(call_units[key])
        contacts.append(ContactProfile(key, names[key], len(own), risk, hits, dict(counts)))

    archetypes = _merge([h for c in contacts for h in c.archetypes])
    rec_weight = (
        burst.count * SIGNAL_WEIGHTS["message_burst"]
        + unanswered.count * SIGNAL_WEIGHTS["unanswered_questions"]
        + invoice_weight
        + len(off.details) * call_weight
    )
    risk = assess(client, per_msg, rec_weight, now)
    # A critical client "without archetype" read as "no problem type": name what leads.
    early: tuple[ArchetypeHit, ...] = ()
    if not archetypes and risk.level in SEVERE_LEVELS:  # rare: scored only then
        early = leading(hit for units, n in contact_units for hit in emerging(units, n))

    switch: tuple[str, str] | None = None
    active = [c for c in contacts if c.client_messages >= MIN_CONTACT_MESSAGES]
    if len(active) >= 2:
        bad = [c for c in active if c.archetypes or c.risk.level not in _GOOD_LEVELS]
        good = [c for c in active if not c.archetypes and c.risk.level in _GOOD_LEVELS]
        if bad and good:
            worst = max(bad, key=lambda c: c.risk.score)
            best = max(good, key=lambda c: (c.client_messages, -c.risk.score))
            switch = (best.name, worst.name)

    label_counts: Counter[str] = Counter(lab for m in client for lab in m.labels)
    signed = case.contract is not None and case.contract.signed
    # Without an archetype the risk alone steers the action: read it without the heaviest
    # labelled messages too, so one or two wrong labels do not decide it (risk.steady).
    settled = None if archetypes else steady(client, per_msg, rec_weight, now)
    rec = recommend(
        case.stage,
        archetypes,
        risk,
        signals,
        switch,
        label_counts,
        contract_known=signed,
        emerging=early,
        steady=settled,
    )
    main = case.client.name or (names[order[0]] if order else "?")
    return ClientProfile(
        client=main,
        company=case.client.company,
        stage=case.stage,
        reference_time=now or max((m.timestamp for m in msgs if m.timestamp), default=None),
        assumed_defaults=case.assumed,
        risk=risk,
        archetypes=archetypes,
        recommendation=rec,
        contacts=tuple(contacts),
        conversation_signals=tuple(SignalHit(s.id, s.count, s.evidence, s.details) for s in signals),
        weekly=_weekly(client, per_msg, case),
        revisions=rounds,
        invoices=inv_status,
        # the forwards as they were read (their signals shown, marked, not counted)
        messages=tuple(m if m.counted else orig for orig, m in zip(shown, msgs, strict=True))
        if forwards
        else tuple(msgs),
        message_signals=dict(label_counts),
        response_latency_hours=conv.response_latency_hours(msgs),
        timezone=case.timezone,
        country=conv.country_of(case),
        contract_known=case.contract is not None,
        label_source=label_source,
        revision_limit=limit,
        emerging=early,
        records_as_of=as_of,
    )
