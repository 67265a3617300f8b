"""``clientguard reply SITUATION --client NAME``: a reply draft filled with the case's facts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.cli._console import _check_lang, texts
from clientguard.cli._refused import OptionRefused
from clientguard.cli.import_ import DbOption
from clientguard.errors import msg

if TYPE_CHECKING:
    from clientguard.playbook.facts import ReplyFacts


def register(app: typer.Typer) -> None:
    @app.command("reply")
    def reply(
        situation: Annotated[
            str | None, typer.Argument(help="Situation id (see `clientguard reply --list`).")
        ] = None,
        client: Annotated[
            str | None, typer.Option("--client", help="Client name; facts come from the store.")
        ] = None,
        message: Annotated[
            str | None,
            typer.Option(
                "--message", help="Id of the client message to answer (#123, as `revisions` shows it)."
            ),
        ] = None,
        tone: Annotated[str, typer.Option("--tone", help="soft, neutral or firm.")] = "neutral",
        lang: Annotated[
            str | None,
            typer.Option(
                "--lang",
                callback=_check_lang,
                help="ru or en (default: the language the client writes in, else the interface language).",
            ),
        ] = None,
        fact: Annotated[
            list[str] | None,
            typer.Option("--fact", help="key=value, overrides the store (lists: a;b;c). Repeatable."),
        ] = None,
        list_: Annotated[bool, typer.Option("--list", help="List the situations and exit.")] = False,
        db: DbOption = None,
    ) -> None:
        """Print a ready-to-edit reply draft for a situation, in the chosen tone and language."""
        from clientguard import config
        from clientguard.playbook import all_situations, facts_from_strings, render_reply
        from clientguard.playbook.facts import ReplyFacts, parse_fact_options

        ui = config.ui_lang(lang)
        if list_:
            for s in all_situations():
                typer.echo(f"{s.id:<27} {s.title(ui)}")
            return
        if situation is None:
            raise OptionRefused(msg("cli.situation"))
        from clientguard.cli._dates import day as read_day
        from clientguard.cli._dates import moment as read_moment

        # dates as every date option reads them: 2025-11-15, 15.11.2025, 15/11/2025
        facts = facts_from_strings(parse_fact_options(fact or []), read_day, read_moment)
        draft = ui
        if client is not None:
            from clientguard.playbook.store_facts import client_language, facts_from_store
            from clientguard.store import open_store

            with open_store(db, must_exist=True) as store:  # a draft only reads the store
                message_id = None if message is None else _message_id(message, client, db)
                facts = facts.with_defaults(facts_from_store(store, client, message_id, facts.invoice_id))
                if lang is None:  # the draft is the client's to read: in the language they write
                    draft = client_language(store, client) or ui
            if draft != ui:
                typer.echo(texts("reply_cli", ui)(f"draft_in_{draft}"), err=True)
            if situation == REVISIONS_SITUATION and facts.revision_count is None:
                facts = facts.with_defaults(_revision_facts(client, db, draft))
        elif message is not None:
            raise OptionRefused(msg("cli.message_needs_client"))
        else:
            facts = facts.with_defaults(ReplyFacts())
        if facts.currency is None:
            # a sum with no currency from the store or --fact was roubles ("450 RUB" to a
            # London client): the locale country's currency, as `invoice add` takes it
            from clientguard.cli.invoice import locale_currency

            facts = facts.with_defaults(ReplyFacts(currency=locale_currency()))
        typer.echo(render_reply(situation, facts, tone, draft), nl=False)


def _message_id(ref: str, client: str, db: str | None) -> int:
    """The database id a message reference means: ``#123`` or ``123`` as ``revisions`` and
    ``messages --json`` show it, or the export's id as ``analyze --json`` has it (``w7bb…``).

    ``revisions`` used to show the export's id, which this option refused: one reference
    for a message across commands. Digits are always the database id (Telegram's own message
    numbers repeat across chats, so they could not name one message anyway).
    """
    bare = ref.strip().removeprefix("#")
    if bare.isdigit():
        return int(bare)
    from clientguard.contracts.revisions import stored_message_ids

    found = stored_message_ids(client, db).get(bare)
    if found is None:
        raise OptionRefused(msg("cli.no_message", ref=ref, client=client), param_hint="--message")
    return found


#: The situation whose draft names the deliverable and its round count.
REVISIONS_SITUATION = "revision_limit_reached"


def _revision_facts(client: str, db: str | None, lang: str) -> ReplyFacts:
    """The deliverable over its limit and its rounds, as ``clientguard revisions`` counts them.

    Only this situation pays for the profile (its message signals): the other drafts
    need no revision count.
    """
    from clientguard.contracts.revisions import client_revisions
    from clientguard.errors import ClientguardError
    from clientguard.playbook.facts import ReplyFacts
    from clientguard.playbook.store_facts import revision_facts

    try:
        rows = client_revisions(client, db=db).deliverables
    except ClientguardError:  # no messages yet, nothing to count: the draft stays general
        return ReplyFacts()
    return ReplyFacts(**revision_facts(rows, lang))
