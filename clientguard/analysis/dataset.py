"""Conversation sets (``spec/datasets.md``): a Telegram Desktop JSON chat plus its labels.

The evaluation and the oracle mode read these folders directly; the same small reader
is the analyse command's fallback for a Telegram JSON file while the shared importers
(``clientguard.ingest``) are not installed. Roles are assigned here from the case:
the specialist's ids are the specialist, everyone else who writes is the client side.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clientguard.analysis.case import CaseFile, case_from_dict
from clientguard.analysis.model import AnalyzedMessage
from clientguard.domain import AttachmentKind, Event, Evidence, Message, Role, Sender
from clientguard.errors import InputError, Msg, Where, msg
from clientguard.reasons import reason
from clientguard.taxonomy import ACTIONS, ARCHETYPES, SIGNALS

_MEDIA = {
    "voice_message": AttachmentKind.VOICE,
    "video_file": AttachmentKind.VIDEO,
    "video_message": AttachmentKind.VIDEO_MESSAGE,
    "sticker": AttachmentKind.STICKER,
    "animation": AttachmentKind.ANIMATION,
    "audio_file": AttachmentKind.AUDIO,
}


@dataclass(frozen=True)
class LabelledConversation:
    """One conversation of a set: its case (from labels.json), messages and gold labels."""

    id: str
    case: CaseFile
    messages: tuple[Message, ...]
    gold_labels: dict[str, tuple[str, ...]]
    gold_archetypes: tuple[str, ...]
    gold_contact_archetypes: dict[str, tuple[str, ...]]
    expected_recommendation: str | None
    chat_type: str | None = None
    events: tuple[Event, ...] = ()


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(x if isinstance(x, str) else str(x.get("text", "")) for x in value)
    return ""


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(msg("evaluate.not_telegram", reason=reason(exc)), Where(str(path))) from exc
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise InputError(msg("evaluate.no_messages"), Where(str(path)))
    return data


def _when(raw: dict[str, Any]) -> datetime | None:
    if raw.get("date_unixtime"):
        return datetime.fromtimestamp(int(raw["date_unixtime"]), tz=UTC)
    if raw.get("date"):
        return datetime.fromisoformat(raw["date"])
    return None


def read_telegram_json(path: Path) -> tuple[dict[str, Any], tuple[Message, ...]]:
    """The chat header and its text messages (service events are skipped)."""
    header, messages, _ = read_telegram_export(path)
    return header, messages


def read_telegram_export(path: Path) -> tuple[dict[str, Any], tuple[Message, ...], tuple[Event, ...]]:
    """The chat header, its text messages and its service events (calls, pins, …).

    Events are read because a client's calls count toward the off-hours signal (see
    :mod:`.calls`); a service record this small reader cannot make sense of is skipped,
    as the full importers would report it, rather than stopping an evaluation.
    """
    data = _load(path)
    out: list[Message] = []
    events: list[Event] = []
    for i, raw in enumerate(data["messages"]):
        if not isinstance(raw, dict):
            continue
        if raw.get("type") == "service":
            event = _event(raw, i)
            if event is not None:
                events.append(event)
            continue
        if raw.get("type") != "message":
            continue
        try:
            ts = _when(raw)
        except (TypeError, ValueError, OverflowError, OSError):  # "x", 1e30: a traceback before
            value = raw.get("date_unixtime") or raw.get("date")
            said = msg("evaluate.bad_date", value=str(value))
            raise InputError(said, Where(str(path), f"messages[{i}]")) from None
        kind = AttachmentKind.NONE
        if "photo" in raw:
            kind = AttachmentKind.PHOTO
        elif raw.get("media_type") in _MEDIA:
            kind = _MEDIA[raw["media_type"]]
        elif "file" in raw:
            kind = AttachmentKind.FILE
        reply = raw.get("reply_to_message_id")
        out.append(
            Message(
                source_id=str(raw.get("id", i)),
                sender=Sender(str(raw.get("from_id") or raw.get("from") or "unknown"), raw.get("from")),
                timestamp=ts,
                text=_text(raw.get("text")),
                reply_to=str(reply) if reply is not None else None,
                attachment=kind,
                forwarded_from=_forwarded(raw),
            )
        )
    header = {k: data.get(k) for k in ("name", "type", "id")}
    return header, tuple(out), tuple(events)


def _forwarded(raw: dict[str, Any]) -> str | None:
    """Who a forwarded message came from, as the importers say it (``null``: "(hidden)").

    Telegram writes ``"forwarded_from": null`` when the author hid their account: the
    message is still a forward, and reading null as "not forwarded" counted its words.
    """
    if "forwarded_from" not in raw and "saved_from" not in raw:
        return None
    value = raw.get("forwarded_from", raw.get("saved_from"))
    return value if isinstance(value, str) else "(hidden)"


def _event(raw: dict[str, Any], index: int) -> Event | None:
    """A service record as an :class:`Event` (action fields as string details), or None."""
    try:
        ts = _when(raw)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    actor = None
    if raw.get("actor_id") or raw.get("actor"):
        actor = Sender(str(raw.get("actor_id") or raw.get("actor")), raw.get("actor"))
    skip = {"id", "type", "date", "date_unixtime", "actor", "actor_id", "action", "text", "text_entities"}
    details = {str(k): str(v) for k, v in raw.items() if k not in skip and isinstance(v, str | int | float)}
    return Event(str(raw.get("id", index)), str(raw.get("action") or "service"), ts, actor, details)


def client_ids(case: CaseFile, messages: Sequence[Message], chat_id: Any = None) -> frozenset[str]:
    """Who is on the client's side: case contacts, else everyone not the specialist.

    Without any identity in the case, a Telegram personal chat's id names the client
    (``user<chat id>``); failing that, the first sender is taken as the client.
    """
    named = {c.from_id for c in case.contacts if c.from_id}
    if case.client.from_id:
        named.add(case.client.from_id)
    senders = list(dict.fromkeys(m.sender.source_id for m in messages))
    if case.me:
        return frozenset(s for s in senders if s not in case.me)
    if named:
        return frozenset(named)
    if chat_id is not None and f"user{chat_id}" in senders:
        return frozenset({f"user{chat_id}"})
    if case.client.name:
        by_name = {m.sender.source_id for m in messages if m.sender.name == case.client.name}
        if by_name:
            return frozenset(by_name)
    return frozenset(senders[:1])


def with_roles(messages: Sequence[Message], clients: frozenset[str]) -> list[Message]:
    from dataclasses import replace

    return [
        replace(m, role=Role.CLIENT if m.sender.source_id in clients else Role.SPECIALIST) for m in messages
    ]


def to_analyzed(
    messages: Sequence[Message],
    labels: Sequence[tuple[str, ...]] | None = None,
    scores: Sequence[dict[str, float]] | None = None,
    spans: Sequence[dict[str, tuple[Evidence, ...]]] | None = None,
) -> list[AnalyzedMessage]:
    """Adapt domain messages (+ optional per-message labels) to analysis inputs."""
    out: list[AnalyzedMessage] = []
    for i, m in enumerate(messages):
        out.append(
            AnalyzedMessage(
                id=m.source_id,
                sender_key=m.sender.source_id,
                sender_name=m.sender.name or m.sender.source_id,
                role=m.role,
                timestamp=m.timestamp,
                text=m.text,
                labels=labels[i] if labels is not None else (),
                scores=scores[i] if scores is not None else {},
                evidence=spans[i] if spans is not None else {},
                reply_to=m.reply_to,
                attachment=m.attachment,
                forwarded_from=m.forwarded_from,
            )
        )
    return out


def _check_ids(lab: dict[str, Any], path: Path) -> None:
    """Every gold id of a labels file is one of the taxonomy's, or an error naming it.

    Before, a mistyped signal, archetype or recommendation was scored as a label nobody
    predicts: the evaluation ran and its numbers were silently wrong.
    """
    found: list[tuple[str, object, tuple[str, ...], Callable[..., Msg]]] = []  # (place, value, allowed, said)
    labels = lab.get("message_labels") or {}
    if not isinstance(labels, dict):
        refused = msg("labels.not_object", kind=type(labels).__name__)
        raise InputError(refused, Where(str(path), "message_labels"))
    for key, ids in labels.items():
        if not isinstance(ids, list):
            raise InputError(msg("evaluate.not_list", kind=type(ids).__name__),
                             Where(str(path), f"message_labels.{key}"))
        found += [(f"message_labels.{key}", x, SIGNALS, _unknown_signal) for x in ids]
    found += [("archetypes", x, ARCHETYPES, _unknown_archetype) for x in lab.get("archetypes") or ()]
    for n, contact in enumerate(lab.get("contacts") or ()):
        if isinstance(contact, dict):
            found += [(f"contacts[{n}].archetypes", x, ARCHETYPES, _unknown_archetype)
                      for x in contact.get("archetypes") or ()]
    if lab.get("expected_recommendation") is not None:
        found.append(("expected_recommendation", lab["expected_recommendation"], ACTIONS, _unknown_action))
    for place, value, allowed, unknown in found:
        if value not in allowed:
            raise InputError(unknown(value=str(value), known=", ".join(allowed)), Where(str(path), place))


def _unknown_signal(**params: str) -> Msg:
    return msg("evaluate.unknown_signal", **params)


def _unknown_archetype(**params: str) -> Msg:
    return msg("evaluate.unknown_archetype", **params)


def _unknown_action(**params: str) -> Msg:
    return msg("evaluate.unknown_recommendation", **params)


def load_conversation(chat: Path) -> LabelledConversation:
    labels_path = chat.with_name(chat.name.removesuffix(".json") + ".labels.json")
    try:
        lab = json.loads(labels_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(msg("evaluate.bad_labels", reason=reason(exc)), Where(str(labels_path))) from exc
    if not isinstance(lab, dict):
        raise InputError(msg("labels.not_object", kind=type(lab).__name__), Where(str(labels_path)))
    _check_ids(lab, labels_path)
    case = case_from_dict(lab, str(labels_path))
    header, msgs, events = read_telegram_export(chat)
    clients = client_ids(case, msgs, header.get("id"))
    msgs_roles = tuple(with_roles(msgs, clients))
    gold = {str(k): tuple(v) for k, v in (lab.get("message_labels") or {}).items()}
    contacts = {str(c.get("from_id")): tuple(c.get("archetypes") or ()) for c in lab.get("contacts") or ()}
    return LabelledConversation(
        id=chat.name.removesuffix(".json"),
        case=case,
        messages=msgs_roles,
        gold_labels=gold,
        gold_archetypes=tuple(lab.get("archetypes") or ()),
        gold_contact_archetypes=contacts,
        expected_recommendation=lab.get("expected_recommendation"),
        chat_type=header.get("type"),
        events=events,
    )


def iter_conversations(folder: Path) -> Iterator[LabelledConversation]:
    """Every ``<id>.json`` with a sibling ``<id>.labels.json`` in ``folder``, by name."""
    for chat in sorted(folder.glob("*.json")):
        if chat.name.endswith(".labels.json"):
            continue
        if chat.with_name(chat.name.removesuffix(".json") + ".labels.json").is_file():
            yield load_conversation(chat)
