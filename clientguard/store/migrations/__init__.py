"""Alembic migrations of the clientguard database (run by ``clientguard.store.migrate``)."""
