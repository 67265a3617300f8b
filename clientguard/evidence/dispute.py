"""The steps before a dispute export, in one place for the CLI and the web.

Why one function: the order matters and was written twice. (1) Conversations that changed
client before moves were recorded are recorded as moves first (they vouch with the logged
hashes, so nothing edited meanwhile is hidden). (2) The log is verified *before* the sync,
because (3) the sync appends what has no import hook yet (events, contracts, invoices, payments)
and would otherwise vouch for a row edited behind the log. (4) The verdict given is the
earlier problems plus any the sync revealed, and (5) the log is collected for the period.
The messages are flagged (the NLP caches released once they are labelled, the client's
profile computed and dropped) before all of it, while nothing else of the export is held: see
:func:`~clientguard.evidence.export.flags_first`.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from clientguard.evidence.export import ExportData, collect, flags_first
from clientguard.evidence.handover import record_earlier_moves
from clientguard.evidence.log import sync
from clientguard.evidence.verify import verify_client

if TYPE_CHECKING:
    from clientguard.analysis.model import ClientProfile


def prepare(
    engine: Engine,
    client_id: int,
    start: date | None = None,
    end: date | None = None,
    profile: ClientProfile | None = None,
) -> ExportData:
    """Record earlier moves, verify, sync, verify again and collect the export's data.

    ``profile``: the client's dashboard profile when the caller has it (the web page's
    cache), so the flagged messages are the page's; computed the same way otherwise, with
    the NLP caches released (:func:`clientguard.nlp.api.release`) once the messages are
    labelled, before the profile step (:func:`~clientguard.evidence.export.flags_first`):
    the caller without a profile is the one-shot CLI export, which analyses nothing else.
    The web passes its cached profile and keeps its models.
    """
    flagged = None
    if profile is None:
        with engine.connect() as conn:
            flagged = flags_first(conn, client_id)  # before the log is read: see flags_first
    with engine.begin() as conn:
        record_earlier_moves(conn, client_id)
    with engine.connect() as conn:
        before = verify_client(conn, client_id)
    with engine.begin() as conn:
        sync(conn, client_id)
    with engine.connect() as conn:
        after = verify_client(conn, client_id)
        extra = tuple(p for p in after.problems if p not in before.problems)
        merged = dataclasses.replace(after, problems=before.problems + extra)
        return collect(conn, client_id, merged, start, end, profile, flags_known=flagged)
