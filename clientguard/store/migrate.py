"""Run Alembic programmatically: no ``alembic.ini`` on the user's machine.

Features add tables in ``clientguard/store/models_<feature>.py`` and a migration branch
off ``0001_core``; :func:`load_models` imports every such module so the metadata is
complete, and :func:`upgrade` always goes to ``heads`` so every branch is applied.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData
from sqlalchemy.exc import SQLAlchemyError

from clientguard.errors import StorageError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


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
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def heads() -> set[str]:
    """The head revisions of every branch shipped with this version."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current(connection: Connection) -> set[str]:
    """The revisions the database is at (empty for a new database)."""
    return set(MigrationContext.configure(connection).get_current_heads())


def upgrade(engine: Engine) -> None:
    """Bring the database to ``heads``; cheap when it is already there."""
    try:
        with engine.connect() as conn:
            if current(conn) == heads():
                return
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "heads")
    except SQLAlchemyError as exc:  # unreachable server, bad credentials, locked file …
        raise StorageError(f"cannot open or migrate the database: {short_reason(exc)}") from exc


def short_reason(exc: SQLAlchemyError) -> str:
    """The driver's own message, first line only: the user needs the cause, not SQLAlchemy's wrapping."""
    orig = getattr(exc, "orig", None)
    lines = [line.strip() for line in str(orig or exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
