"""Who the user is, on the web: the upload page's "this is me" (the CLI's ``me add``).

With no identity of the user stored, an import stores every message as the client's: a
WhatsApp chat the user opened became client «Анна, Игорь» and its reply drafts greeted
«Анна», the user. ``clientguard import`` says so and names the participants
(``cli/import_.py``, ``import_cli.who_is_me``); the upload page said nothing, and ``me
add`` had no web form. The upload's result page now says so too and offers the
participants of the chats it imported; picking one does what ``me add`` does
(:meth:`clientguard.store.Store.add_me`, for each of that person's stored identities), so
their stored messages become the specialist's and the profiles and drafts are derived
again, as after the CLI command (the client's name, given by the import, stays, as it
does after ``me add``).

Identities are one set per database (``me_identities`` has no user column): in team mode
they are the team's side, every member's own accounts. Marking someone as "us" changes
their messages in every client they wrote in, so a specialist may do it only when each of
those clients is one they may write to, the rule their uploads follow (``jobs._limits``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from clientguard.domain import Source
from clientguard.store import Store
from clientguard.store.models import ContactRow, ConversationRow, IdentityRow, MessageRow
from clientguard.store.people import PLATFORM


@dataclass(frozen=True)
class Participant:
    """One person of the imported chats the user may be: a contact and its identities."""

    contact_id: int
    name: str
    identities: tuple[tuple[str, str], ...]  # (platform, value), as ``me add --platform`` takes them


def unknown(store: Store) -> bool:
    """True while no identity of the user is stored (what ``import`` warns about)."""
    return not store.me()


def participants(store: Store, client_ids: list[int]) -> list[Participant]:
    """The people of ``client_ids``'s chats, in the order the import met them.

    The same people ``import`` names in its warning (the clients' contacts); the user is
    one of them while no identity is known, since the import filed them as the client's.
    """
    if not client_ids:
        return []
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(ContactRow.id, ContactRow.name, IdentityRow.platform, IdentityRow.value)
            .join(IdentityRow, IdentityRow.contact_id == ContactRow.id)
            .where(ContactRow.client_id.in_(client_ids))
            .order_by(ContactRow.id, IdentityRow.id)
        ).all()
    found: dict[int, Participant] = {}
    for cid, name, platform, value in rows:
        was = found.get(int(cid))
        pair = (str(platform), str(value))
        found[int(cid)] = Participant(
            int(cid), str(name), (was.identities if was else ()) + (pair,)
        )
    return list(found.values())


def clients_touched(store: Store, who: Participant) -> set[int]:
    """The clients whose chats hold a message ``me add`` would make the user's.

    Matched as :meth:`Store.add_me` matches (sender key or name, any case, on the
    identity's platform), so the access check covers exactly what the write changes.
    """
    out: set[int] = set()
    with store.engine.connect() as conn:
        for platform, value in who.identities:
            sources = [s.value for s in Source if PLATFORM[s] == platform] if platform else None
            query = (
                select(ConversationRow.client_id, MessageRow.sender_key, MessageRow.sender_name)
                .join(MessageRow, MessageRow.conversation_id == ConversationRow.id)
                .distinct()
            )
            if sources is not None:
                query = query.where(ConversationRow.source.in_(sources))
            folded = value.casefold()
            for client_id, key, name in conn.execute(query):
                if client_id is not None and (
                    str(key).casefold() == folded or str(name or "").casefold() == folded
                ):
                    out.add(int(client_id))
    return out


def add(store: Store, who: Participant) -> bool:
    """``me add`` for each of ``who``'s identities; True when one was new."""
    added = False
    for platform, value in who.identities:
        added = store.add_me(value, platform=platform) or added
    return added


def my_names(store: Store) -> list[str]:
    """The user's stored identities as people read them (a Telegram id as its display name)."""
    mine = store.me()
    names = store.sender_names({i.value for i in mine})
    return list(dict.fromkeys(names.get(i.value, i.value) for i in mine))
