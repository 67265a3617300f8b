"""From a path on disk to analysed messages: read, pick the conversation, assign roles, label.

Reading goes through the shared importers (``clientguard.ingest.read_path``), which
tell the format by content; the small Telegram JSON reader of :mod:`dataset` is the
fallback only when the importers package is unavailable. Message signals come from
``clientguard.analyze_texts``; when the NLP stage is not installed the profile is
built from conversation and record signals alone and says so (``label_source``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clientguard.analysis import parallel
from clientguard.analysis.case import CaseFile
from clientguard.analysis.dataset import client_ids, read_telegram_export, to_analyzed, with_roles
from clientguard.analysis.model import AnalyzedMessage
from clientguard.domain import Event, Evidence, Message, MessageAnalysis, Role
from clientguard.errors import ConfigError, NotFoundError, msg

if TYPE_CHECKING:
    from clientguard.ingest.notices import Notice
    from clientguard.store.people import MeMatcher


@dataclass(frozen=True)
class LoadedChat:
    """The conversation chosen for analysis, with roles assigned."""

    title: str | None
    source_key: str
    messages: tuple[Message, ...]
    #: the chat's service events (calls among them count toward off-hours, :mod:`.calls`)
    events: tuple[Event, ...] = ()
    #: whether the specialist's identity was known (case, ``--me``, the export's owner, a
    #: saved identity) rather than guessed from who wrote first
    me_known: bool = False
    #: what the importers noted while reading the file (a guessed encoding or day/month
    #: order, chats left out): ``analyze FILE`` says it as ``import`` does
    notices: tuple[Notice, ...] = ()


def _chat_id(source_key: str) -> str | None:
    tail = source_key.removeprefix("telegram:")
    return tail if tail.lstrip("-").isdigit() else None


def read_chat(
    path: Path, case: CaseFile, client: str | None = None, saved_me: MeMatcher | None = None
) -> LoadedChat:
    """Read ``path`` and return the conversation of ``client`` (title or sender name).

    Without ``client`` the first conversation is taken; with it, the one whose title or
    a sender's name matches (a file with a single chat needs no match: ``client`` then
    only names the client). ``saved_me``, the identities the user saved (``me add``, an
    earlier run), decides who the specialist is when the case names nobody, before the
    first-sender guess: the user who writes first must not be taken for the client.
    """
    convs: list[tuple[str | None, str, list[Message], str | None]] = []
    sources: dict[str, str] = {}
    events: dict[str, tuple[Event, ...]] = {}
    notices: tuple[Notice, ...] = ()
    try:
        from clientguard.ingest import ReadContext, read_path
    except ImportError:
        header, raw, evs = read_telegram_export(path)
        convs.append((header.get("name"), f"telegram:{header.get('id')}", list(raw), None))
        events[convs[-1][1]] = evs
    else:
        ctx = ReadContext(tz=case.tz)
        for pc in read_path(path, ctx):
            items: list[Message] = []
            found: list[Event] = []
            for item in pc.items:  # a lazy stream: read once
                if isinstance(item, Message):
                    items.append(item)
                elif isinstance(item, Event):
                    found.append(item)
            owner = pc.conversation.owner.source_id if pc.conversation.owner else None
            convs.append((pc.conversation.title, pc.conversation.source_key, items, owner))
            sources[pc.conversation.source_key] = pc.conversation.source
            events[pc.conversation.source_key] = tuple(found)
        notices = tuple(ctx.notices)
    if not convs:
        raise NotFoundError(msg("source.no_conversation", path=path))
    chosen = convs[0]
    if client:
        low = client.casefold()
        match = [c for c in convs if (c[0] or "").casefold() == low] or [
            c for c in convs if any((m.sender.name or "").casefold() == low for m in c[2])
        ]
        if not match and len(convs) == 1:
            match = convs  # one chat in the file: --client just names its client
        if not match:
            titles = ", ".join(sorted({c[0] or c[1] for c in convs})[:10])
            raise NotFoundError(msg("source.no_client_conversation", client=client, path=path, titles=titles))
        chosen = match[0]
    title, key, msgs, owner = chosen
    # A case naming a specialist who never writes in this chat (the sample's case file reused
    # for another export) names nobody here: the export's owner and the saved identities still
    # decide, else the real specialist became one of the client's contacts (README walk-through).
    named_here = bool(case.me & {m.sender.source_id for m in msgs})
    if owner and not named_here:
        case = case.with_me((owner,))
        named_here = True
    if saved_me is not None and not named_here:
        from clientguard.store.people import PLATFORM

        platform = PLATFORM.get(sources.get(key, ""), "")
        mine = {m.sender.source_id for m in msgs if saved_me.matches(platform, m.sender)}
        if mine:  # every sender mine: the client has not written yet (QA3 F4), not a guess
            case = case.with_me(tuple(sorted(mine)))
    clients = client_ids(case, msgs, _chat_id(key))
    if client and not case.me and not case.client.from_id:
        named = {m.sender.source_id for m in msgs if (m.sender.name or "").casefold() == client.casefold()}
        clients = frozenset(named) or clients
    return LoadedChat(
        title, key, tuple(with_roles(msgs, clients)), events.get(key, ()), bool(case.me), notices
    )


def predict(messages: Sequence[Message]) -> list[AnalyzedMessage]:
    """Analysed messages with labels from ``clientguard.analyze_texts`` (client messages only).

    Raises a :class:`ConfigError` naming what is missing when the NLP stage is absent.
    """
    if not nlp_available():
        raise ConfigError(msg("source.no_nlp"))
    idx = [i for i, m in enumerate(messages) if m.role is Role.CLIENT and m.text.strip()]
    # Identical texts ("ок", "спасибо", forwarded templates) are analysed once.
    unique = list(dict.fromkeys(messages[i].text for i in idx))
    verdicts = dict(zip(unique, _analyze_parallel(unique), strict=True))
    labels: list[tuple[str, ...]] = [() for _ in messages]
    scores: list[dict[str, float]] = [{} for _ in messages]
    spans: list[dict[str, tuple[Evidence, ...]]] = [{} for _ in messages]
    for i in idx:
        r = verdicts[messages[i].text]
        labels[i] = tuple(r.labels)
        scores[i] = dict(r.scores)
        spans[i] = dict(r.evidence)
    return to_analyzed(messages, labels, scores, spans)


def _analyze(texts: Sequence[str]) -> list[MessageAnalysis]:
    from clientguard import analyze_texts

    return list(analyze_texts(list(texts)))


def _analyze_parallel(texts: Sequence[str]) -> list[MessageAnalysis]:
    """``analyze_texts`` with the second half in a forked child on big inputs."""
    if len(texts) < parallel.PARALLEL_MIN:
        return _analyze(texts) if texts else []
    _analyze(texts[:1])  # load models before forking, so the child inherits them
    half = len(texts) // 2
    child = parallel.Background(_analyze, texts[half:], size=len(texts))
    head = _analyze(texts[:half])
    return head + child.result()


def nlp_available() -> bool:
    """Whether the NLP stage (``clientguard.analyze_texts``) can be imported."""
    try:
        from clientguard import analyze_texts  # noqa: F401
    except (ImportError, AttributeError):
        return False
    return True


def label(messages: Sequence[Message]) -> tuple[list[AnalyzedMessage], str]:
    """Predicted labels when the NLP stage exists, else none; with the source used."""
    if not nlp_available():
        return to_analyzed(messages), "none"
    return predict(messages), "predicted"
