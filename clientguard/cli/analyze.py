"""``clientguard analyze [PATH]``: import, analyse, and print or write the client profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clientguard.cli._refused import OptionRefused
from clientguard.errors import msg

#: What ``analyze --client NAME`` says for a client that exists but has no message yet.
_NO_MESSAGES = {
    "ru": (
        "У клиента {quoted} пока нет сохранённых сообщений, профиль строить не по чему. "
        'Сначала импортируйте переписку: clientguard import ФАЙЛ --client "{name}"'
    ),
    "en": (
        "Client {quoted} has no stored messages yet, so there is nothing to profile. "
        'Import a chat first: clientguard import FILE --client "{name}"'
    ),
}


#: What ``analyze FILE`` says about identities its import saved as the user's (QA F20):
#: the import keeps who the user is in the chat, and a guess kept silently made that
#: person "you" in every later import, also in chats where they are the client.
_SAVED_ME = {
    "ru": {
        "guess": (
            "Сохранено как вы: {who} — это догадка, файл не говорит, кто из участников вы. "
            "Во всех следующих импортах сообщения {who} будут считаться вашими. "
            "Если это не вы: {undo}"
        ),
        "named": "Сохранено как вы: {who} — из --me или файла дела. Убрать: {undo}",
        "before": " До этого вы были сохранены как: {known}.",
        "owner": "Сохранено как вы: {who} — владелец аккаунта, как его называет экспорт.",
    },
    "en": {
        "guess": (
            "Saved as you: {who} — a guess, the file does not say which participant you are. "
            "In every later import, messages from {who} will count as yours. "
            "If that is not you: {undo}"
        ),
        "named": "Saved as you: {who} — from --me or the case file. Undo: {undo}",
        "before": " Saved as you before this: {known}.",
        "owner": "Saved as you: {who} — the account owner, as the export names them.",
    },
}


def _my_identities(db: str | None) -> set[tuple[str, str]]:
    """The user's saved identities as (platform, value) pairs."""
    from clientguard.store import open_store

    with open_store(db) as store:
        return {(i.platform, i.value) for i in store.me()}


def _tell_saved_identities(
    before: set[tuple[str, str]], db: str | None, named: set[str], lang: str, as_json: bool
) -> None:
    """Say which identities the run saved as the user's, why, and how to undo a guess.

    ``named`` are the ones the user gave (``--me``, the case file); one saved under a
    platform came from a full-account export naming its owner; any other is the guess of
    who the specialist is. Printed to stderr with ``--json``, so the JSON stays clean.
    """
    import shlex

    from clientguard.cli._console import console, err_console
    from clientguard.report.i18n import quote
    from clientguard.store import open_store

    with open_store(db) as store:
        new = [(p, v) for p, v in ((i.platform, i.value) for i in store.me()) if (p, v) not in before]
        if not new:
            return
        names = store.sender_names({v for _, v in new})
    owners = {v for p, v in new if p}
    out = err_console() if as_json else console()
    texts = _SAVED_ME[lang]
    # A guess beside identities the user had already saved may be the wrong person: name
    # those, so a chat where the user wrote first (and was taken for the client) shows.
    known = ", ".join(quote(v, lang) for v in sorted({v for _, v in before}))
    for value in dict.fromkeys(v for _, v in new):
        name = names.get(value)
        who = quote(value, lang) + (f" ({name})" if name and name != value else "")
        kind = "owner" if value in owners else "named" if value in named else "guess"
        text = texts[kind].format(who=who, undo=f"clientguard me remove {shlex.quote(value)}")
        if kind == "guess" and known:
            text += texts["before"].format(known=known)
        out.print(text, markup=False, highlight=False)


def _nothing_stored(
    client: str | None, case: Path | None, db: str | None, lang: str | None, as_json: bool
) -> bool:
    """Re-profiling a stored client: an unknown name is an error naming the close stored
    names; a known client without messages gets one plain line instead of an empty
    profile (with ``--json``: the line on stderr, a small object with ``"profile": null``
    on stdout). True when there is nothing to profile."""
    from clientguard import config
    from clientguard.report.i18n import quote
    from clientguard.store import open_store
    from clientguard.store.lookup import find_client, has_messages, unknown_client

    name = client
    if not name and case is not None:
        from clientguard.analysis.case import load_case

        name = load_case(case).client.name
    if not name:
        return False  # the pipeline says what is missing
    with open_store(db, must_exist=True) as store, store.engine.connect() as conn:
        found = find_client(conn, name)
        if found is None:
            raise unknown_client(conn, name)
        if has_messages(conn, found[0]):
            return False
    ui = config.ui_lang(lang)
    typer.echo(_NO_MESSAGES[ui].format(name=found[1], quoted=quote(found[1], ui)), err=as_json)
    if as_json:
        # A script reading stdout gets an object saying why there is no profile, not an
        # empty stream that fails its JSON parser.
        import json

        typer.echo(json.dumps({"client": found[1], "messages": 0, "profile": None,
                               "reason": "no_messages"}, ensure_ascii=False))
    return True


def register(app: typer.Typer) -> None:
    @app.command("analyze")
    def analyze(
        path: Annotated[
            Path | None,
            typer.Argument(
                exists=True,
                help="A chat export (file or folder); leave out to re-profile a stored --client.",
            ),
        ] = None,
        case: Annotated[Path | None, typer.Option("--case", help="Case file (JSON or YAML).")] = None,
        client: Annotated[
            str | None, typer.Option("--client", help="Which client/conversation to analyse.")
        ] = None,
        only_file: Annotated[
            bool,
            typer.Option(
                "--only-file", help="Profile this file alone, not the client's whole stored history."
            ),
        ] = False,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the profile as one JSON object.")
        ] = False,
        html: Annotated[
            Path | None, typer.Option("--html", help="Write a self-contained HTML report.")
        ] = None,
        lang: Annotated[str | None, typer.Option("--lang", help="Interface language: ru or en.")] = None,
        db: Annotated[str | None, typer.Option("--db", help="Database URL (default: settings).")] = None,
        me: Annotated[list[str] | None, typer.Option("--me", help="Your own sender id (repeatable).")] = None,
    ) -> None:
        """Profile a client from all its stored history: archetypes, risk, trend, recommendation.

        With PATH the export is imported first; without it, --client (or the case file's
        client) is re-profiled from what is stored.
        """
        from clientguard.analysis.pipeline import run_analyze

        if lang is not None and lang not in ("ru", "en"):
            raise OptionRefused(msg("cli.ru_or_en", lang=lang), param_hint="--lang")
        if path is None and only_file:
            raise OptionRefused(msg("cli.only_file_needs_path"), param_hint="--only-file")
        if path is None and client is None and case is None:
            raise OptionRefused(msg("cli.path_or_client"))
        if path is None and _nothing_stored(client, case, db, lang, as_json):
            return
        before = _my_identities(db) if path is not None else None
        named = set(me or ())
        if before is not None and case is not None:
            from clientguard.analysis.case import load_case

            named |= load_case(case).me
        try:
            run_analyze(
                path,
                case_path=case,
                client=client,
                as_json=as_json,
                html=html,
                lang=lang,
                db=db,
                me=tuple(me or ()),
                only_file=only_file,
            )
        finally:
            # Also after a failure: the import may have been committed before it.
            if before is not None:
                from clientguard import config

                _tell_saved_identities(before, db, named, config.ui_lang(lang), as_json)
