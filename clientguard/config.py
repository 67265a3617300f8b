"""Settings in one table: name, default, environment variable and help.

The CLI options, the README and the tests all read this table, so a setting cannot be
added without being documented.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    env: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "", "CLIENTGUARD_DB",
            "SQLAlchemy URL of the database; empty means a SQLite file in the data dir"),
    Setting("data_dir", "", "CLIENTGUARD_HOME",
            "where the default database and exports live; empty means the platform's user data dir"),
    Setting("tz", "Europe/Moscow", "CLIENTGUARD_TZ",
            "time zone for exports that carry only local time"),
    Setting("lang", "", "CLIENTGUARD_LANG",
            "interface language ru|en; empty means from the locale"),
    Setting("rules_cache", "", "CLIENTGUARD_RULES_CACHE",
            "where compiled rule sets are cached (no personal data); empty means the platform's"
            " user cache dir, 'off' disables the cache"),
    Setting("nlp_layers", "rules,stat,toxicity", "CLIENTGUARD_NLP_LAYERS",
            "message-signal layers to run"),
)


def get(name: str) -> str:
    """The value of a setting: environment first, then the default.

    A time zone is checked where it is read: ``CLIENTGUARD_TZ=Mars/Base`` ended ``clients``
    (and every command that prints a time) in a ZoneInfoNotFoundError traceback; it is
    one E200 line naming the variable (QA6 CLI N17).
    """
    for s in SETTINGS:
        if s.name == name:
            value = os.environ.get(s.env, s.default)
            if name == "tz":
                if not value.strip():  # CLIENTGUARD_TZ= (set, empty): the default, as for the others
                    return s.default
                if value != s.default:
                    _check_zone(value, s.env)
            return value
    raise KeyError(name)


def _check_zone(value: str, env: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from clientguard.errors import ConfigError, msg

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(msg("settings.time_zone", env=env, value=value)) from exc


def data_dir() -> Path:
    configured = get("data_dir")
    path = Path(configured) if configured else user_data_path("clientguard", appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_url(explicit: str | None = None) -> str:
    """The database URL: ``--db`` beats ``CLIENTGUARD_DB`` beats the default SQLite file."""
    if explicit:
        return explicit
    configured = get("db")
    if configured:
        return configured
    return f"sqlite:///{data_dir() / 'clientguard.sqlite3'}"


def ui_lang(explicit: str | None = None) -> str:
    """Interface language: explicit, then setting, then the locale (Russian first)."""
    if explicit in ("ru", "en"):
        return explicit
    configured = get("lang")
    if configured in ("ru", "en"):
        return configured
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "en" if loc.lower().startswith("en") else "ru"
