"""Alembic environment: always called from :func:`clientguard.store.migrate.upgrade`.

The connection comes in ``config.attributes`` (no URL, no ini file); the target
metadata is the shared ``Base`` with every ``models_*.py`` module loaded.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from clientguard.store.migrate import load_models

target_metadata = load_models()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("clientguard migrations run through clientguard.store.migrate.upgrade()")
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
