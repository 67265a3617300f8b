"""Reuse the store fixtures: the contracts tables are tested on SQLite and PostgreSQL."""

from tests.store.conftest import db_url, pg_schema_url, store

__all__ = ["db_url", "pg_schema_url", "store"]
