"""The web dashboard: ``clientguard serve`` (FastAPI, server-rendered Jinja2, vendored HTMX).

Local mode (default) is single-user on SQLite with no login; team mode (``--team``) runs
on PostgreSQL with users, roles, per-client access, sessions, CSRF and background
imports on Redis/rq. :func:`clientguard.web.app.create_app` builds the application.
"""
