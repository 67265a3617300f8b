"""The main job end to end: case → read (and store) → history → label → profile → outputs.

``analyze_path`` is the importable library call for a file, ``analyze_client`` for a
stored client without a file; ``run_analyze`` adds the outputs of the CLI (Rich
summary, ``--json``, ``--html``), so the Typer command stays a thin wrapper.

A profile covers everything stored for the client (issue #4), because a client is one
relationship however many exports and chats it arrived in; see :mod:`.history` for how
the stored conversations become one message stream. Message signals of stored messages
are recomputed on every run rather than cached: about 7k messages/s on one core, and
nothing can go stale when the rules or models change.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from clientguard.analysis.calls import calls_from_events
from clientguard.analysis.case import CaseFile, load_case
from clientguard.analysis.history import (
    History,
    assemble,
    client_conversations,
    conversation_client,
    me_matcher,
    stored_calls,
    stored_count,
)
from clientguard.analysis.model import ClientProfile
from clientguard.analysis.parallel import Background
from clientguard.analysis.profile import build_profile
from clientguard.analysis.source import label, read_chat
from clientguard.analysis.stored import base_case, remember_case, with_stored_records
from clientguard.domain import Message, Role
from clientguard.errors import ConfigError

if TYPE_CHECKING:
    from clientguard.ingest.base import ParsedConversation, ReadContext
    from clientguard.ingest.notices import Notice
    from clientguard.store import Store
    from clientguard.store.importer import Reader
    from clientguard.store.people import MeMatcher
    from clientguard.store.records import MovedChat

__all__ = ["AnalyzeResult", "analyze_client", "analyze_path", "remember_case", "run_analyze"]


@dataclass(frozen=True)
class AnalyzeResult:
    """A profile with the case it was built on, what happened to the store, what it covers.

    ``history`` is None when the profile covers the file alone (``only_file``, no store).
    """

    profile: ClientProfile
    case: CaseFile
    stored: tuple[int, int] | None
    timings: dict[str, float] = field(default_factory=dict)
    history: History | None = None
    moved: tuple[MovedChat, ...] = ()
    #: the importers' notices on the file (``analyze FILE``; none for a stored client)
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class Imported:
    """What :func:`store_import` did: messages added / already stored, and whose they are."""

    added: int
    existing: int
    client: str
    #: the chat moved from another client by ``--client`` (said like ``import`` says it)
    moved: tuple[MovedChat, ...] = ()


def store_import(
    path: Path,
    db: str | None,
    client: str,
    me: Sequence[str],
    tz: str,
    case: CaseFile | None = None,
    source_key: str | None = None,
    assume: Sequence[str] = (),
) -> Imported:
    """Import the analysed conversation of ``path`` into the store (idempotent).

    ``me`` are the specialist's sender keys as analysis resolved them, so the stored
    roles agree with the profile; ``assume`` are more of them, guessed without evidence,
    that count as the user's in this import only (``store.import_parties.weigh_guess``).
    Only the conversation with ``source_key`` is stored
    (a full-account export holds hundreds of chats, and ``client`` names only this
    one's client); without ``client`` the store keeps the client it already assigned
    the conversation to, or picks one as ``clientguard import`` does. A case file's
    contract terms and invoices are kept too (see :func:`remember_case`).
    """
    from clientguard.store import open_store

    with open_store(db) as store:
        client = _stored_spelling(store, client)
        summary = store.import_paths(
            [path], client=client or None, me=tuple(me), tz=tz, reader=_only(source_key),
            assume_me=tuple(assume),
        )  # fmt: skip
        name = (conversation_client(store, source_key) if source_key else None) or client
        if not name and len(summary.clients) == 1:
            # a table or mail file stored before from another path went to that conversation
            # (store.import_keys), which keeps its own key: its client is the run's one client
            from sqlalchemy import select

            from clientguard.store.models import ClientRow

            with store.engine.connect() as conn:
                found = conn.scalar(select(ClientRow.name).where(ClientRow.id == summary.clients[0]))
            name = str(found or "")
        if case is not None and name:
            remember_case(store, name, case)
    return Imported(summary.messages_added, summary.messages_existing, name, tuple(summary.moved))


def _saved_me(db: str | None) -> MeMatcher:
    """The identities the user saved (``me add``, earlier runs): who the specialist is."""
    from clientguard.store import open_store
    from clientguard.store.people import MeMatcher

    found = MeMatcher()
    with open_store(db) as store:
        for ident in store.me():
            found.add(ident.platform, ident.value)
    return found


def _stored_spelling(store: Store, client: str) -> str:
    """The stored name of ``client`` when one differs only in case ("игорь" → "Игорь").

    The importer matches names exactly; without this, ``--client игорь`` would start a
    second client and split the history in two.
    """
    if not client:
        return client
    from clientguard.store.lookup import find_client

    with store.engine.connect() as conn:
        found = find_client(conn, client)
    return client if found is None else found[1]


def _only(source_key: str | None) -> Reader | None:
    """An importer reader that yields just the conversation ``source_key`` (None: all)."""
    if source_key is None:
        return None
    from clientguard.ingest import read_path

    def read(path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
        for parsed in read_path(path, ctx):
            if parsed.conversation.source_key == source_key:
                yield parsed

    return read


def _specialist_known(case: CaseFile) -> CaseFile:
    """The case without "specialist identified automatically" among its assumed defaults:
    the user named themselves, so the report must not say the specialist was guessed
    (QA6 CLI N7)."""
    return case.model_copy(update={"assumed": tuple(a for a in case.assumed if a != "specialist_from_id")})


def _is_mine(mine: MeMatcher, m: Message) -> bool:
    """Whether one of the user's identities (on any platform) names the sender of ``m``."""
    platforms = {""} | {p for p, _ in mine.by_platform}
    return any(mine.matches(p, m.sender) for p in platforms)


def _named(case: CaseFile, name: str) -> CaseFile:
    return case.model_copy(update={"client": case.client.model_copy(update={"name": name})})


def _stopwatch(timings: dict[str, float]) -> Callable[[str], None]:
    """``lap(stage)`` records the seconds since the previous lap under ``stage``."""
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now_ = time.perf_counter()
        timings[stage] = round(now_ - clock, 3)
        clock = now_

    return lap


def _start_case(case_path: Path | None, client: str | None, me: tuple[str, ...]) -> CaseFile:
    """The case file (or the defaults for ``client``), with the ``--me`` identities added."""
    case = load_case(case_path) if case_path else base_case(client or "")
    return case.with_me(me) if me else case


def analyze_path(
    path: Path,
    case_path: Path | None = None,
    client: str | None = None,
    me: tuple[str, ...] = (),
    db: str | None = None,
    now: datetime | None = None,
    store: bool = True,
    only_file: bool = False,
) -> AnalyzeResult:
    """Import the conversation of ``path`` and profile its client from all stored history.

    The file's messages are labelled while the store import runs beside them; then the
    client's other stored messages (earlier exports, other conversations) are read,
    labelled and profiled together with the file's. ``only_file`` (or ``store=False``)
    profiles the file's conversation alone, under the case file as it is.
    """
    timings: dict[str, float] = {}
    lap = _stopwatch(timings)
    case = _start_case(case_path, client, me)
    chat = read_chat(path, case, client, _saved_me(db) if store else None)
    if chat.me_known:  # --me, the case, the export's owner or a saved identity named the user
        case = _specialist_known(case)
    lap("read")
    background: Background[Imported] | None = None
    specialist = sorted({m.sender.source_id for m in chat.messages if m.role is Role.SPECIALIST})
    assumed: tuple[str, ...] = ()
    notices = chat.notices
    if not chat.me_known:  # a guess: save only the one participant the messages point at
        from collections import Counter

        from clientguard.store.import_parties import weigh_guess

        guessed = Counter(m.sender.source_id for m in chat.messages if m.role is Role.SPECIALIST)
        guess = weigh_guess(str(path), guessed)
        specialist, assumed = list(guess.saved), guess.assumed
        notices += (guess.notice,) if guess.notice is not None and store else ()
    if store:
        # The store import runs beside the analysis (in a child on big chats): both are CPU-bound.
        background = Background(
            store_import,
            path,
            db,
            client or case.client.name,
            specialist,
            case.timezone,
            case if case_path else None,
            chat.source_key,
            assumed,
            size=len(chat.messages),
        )
    messages, source = label(chat.messages)
    lap("message signals")
    stored: tuple[int, int] | None = None
    moved: tuple[MovedChat, ...] = ()
    history: History | None = None
    name = client or case.client.name or chat.title or ""
    client_stored = False  # whether the store holds the client whose history to read
    if background is not None:
        imported = background.result()
        stored = (imported.added, imported.existing)
        moved = imported.moved
        name = imported.client or name
        client_stored = bool(imported.client)
        lap("store (waited)")
    case = _named(case, name)
    calls = calls_from_events(chat.events)  # the file's own; the stored ones replace them below
    if client_stored and not only_file:
        from clientguard.store import open_store

        with open_store(db) as st:
            case = with_stored_records(case, st, name)
            # Every message of the file is stored now; when the client has no other, the
            # history IS the file and reading it back would only cost time.
            alone = stored_count(st, name) == len({m.source_id for m in chat.messages})
            convs = client_conversations(st, name)
            mine = me_matcher(st, case, specialist)
            found = assemble(
                convs,
                () if alone else st.iter_messages(name),
                case,
                mine,
                anchor=chat.source_key,
                file_messages=chat.messages,
            )
            calls = stored_calls(st, name, convs, mine)  # the file's calls are stored too
        lap("history (read)")
        more, _ = label(found.messages) if found.messages else ([], source)
        messages += more
        lap("history signals")
        history = History(name, found.conversations, len(messages), len(more), found.duplicates)
    profile = build_profile(messages, case, now=now, label_source=source, calls=calls)
    lap("profile")
    return AnalyzeResult(profile, case, stored, timings, history, moved, notices)


def analyze_client(
    client: str | None,
    case_path: Path | None = None,
    me: tuple[str, ...] = (),
    db: str | None = None,
    now: datetime | None = None,
) -> AnalyzeResult:
    """Re-profile a stored client from all of its stored history (no file to read).

    The client is ``client`` or, failing that, the one the case file names. A case
    file's terms and invoices are kept in the store first, as :func:`analyze_path` does.
    """
    from clientguard.store import open_store

    timings: dict[str, float] = {}
    lap = _stopwatch(timings)
    case = _start_case(case_path, client, me)
    wanted = client or case.client.name
    if not wanted:
        raise ConfigError("expected a chat export (PATH) or a stored client (--client NAME)")
    with open_store(db, must_exist=True) as st:
        convs = client_conversations(st, wanted)  # NotFoundError names `clientguard clients`
        name = st.client(wanted).name
        if case_path:
            remember_case(st, name, case)
        case = with_stored_records(_named(case, name), st, name)
        mine = me_matcher(st, case)
        found = assemble(convs, st.iter_messages(name), case, mine)
        calls = stored_calls(st, name, convs, mine)
    if any(m.role is Role.SPECIALIST and _is_mine(mine, m) for m in found.messages):
        case = _specialist_known(case)
    lap("history (read)")
    messages, source = label(found.messages)
    lap("message signals")
    profile = build_profile(messages, case, now=now, label_source=source, calls=calls)
    lap("profile")
    history = History(name, found.conversations, len(messages), len(messages), found.duplicates)
    return AnalyzeResult(profile, case, None, timings, history)


def run_analyze(
    path: Path | None,
    case_path: Path | None,
    client: str | None,
    as_json: bool,
    html: Path | None,
    lang: str | None,
    db: str | None,
    me: tuple[str, ...],
    only_file: bool = False,
) -> None:
    """What ``clientguard analyze`` does: analyse, then print and/or write the outputs.

    With ``path`` the file is imported and the client profiled from all its stored
    history (the file alone with ``only_file``); without, the stored ``client`` is
    re-profiled.
    """
    from clientguard import config
    from clientguard.cli._console import console, print_notices

    ui = config.ui_lang(lang)
    if html is not None:
        from clientguard.outfile import check_target

        check_target(html)  # before the import: a bad report path must not follow a stored chat
    if path is None:
        if only_file:
            raise ConfigError("--only-file needs a chat export (PATH)")
        result = analyze_client(client, case_path, me, db)
    else:
        result = analyze_path(path, case_path, client, me, db, only_file=only_file)
    replies = fitting_replies(result.profile, ui)
    if html is not None:
        from clientguard.report import write_html

        write_html(result.profile, html, ui, result.case)
    if as_json:
        from clientguard.analysis.export import profile_to_dict

        data = profile_to_dict(result.profile, ui)
        data["replies"] = [{"situation": sid, "title": title} for sid, title in replies]
        data["notices"] = [n.to_json() for n in result.notices]
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return
    from clientguard.report.console import print_summary
    from clientguard.report.i18n import fill, t

    print_summary(result.profile, console(), ui)
    if replies:
        head = t("ui", "fitting_replies", ui)
        console().print(f"\n[bold]{head}[/] (clientguard reply SITUATION --client …)", highlight=False)
        for sid, title in replies:
            console().print(f"  • {title} [dim]{sid}[/]", highlight=False)
    if result.stored is not None:
        added, existing = result.stored
        console().print(f"[dim]{t('ui', 'stored', ui).format(new=added, old=existing)}[/]", highlight=False)
    for m in result.moved:  # --client named another client than the chat's: say so (QA6 CLI N13)
        import shlex

        undo = f"clientguard import {shlex.quote(m.file or '…')} --client {shlex.quote(m.from_client)}"
        moved = t("import_cli", "moved", ui)
        line = fill(moved, ui, chat=m.chat, old=m.from_client, new=m.to_client, undo=undo)
        console().print(line, style="yellow", highlight=False, markup=False, soft_wrap=True)
    print_notices(result.notices, ui)
    h = result.history
    if h is not None:
        line = t("ui", "history", ui).format(messages=h.messages, conversations=h.conversations)
        if h.duplicates:
            line += " " + t("ui", "history_copies", ui).format(n=h.duplicates)
        if path is not None:
            line += " " + t("ui", "history_hint", ui)
        console().print(f"[dim]{line}[/]", highlight=False)
    elif path is not None and result.stored is not None:
        console().print(f"[dim]{t('ui', 'only_file', ui)}[/]", highlight=False)
    if html is not None:  # "HTML: path" told no one what to do with it; a path may hold "[x]"
        line = t("ui", "html_written", ui).replace("{path}", str(html))
        console().print(line, highlight=False, markup=False, soft_wrap=True)  # the path not cut


def fitting_replies(profile: ClientProfile, lang: str) -> list[tuple[str, str]]:
    """The reply drafts that fit the recommendation, as (situation id, title) pairs.

    The playbook comes after analysis in the data flow, so this orchestration layer,
    not the profile builder, asks it which replies serve the action and the signals.
    """
    from clientguard.playbook.situations import get_situation, replies_for_profile

    signals = [s for s, n in profile.message_signals.items() if n > 0]
    signals += [s.id for s in profile.conversation_signals if s.count > 0]
    overdue = [i.days_overdue for i in profile.invoices if i.days_overdue > 0]
    limit_known = profile.revision_limit is not None or any(r.limit is not None for r in profile.revisions)
    ids = replies_for_profile(profile.recommendation.action, signals, overdue, limit_known)
    return [(sid, get_situation(sid).title(lang)) for sid in ids]
