"""Client analysis: conversation and record signals, archetypes, risk, recommendation.

The public entry point is :func:`build_profile` — a pure function over analysed
messages and a case file, so the CLI, the web app and the evaluation share it;
:func:`load_case` reads a case file (JSON or YAML) and :func:`default_case` stands in
when there is none, recording which defaults were assumed.

Where each stated rule lives (thresholds are module constants, never tuned per chat):
:mod:`.conversation` (off-hours, bursts, unanswered questions, latency),
:mod:`.records` (revision rounds, overdue invoices, out-of-scope requests),
:mod:`.archetypes` (the archetype table), :mod:`.risk` (score, level, trend),
:mod:`.recommend` (stage-aware action table; texts in ``data/playbook.yaml``).
"""

from __future__ import annotations

from clientguard.analysis.case import CaseFile, default_case, load_case
from clientguard.analysis.model import AnalyzedMessage, ClientProfile
from clientguard.analysis.profile import build_profile

__all__ = ["AnalyzedMessage", "CaseFile", "ClientProfile", "build_profile", "default_case", "load_case"]
