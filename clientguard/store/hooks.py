"""After-import hooks: features that must see every new message in the import transaction.

A hook is ``hook(conn, client_id, rows)``; it runs inside the import's transaction once
per written chunk (thousands of rows), so it can write its own tables atomically with the
messages (the evidence log hash-chains each record this way) and costs one call per chunk.

Default hooks are named by dotted strings so the store does not import features it does
not need; a default whose module is not there (yet) is skipped. Others can be added with
:func:`register_after_import` (tests, plugins).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence

from sqlalchemy import Connection

from clientguard.store.records import NewMessage

AfterImportHook = Callable[[Connection, int, Sequence[NewMessage]], None]

#: "module:function" of the hooks shipped with clientguard, run in this order.
DEFAULT_AFTER_IMPORT: tuple[str, ...] = ("clientguard.evidence.log:after_import",)

_registered: list[AfterImportHook] = []


def register_after_import(hook: AfterImportHook) -> None:
    """Add a hook that runs after the default ones."""
    if hook not in _registered:
        _registered.append(hook)


def unregister_after_import(hook: AfterImportHook) -> None:
    if hook in _registered:
        _registered.remove(hook)


def _resolve(spec: str) -> AfterImportHook | None:
    module_name, _, attr = spec.partition(":")
    try:
        found = importlib.util.find_spec(module_name)
    except ModuleNotFoundError:  # a parent package is missing
        return None
    if found is None:
        return None
    hook: AfterImportHook | None = getattr(importlib.import_module(module_name), attr, None)
    return hook


def after_import_hooks() -> list[AfterImportHook]:
    """The hooks to run for an import, resolved when the import starts."""
    hooks = [h for h in (_resolve(spec) for spec in DEFAULT_AFTER_IMPORT) if h is not None]
    return hooks + list(_registered)
