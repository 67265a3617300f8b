"""Settings of the dashboard: one (name, default, env, help) table, like ``clientguard.config``.

Kept here rather than in the shared ``config.py`` because only the web part reads them;
secrets come from the environment only (or a generated file in the data dir, 0600),
never from command-line options that would show up in ``ps``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from clientguard import config
from clientguard.config import Setting

WEB_SETTINGS: tuple[Setting, ...] = (
    Setting("max_upload_mb", "200", "CLIENTGUARD_MAX_UPLOAD_MB", "largest accepted upload, in megabytes"),
    Setting(
        "redis",
        "redis://127.0.0.1:6379/0",
        "CLIENTGUARD_REDIS",
        "Redis URL for the job queue and the login rate limit (team mode)",
    ),
    Setting(
        "secret",
        "",
        "CLIENTGUARD_SECRET",
        "key signing session cookies; empty means generated once and kept in the data dir",
    ),
    Setting(
        "login_per_minute",
        "5",
        "CLIENTGUARD_LOGIN_PER_MINUTE",
        "login attempts (right or wrong) allowed per IP and user name per minute",
    ),
    Setting(
        "allowed_hosts",
        "127.0.0.1,localhost,::1",
        "CLIENTGUARD_ALLOWED_HOSTS",
        "Host headers the dashboard answers (comma-separated; blocks DNS rebinding); * allows any",
    ),
    Setting(
        "cookie_secure",
        "",
        "CLIENTGUARD_COOKIE_SECURE",
        "1 marks cookies Secure (set it when the dashboard is served over HTTPS)",
    ),
)


def get(name: str) -> str:
    for s in WEB_SETTINGS:
        if s.name == name:
            return os.environ.get(s.env, s.default)
    raise KeyError(name)


def secret_key() -> str:
    """``CLIENTGUARD_SECRET`` or a random key stored once in ``<data dir>/web_secret`` (0600)."""
    value = get("secret")
    if value:
        return value
    path = config.data_dir() / "web_secret"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


@dataclass(frozen=True)
class WebConfig:
    """Everything the app needs, decided once at start-up (no I/O in the app factory)."""

    db_url: str
    team: bool = False
    max_upload_bytes: int = 200 * 1024 * 1024
    redis_url: str | None = None
    secret: str = ""
    upload_dir: Path | None = None
    login_per_minute: int = 5
    cookie_secure: bool = False
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")

    @classmethod
    def from_env(cls, db: str | None = None, team: bool = False, host: str | None = None) -> WebConfig:
        hosts = [h.strip() for h in get("allowed_hosts").split(",") if h.strip()]
        if host and host not in ("0.0.0.0", "::") and host not in hosts:
            hosts.append(host)
        return cls(
            db_url=config.db_url(db),
            team=team,
            max_upload_bytes=int(float(get("max_upload_mb")) * 1024 * 1024),
            redis_url=get("redis") if team else None,
            secret=secret_key(),
            upload_dir=config.data_dir() / "uploads",
            login_per_minute=int(get("login_per_minute")),
            cookie_secure=get("cookie_secure") == "1",
            allowed_hosts=tuple(hosts),
        )
