"""Labelled-set files (``*.labels.json``): read once, checked against a schema, errors named.

Why: ``eval contracts`` and ``eval leads`` read gold labels written by people, for sets we
never see. A label file with ``"clauses": 5`` or no ``expected_recommendation`` used to end
in a ``TypeError``/``KeyError`` traceback in the middle of scoring. Each evaluator now states
the shape it needs as a pydantic model; a file that does not fit is one ``E100`` naming the
file and the field ("clauses.scope.status: expected one of …").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from clientguard.errors import InputError, Where, msg, os_reason
from clientguard.reasons import json_reason

M = TypeVar("M", bound=BaseModel)


def read_labels(path: Path, model: type[M]) -> tuple[M, dict[str, Any]]:
    """The file's object validated as ``model``, and the object itself (for dict readers)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        said = msg("labels.not_utf8", byte=exc.object[exc.start])
        raise InputError(said, Where(str(path), f"byte {exc.start}")) from None
    except json.JSONDecodeError as exc:
        said = msg("labels.invalid", error=json_reason(exc, exc.msg))
        raise InputError(said, Where(str(path), f"line {exc.lineno}")) from None
    except OSError as exc:
        raise InputError(msg("ingest.cannot_read", reason=os_reason(exc)), Where(str(path))) from None
    if not isinstance(data, dict):
        raise InputError(msg("labels.not_object", kind=type(data).__name__), Where(str(path)))
    try:
        return model.model_validate(data), data
    except ValidationError as exc:
        raise InputError(_describe(exc), Where(str(path))) from None


def _describe(exc: ValidationError) -> str:
    """The first problems, each as ``field.path: message`` (pydantic's own wording)."""
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
        parts.append(f"{loc}: {err['msg']}")
    more = exc.error_count() - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")
