"""clientguard: spot toxic clients early, keep the evidence, act on it.

The public Python API is kept small and imported lazily so that ``import clientguard``
stays cheap for the CLI and for tools embedding us.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from clientguard.nlp.api import analyze_text, analyze_texts, iter_analyze

__all__ = ["__version__", "analyze_text", "analyze_texts", "iter_analyze"]


def __getattr__(name: str) -> Any:
    # Lazy re-export: the NLP stack loads lexicons and models, which the
    # import-only CLI commands should not pay for.
    if name in ("analyze_text", "analyze_texts", "iter_analyze"):
        from clientguard.nlp import api

        return getattr(api, name)
    raise AttributeError(name)
