"""Client analysis: conversation and record signals, archetypes, risk, recommendation.

The public entry point is :func:`build_profile` (a pure function over analysed
messages and a case file); :func:`load_case` reads a case file.
"""

from __future__ import annotations

from clientguard.analysis.case import CaseFile, default_case, load_case
from clientguard.analysis.model import AnalyzedMessage, ClientProfile
from clientguard.analysis.profile import build_profile

__all__ = ["AnalyzedMessage", "CaseFile", "ClientProfile", "build_profile", "default_case", "load_case"]
