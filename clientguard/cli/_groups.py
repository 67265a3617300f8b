"""Command groups shared by several command modules (``eval``, ``contract``, ``invoice`` …).

A module that adds ``clientguard eval signals`` calls ``group(app, "eval")`` and adds its
command to the returned sub-app; the first caller creates and mounts the group.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

import typer

GROUP_HELP: dict[str, str] = {
    "eval": "Measure quality on labelled data sets.",
    "contract": "Check contracts and keep the terms of a client's contract.",
    "invoice": "Track invoices, days overdue and the reminder stage.",
    "evidence": "Verify and export the tamper-evident evidence log.",
    "note": "Record oral agreements, calls and meetings.",
    "me": "Name your own identities, so your messages count as the specialist's.",
    "time": "Record time spent on a client.",
    "user": "Team mode: manage users and their access.",
}

#: Each app's groups, held weakly by the app itself. Keyed by the object, not ``id(app)``:
#: an id is reused once an app is freed, and a new app then received the dead one's groups
#: without mounting them ("No such command 'invoice'"; seen in tests that build apps often).
_groups: WeakKeyDictionary[typer.Typer, dict[str, typer.Typer]] = WeakKeyDictionary()


def group(app: typer.Typer, name: str) -> typer.Typer:
    mine = _groups.setdefault(app, {})
    if name not in mine:
        sub = typer.Typer(name=name, help=GROUP_HELP.get(name, ""), no_args_is_help=True)
        app.add_typer(sub, name=name)
        mine[name] = sub
    return mine[name]
