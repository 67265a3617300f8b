"""Run Alembic programmatically: no ``alembic.ini`` on the user's machine.

Features add tables in ``clientguard/store/models_<feature>.py`` and a migration branch
off ``0001_core``; :func:`load_models` imports every such module so the metadata is
complete, and :func:`upgrade` always goes to ``heads`` so every branch is applied.

Every command opens the store, and almost always the database is already at ``heads``.
Importing Alembic and loading its script directory only to find that out cost ~0.3 s of
each command's start-up, so :func:`upgrade` first compares the stored revisions
(``alembic_version``, one query) with the heads read from the version files' own
``revision``/``down_revision`` lines (:func:`shipped_heads`); Alembic is imported only
when they differ: an older database is migrated and a newer one refused by Alembic
exactly as before.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, MetaData, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from clientguard.errors import StorageError, msg
from clientguard.reasons import untold
from clientguard.store.failures import db_failure

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"
#: ``revision: str = "0001_core"``, ``down_revision: … = ("a", "b")`` at the start of a line.
_ASSIGNMENT = re.compile(r"^(revision|down_revision|depends_on)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def load_models() -> MetaData:
    """Import ``models.py`` and every ``models_*.py`` of this package; return the metadata."""
    from clientguard.store import models

    package = __name__.rsplit(".", 1)[0]
    for mod in pkgutil.iter_modules([str(Path(__file__).resolve().parent)]):
        if mod.name.startswith("models_"):
            importlib.import_module(f"{package}.{mod.name}")
    return models.Base.metadata


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config built in code; ``connection`` is handed to ``env.py``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def heads() -> set[str]:
    """The head revisions of every branch shipped with this version, as Alembic reads them."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current(connection: Connection) -> set[str]:
    """The revisions the database is at (empty for a new database)."""
    from alembic.runtime.migration import MigrationContext

    return set(MigrationContext.configure(connection).get_current_heads())


@cache
def shipped_heads() -> frozenset[str] | None:
    """:func:`heads` without importing Alembic: the revisions no version file names as its down revision.

    Read from the files' ``revision``/``down_revision`` assignments (literals, as
    Alembic writes them). ``None`` when a file does not fit that shape (a ``depends_on``,
    a computed value, no revision): the caller then asks Alembic, so a file this reader
    does not understand can cost time, never a skipped migration.
    """
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        if path.name == "__init__.py":
            continue
        values: dict[str, object] = {}
        for match in _ASSIGNMENT.finditer(path.read_text(encoding="utf-8")):
            if match.group(1) in values:
                return None
            try:
                values[match.group(1)] = ast.literal_eval(match.group(2))
            except (ValueError, SyntaxError):
                return None
        revision, down = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str) or values.get("depends_on") is not None or revision in revisions:
            return None
        revisions.add(revision)
        if isinstance(down, str):
            downs.add(down)
        elif isinstance(down, tuple) and all(isinstance(d, str) for d in down):
            downs.update(down)
        elif down is not None:
            return None
    if not revisions or not downs <= revisions:
        return None
    return frozenset(revisions - downs)


def stored_revisions(connection: Connection) -> frozenset[str] | None:
    """The revisions in ``alembic_version``; ``None`` when the table is missing (a new database)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return frozenset(row[0] for row in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")))


def upgrade(engine: Engine) -> None:
    """Bring the database to ``heads``; cheap when it is already there (no Alembic import)."""
    try:
        shipped = shipped_heads()
        if shipped is not None:
            with engine.connect() as conn:
                if stored_revisions(conn) == shipped:
                    return
        from alembic import command
        from alembic.util import CommandError

        try:
            with engine.connect() as conn:
                if current(conn) == heads():
                    return
            with engine.begin() as conn:
                command.upgrade(alembic_config(conn), "heads")
        except CommandError as exc:  # a revision no file here names: a newer clientguard wrote it
            from alembic.script import ScriptDirectory

            known = {sc.revision for sc in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
            with engine.connect() as conn:
                found = ", ".join(sorted((stored_revisions(conn) or frozenset()) - known)) or "?"
            raise StorageError(msg("engine.newer_schema", found=found, reason=untold(exc))) from None
    except SQLAlchemyError as exc:  # unreachable server, bad credentials, locked file …
        # what happened and what to do, in the interface language; the driver's words as a detail
        raise StorageError(db_failure(exc, engine)) from exc

