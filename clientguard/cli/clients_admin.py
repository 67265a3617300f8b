"""``clientguard clients rename|merge|move-chat|forget``: managing clients.

Each change is one transaction with its record on the evidence log
(:mod:`clientguard.store.lifecycle`, :mod:`clientguard.evidence.closing`), so
``evidence verify`` stays green after it. On a team database merging and forgetting are
the owner's (``--as``; :mod:`clientguard.cli._actor`). ``forget`` shows what it will delete
and asks first (``--yes`` skips the question).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.cli._actor import AsOption, actor
from clientguard.cli._console import LangOption, Texts, texts
from clientguard.cli.import_ import DbOption

if TYPE_CHECKING:
    from clientguard.store.lifecycle import Counts

def _counts(say: Texts, counts: Counts, leave_out: tuple[str, ...] = ()) -> list[str]:
    from clientguard.evidence.closing import COUNT_KEYS  # the order an erasure names them in

    values = counts.as_dict()
    return [
        say("count_line", what=say(f"n_{k}"), n=values[k])
        for k in COUNT_KEYS
        if values.get(k) and k not in leave_out
    ]


def register_admin(clients: typer.Typer) -> None:
    """Add the subcommands to the ``clients`` group (:mod:`clientguard.cli.clients`)."""

    @clients.command("rename")
    def rename(
        old: Annotated[str, typer.Argument(help="The client's name now.")],
        new: Annotated[str, typer.Argument(help="The new name.")],
        as_name: AsOption = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Rename a client; the old name keeps finding it (import --client, case files)."""
        from clientguard.store import open_store
        from clientguard.store.lifecycle import rename as do_rename
        from clientguard.web.auth import RENAME_ROLES  # who may: the web's forms ask the same

        with open_store(db, must_exist=True) as store:
            by = actor(store, as_name, RENAME_ROLES, (old,))
            done = do_rename(store, old, new, by)
        typer.echo(texts("clients_cli", lang)("renamed", old=done.old, new=done.new))

    @clients.command("move-chat")
    def move_chat(
        chat: Annotated[
            str, typer.Argument(help="The chat: its title, or its id (#12; see `messages --json`).")
        ],
        into: Annotated[str, typer.Argument(help="The client it belongs to.")],
        as_name: AsOption = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Move a chat filed under the wrong client to the right one (its messages go with it)."""
        from clientguard.store import open_store
        from clientguard.store.lifecycle import chat_owner
        from clientguard.store.lifecycle import move_chat as do_move
        from clientguard.web.auth import RENAME_ROLES

        with open_store(db, must_exist=True) as store:
            owner = chat_owner(store, chat)
            involved = (into,) if owner is None else (owner, into)
            by = actor(store, as_name, RENAME_ROLES, involved)
            done = do_move(store, chat, into, by)
        say = texts("clients_cli", lang)
        typer.echo(
            say(
                "moved",
                chat=done.title,
                id=done.conversation_id,
                messages=say.count(done.messages, "message"),
                old=done.from_client or "—",
                new=done.into,
            )
        )
        if done.contacts:
            # "1 people who wrote only in it": the English count needs its noun's form
            people = say.count(done.contacts, "person")
            typer.echo(say("moved_people", people=people, new=done.into))

    @clients.command("merge")
    def merge(
        src: Annotated[
            str, typer.Argument(metavar="FROM", help="The client that goes (its name stays an alias).")
        ],
        into: Annotated[str, typer.Argument(help="The client that stays.")],
        renumber: Annotated[
            bool,
            typer.Option(
                "--renumber",
                help="FROM's invoices whose number INTO has too get a suffix (1 → 1-merged), logged.",
            ),
        ] = False,
        as_name: AsOption = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Merge two clients that are one customer: one profile, one risk, one set of records.

        Chats, notes, contracts, invoices, payments and time entries of FROM become INTO's;
        contacts stay separate people. When both have contract terms, INTO's stay. Two
        invoices with one number refuse the merge unless --renumber (or `invoice renumber`
        first). Owners only on a team database (--as).
        """
        from clientguard.store import open_store
        from clientguard.store.lifecycle import merge as do_merge
        from clientguard.web.auth import CLOSE_ROLES

        with open_store(db, must_exist=True) as store:
            by = actor(store, as_name, CLOSE_ROLES, (src, into))
            done = do_merge(store, src, into, by, renumber=renumber)
        say = texts("clients_cli", lang)
        typer.echo(say("merged", old=done.from_client, new=done.into))
        for old, new in done.renumbered:  # a voided one says so: the list is read as money
            line = "renumbered_voided" if new in done.renumbered_voided else "renumbered"
            typer.echo(say(line, old=old, new=new, client=done.from_client, into=done.into))
        for line in _counts(say, done.counts, leave_out=("files",)):  # files are not the client's rows
            typer.echo(line)
        if done.dropped_terms:
            typer.echo(say("terms_dropped", old=done.from_client, new=done.into))
        typer.echo(say("merged_alias", old=done.from_client, new=done.into))

    @clients.command("forget")
    def forget(
        name: Annotated[str, typer.Argument(help="The client to erase.")],
        reason: Annotated[
            str, typer.Option("--reason", help="Why (kept in the evidence log: no personal data here).")
        ],
        yes: Annotated[bool, typer.Option("--yes", help="Erase without asking.")] = False,
        as_name: AsOption = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Erase a client: messages, contacts, notes, invoices and everything else stored of it.

        Shows the counts and asks first. The evidence log keeps hashes, counts, who and
        why, and records the erasure, so `evidence verify` reads it as erased, not as
        tampering. It cannot be undone. Owners only on a team database (--as).
        """
        from clientguard.store import open_store
        from clientguard.store.lifecycle import client_counts
        from clientguard.store.lifecycle import forget as do_forget
        from clientguard.web.auth import CLOSE_ROLES

        say = texts("clients_cli", lang)
        with open_store(db, must_exist=True) as store:
            stored, held = client_counts(store, name)
            by = actor(store, as_name, CLOSE_ROLES, (stored,))
            typer.echo(say("forget_what", name=stored))
            for line in _counts(say, held):
                typer.echo(line)
            typer.echo(say("forget_kept", reason=" ".join(reason.split())))
            if not yes and not typer.confirm(say("forget_ask", name=stored), default=False):
                typer.echo(say("forget_aborted"))
                raise typer.Exit(1)
            done = do_forget(store, name, reason, by)
            removed = _forget_caches(store, done.sha256)
        typer.echo(say("forgotten", name=done.name))
        if removed:
            typer.echo(say("forget_uploads", n=removed))
        if done.paths:
            typer.echo(say("forget_files", paths=", ".join(done.paths)))
            typer.echo(say("forget_reimport"))


def _forget_caches(store: object, sha256: tuple[str, ...]) -> int:
    """Remove what the dashboard keeps on disk of an erased client; returns the uploads removed.

    Dashboard uploads are kept under the data folder (``uploads/<job>/<file>``): the ones
    whose content is a file the erased client's messages came from go. The profile cache
    (``cache/``, beside the uploads) names files by a hash that does not say whose profile
    each holds, so all of it goes; the dashboard recomputes profiles when they are opened.
    """
    from clientguard import config

    root = config.data_dir()
    wanted = set(sha256)
    removed = 0
    uploads = root / "uploads"
    if wanted and uploads.is_dir():
        for path in sorted(uploads.rglob("*")):
            if path.is_file() and _sha256(path) in wanted:
                path.unlink(missing_ok=True)
                removed += 1
    cache = root / "cache"
    if cache.is_dir():
        for path in cache.glob("profile-*"):
            path.unlink(missing_ok=True)
    return removed


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
