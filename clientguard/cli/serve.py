"""``clientguard serve [--host] [--port] [--db] [--team]``: the dashboard (``--get PATH``: headless)."""

from __future__ import annotations

from typing import Annotated

import typer

from clientguard.cli.import_ import DbOption


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[
            str, typer.Option("--host", help="Address to listen on (loopback by default).")
        ] = "127.0.0.1",
        port: Annotated[
            int, typer.Option("--port", min=1, max=65535, help="Port to listen on (1-65535).")
        ] = 8000,
        team: Annotated[
            bool,
            typer.Option("--team", help="Team mode: logins, roles, per-client access (needs PostgreSQL)."),
        ] = False,
        workers: Annotated[
            int, typer.Option("--workers", min=1, max=64, help="Server processes (team mode).")
        ] = 1,
        get: Annotated[
            str | None, typer.Option("--get", help="Render one path without a server, print status and body.")
        ] = None,
        db: DbOption = None,
    ) -> None:
        """Open the dashboard: portfolio, client pages, uploads, presale and contract checks."""
        import importlib.util

        if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
            from clientguard.errors import ConfigError, msg

            raise ConfigError(msg("cli.web_extras"))
        from clientguard.web.settings import WebConfig

        cfg = WebConfig.from_env(db, team=team, host=host)
        if team and not cfg.db_url.startswith("postgresql"):
            from clientguard.cli._refused import OptionRefused
            from clientguard.errors import msg

            said = msg("cli.team_needs_postgres", scheme=cfg.db_url.split(":", 1)[0])
            raise OptionRefused(said, param_hint="--db")
        if get is not None:
            import warnings

            with warnings.catch_warnings():  # starlette's notice about httpx is not the user's concern
                warnings.simplefilter("ignore")
                from fastapi.testclient import TestClient

            from clientguard.web.app import create_app

            # A bug answers as the server would, with the 500 page and exit code 1, not a traceback.
            with TestClient(
                create_app(cfg), base_url="http://127.0.0.1", raise_server_exceptions=False
            ) as client:
                response = client.get(get)
            typer.echo(response.text)
            raise typer.Exit(0 if response.status_code < 400 else 1)
        import os

        import uvicorn

        os.environ["CLIENTGUARD_WEB_DB"] = cfg.db_url
        os.environ["CLIENTGUARD_WEB_TEAM"] = "1" if team else ""
        os.environ["CLIENTGUARD_ALLOWED_HOSTS"] = ",".join(cfg.allowed_hosts)
        typer.echo(
            f"clientguard: http://{host}:{port}/  ({'team' if team else 'local'} mode, {_safe(cfg.db_url)})"
        )
        if host in _WILDCARDS and set(cfg.allowed_hosts) <= set(_LOOPBACK):
            # QA7: colleagues opening http://<this machine>:port/ got a bare "Invalid host
            # header" and the line above named no address they could use.
            typer.echo(
                f"clientguard: other machines are refused until their address for this one is in "
                f"CLIENTGUARD_ALLOWED_HOSTS (now {', '.join(cfg.allowed_hosts)}), "
                f"e.g. CLIENTGUARD_ALLOWED_HOSTS=localhost,192.168.1.10,office-pc"
            )
        uvicorn.run(
            "clientguard.web.asgi:app",
            host=host,
            port=port,
            workers=workers,
            factory=False,
            log_level="warning",
            access_log=False,
            server_header=False,
        )


_WILDCARDS = ("0.0.0.0", "::")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _safe(url: str) -> str:
    """The URL without a password, for the start-up line."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
