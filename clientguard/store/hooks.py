"""After-import hooks: features that must see every new row in the import transaction.

A message hook is ``hook(conn, client_id, rows)``; it runs inside the import's transaction
once per written chunk (thousands of rows), so it can write its own tables atomically with
the messages (the evidence log hash-chains each record this way) and costs one call per
chunk. An event hook has the same shape and gets the service events (calls, pins, joins)
of a conversation once they are written and the conversation's client is known; events
are rare, so it is called at most once per conversation and chunk of events. A move hook
is ``hook(conn, move)`` and gets a :class:`~clientguard.store.records.ConversationMove`
when an import hands a stored conversation to another client (``--client`` or a case file
naming another client than the one it is stored under), before any new row of it is
written.

With ``importer.PIPELINE`` the message hooks run in the import's writer thread, right
after the chunk's insert and in chunk order; the connection is never used by two threads
at once, so a hook needs no locking, but it must not use thread-local state of its own.

Default hooks are named by dotted strings so the store does not import features it does
not need; a default whose module is not there (yet) is skipped. Others can be added with
:func:`register_after_import` / :func:`register_after_import_events` (tests, plugins).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection

from clientguard.store.records import ConversationMove, NewEvent, NewMessage

AfterImportHook = Callable[[Connection, int, Sequence[NewMessage]], None]
AfterImportEventsHook = Callable[[Connection, int, Sequence[NewEvent]], None]
AfterMoveHook = Callable[[Connection, ConversationMove], None]


class Written(NamedTuple):
    """A row a write of the contracts feature made: its table and id.

    ``row_id`` None stands for all the client's rows of the table: the terms row and the
    scope items, which a write replaces together (a handful per client).
    """

    table: str
    row_id: int | None = None


AfterRecordHook = Callable[[Connection, int, Sequence[Written]], None]
BeforeRecordCheck = Callable[[Connection, int, Sequence[Written]], None]

#: "module:function" of the message hooks shipped with clientguard, run in this order.
DEFAULT_AFTER_IMPORT: tuple[str, ...] = ("clientguard.evidence.log:after_import",)
#: "module:function" of the event hooks shipped with clientguard, run in this order.
DEFAULT_AFTER_IMPORT_EVENTS: tuple[str, ...] = ("clientguard.evidence.log:after_import_events",)
#: "module:function" of the move hooks shipped with clientguard, run in this order.
DEFAULT_AFTER_MOVE: tuple[str, ...] = ("clientguard.evidence.handover:after_move",)
#: "module:function" of the record hooks: ``hook(conn, client_id, written)`` runs inside
#: the transaction that writes a client's contract, terms, invoice or payment, so the
#: record is on the evidence log the moment it exists. Logged only by a later ``evidence
#: sync``, a record edited in between was indistinguishable from one never logged, and
#: `verify` right after `invoice add` reported it as pending work. ``written`` names the
#: rows the write made (:class:`Written`), so the hook reads those, not every record
#: of the client: a case file adding a thousand invoices paid for the client's whole
#: history on each one.
DEFAULT_AFTER_RECORD: tuple[str, ...] = ("clientguard.evidence.log:after_record",)
#: "module:function" of the pre-write checks: ``check(conn, client_id, read)`` runs inside
#: a write of the contracts feature before it changes anything, with the rows (:class:`Written`)
#: the write builds on (``contract set`` keeps the stored terms the user did not give;
#: ``invoice paid`` computes what is due from the stored amount and payments). A check
#: raises (a :class:`~clientguard.errors.ClientguardError`) to refuse the write, which then
#: rolls back: a value edited in the database behind the evidence log rode into a new,
#: properly logged version of the terms.
DEFAULT_BEFORE_RECORD: tuple[str, ...] = ("clientguard.evidence.log:before_record",)

_registered: list[AfterImportHook] = []
_registered_events: list[AfterImportEventsHook] = []
_registered_moves: list[AfterMoveHook] = []


def register_after_import(hook: AfterImportHook) -> None:
    """Add a message hook that runs after the default ones."""
    if hook not in _registered:
        _registered.append(hook)


def unregister_after_import(hook: AfterImportHook) -> None:
    if hook in _registered:
        _registered.remove(hook)


def register_after_import_events(hook: AfterImportEventsHook) -> None:
    """Add an event hook that runs after the default ones."""
    if hook not in _registered_events:
        _registered_events.append(hook)


def unregister_after_import_events(hook: AfterImportEventsHook) -> None:
    if hook in _registered_events:
        _registered_events.remove(hook)


def register_after_move(hook: AfterMoveHook) -> None:
    """Add a move hook that runs after the default ones."""
    if hook not in _registered_moves:
        _registered_moves.append(hook)


def unregister_after_move(hook: AfterMoveHook) -> None:
    if hook in _registered_moves:
        _registered_moves.remove(hook)


def _resolve(spec: str) -> Any:
    module_name, _, attr = spec.partition(":")
    try:
        found = importlib.util.find_spec(module_name)
    except ModuleNotFoundError:  # a parent package is missing
        return None
    if found is None:
        return None
    return getattr(importlib.import_module(module_name), attr, None)


def after_import_hooks() -> list[AfterImportHook]:
    """The message hooks to run for an import, resolved when the import starts."""
    hooks: list[AfterImportHook] = [h for h in map(_resolve, DEFAULT_AFTER_IMPORT) if h is not None]
    return hooks + list(_registered)


def after_import_event_hooks() -> list[AfterImportEventsHook]:
    """The event hooks to run for an import, resolved when the import starts."""
    hooks: list[AfterImportEventsHook] = [
        h for h in map(_resolve, DEFAULT_AFTER_IMPORT_EVENTS) if h is not None
    ]
    return hooks + list(_registered_events)


def after_move_hooks() -> list[AfterMoveHook]:
    """The move hooks to run for an import, resolved when the import starts."""
    hooks: list[AfterMoveHook] = [h for h in map(_resolve, DEFAULT_AFTER_MOVE) if h is not None]
    return hooks + list(_registered_moves)


def after_record_hooks() -> list[AfterRecordHook]:
    """The record hooks (see :data:`DEFAULT_AFTER_RECORD`), resolved when a write starts."""
    return [h for h in map(_resolve, DEFAULT_AFTER_RECORD) if h is not None]


def before_record_checks() -> list[BeforeRecordCheck]:
    """The pre-write checks (see :data:`DEFAULT_BEFORE_RECORD`), resolved when a write starts."""
    return [h for h in map(_resolve, DEFAULT_BEFORE_RECORD) if h is not None]
