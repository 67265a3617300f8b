"""``clientguard messages CLIENT [--since DATE] [--json]``: a client's messages in time order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from clientguard.cli._console import LangOption, texts
from clientguard.cli._dates import moment_option
from clientguard.cli.import_ import DbOption

if TYPE_CHECKING:
    from clientguard.store import Store
    from clientguard.store.records import StoredMessage

#: what `messages` prints for a message without a time: the dash `clients` shows, as wide as a time
_NO_TIME = "—".ljust(len("2025-09-01 10:00"))


def _parse_since(value: str | None) -> datetime | None:
    return moment_option(value, "--since")


def register(app: typer.Typer) -> None:
    @app.command("messages")
    def messages(
        client: Annotated[str, typer.Argument(help="Client name (see `clientguard clients`).")],
        since: Annotated[
            str | None, typer.Option("--since", help="Only from this date/time on (local time).")
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print JSON Lines, one message per line.")
        ] = False,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Print a client's messages, oldest first."""
        from zoneinfo import ZoneInfo

        from clientguard import config
        from clientguard.domain import Role
        from clientguard.store import open_store

        start = _parse_since(since)
        zone = ZoneInfo(config.get("tz"))
        say = texts("roles", lang)  # words only for the plain lines; JSON keeps the ids
        width = max(len(say(r.value)) for r in Role)
        timed = False  # whether a time was printed, so the zone it is in must be named
        with open_store(db, must_exist=True) as store:
            shown, copies = _distinct(store, client, start)
            for stored in shown:
                m = stored.message
                if as_json:
                    record: dict[str, Any] = {
                        "id": stored.id,
                        "conversation_id": stored.conversation_id,
                        "source_id": m.source_id,
                        "sender": m.sender.source_id,
                        "sender_name": m.sender.name,
                        "role": m.role.value,
                        "timestamp": m.timestamp.isoformat() if m.timestamp else None,
                        "text": m.text,
                        "reply_to": m.reply_to,
                        "edited": m.edited.isoformat() if m.edited else None,
                        "forwarded_from": m.forwarded_from,
                        "attachment": m.attachment.value,
                        "subject": m.subject,
                    }
                    typer.echo(json.dumps(record, ensure_ascii=False))
                else:
                    # an unknown time is "—" as in `clients`, padded so the columns stay aligned
                    ts = m.timestamp
                    when = ts.astimezone(zone).strftime("%Y-%m-%d %H:%M") if ts else _NO_TIME
                    timed = timed or ts is not None
                    kind = m.attachment.value
                    attachment = f" [{say.term('attachments', kind)}]" if kind != "none" else ""
                    name = m.sender.name or m.sender.source_id
                    typer.echo(f"{when}  {say(m.role.value):<{width}} {name}: {m.text}{attachment}")
        if copies and not as_json:
            typer.echo(texts("clients_cli", lang)("copies", n=copies), err=True)
        if timed:
            typer.echo(texts("clients_cli", lang)("times_in", zone=zone.key), err=True)


def _distinct(store: Store, client: str, start: datetime | None) -> tuple[Iterable[StoredMessage], int]:
    """The client's messages without the repeats of another export format of one chat, as
    ``analyze`` and ``clients`` count them (each message of a chat imported as Telegram JSON
    and HTML was listed twice); and how many were left out. A client with one conversation
    holds no copy: its messages are streamed as before."""
    from clientguard.analysis.history import client_conversations, distinct_stored

    if len(client_conversations(store, client)) < 2:
        return store.iter_messages(client, start), 0
    found = distinct_stored(store.iter_messages(client, start))
    return found.messages, found.duplicates
