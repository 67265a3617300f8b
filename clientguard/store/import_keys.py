"""Finding the stored conversation of a file that has no chat id, by its first records.

What a content key is: ``clientguard.ingest.identity``. Here: looking a file's keys up in
``conversation_keys``, recording them, and computing them for conversations stored before
the table existed (from their first stored rows, once per format and run). Runs once per
conversation, never per message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection, exists, func, insert, select

from clientguard.ingest.identity import HEAD_RECORDS, family, prefix_keys, record
from clientguard.store.models import ConversationRow, MessageRow
from clientguard.store.models_keys import ConversationKeyRow

Keys = Sequence[tuple[int, str]]


class ContentKeys:
    """The content keys of one import run, on the run's connection (a callable, as in ``Parties``)."""

    def __init__(self, conn: Callable[[], Connection]) -> None:
        self._conn = conn
        #: formats whose older conversations got their keys in this run
        self._filled: set[str] = set()
        #: answers of :meth:`find` since the last write: the importer asks before choosing how to
        #: look for a copy, and ``Parties.conv_state`` asks again for the same file
        self._found: dict[tuple[str, tuple[tuple[int, str], ...]], int | None] = {}

    def find(self, source: str, keys: Keys) -> int | None:
        """The stored conversation whose first records are the file's, or None.

        The two agree on every record both have among the first :data:`HEAD_RECORDS`: a
        stored table of three rows is found by a later version of ten that begins with
        them, and the other way round; one whose second row differs is not found. Several
        found (conversations stored apart before this rule): the first stored.
        """
        if not keys:
            return None
        asked = (source, tuple(keys))
        if asked not in self._found:
            self._found[asked] = self._find(source, keys)
        return self._found[asked]

    def _find(self, source: str, keys: Keys) -> int | None:
        self.backfill(source)
        c = self._conn()
        key_of = {key: n for n, key in keys}
        matched: dict[int, int] = {}
        for conv_id, key in c.execute(
            select(ConversationKeyRow.conversation_id, ConversationKeyRow.key).where(
                ConversationKeyRow.key.in_(list(key_of))
            )
        ):
            matched[int(conv_id)] = max(matched.get(int(conv_id), 0), key_of[str(key)])
        if not matched:
            return None
        covered = {
            int(cid): int(n)
            for cid, n in c.execute(
                select(ConversationKeyRow.conversation_id, func.max(ConversationKeyRow.records))
                .where(ConversationKeyRow.conversation_id.in_(list(matched)))
                .group_by(ConversationKeyRow.conversation_id)
            )
        }
        same = [cid for cid, n in matched.items() if n == min(len(keys), covered[cid])]
        return min(same) if same else None

    def remember(self, conv_id: int, keys: Keys) -> None:
        """Record the file's keys for its conversation, unless they contradict the stored ones.

        A conversation found by its path whose file now holds another table (a file saved over)
        keeps the keys of what it holds: the new ones would make it the match of both.
        """
        if not keys:
            return
        c = self._conn()
        stored = {
            str(key): int(n)
            for key, n in c.execute(
                select(ConversationKeyRow.key, ConversationKeyRow.records).where(
                    ConversationKeyRow.conversation_id == conv_id
                )
            )
        }
        if stored and keys[min(len(keys), max(stored.values())) - 1][1] not in stored:
            return
        new = [{"conversation_id": conv_id, "key": key, "records": n} for n, key in keys if key not in stored]
        if new:
            c.execute(insert(ConversationKeyRow), new)
            self._found.clear()

    def backfill(self, source: str) -> None:
        """Give the conversations of ``source`` stored without keys their keys, from their first rows.

        They were stored before ``conversation_keys`` existed (or hold no message yet); the
        rows were stored in file order, so the first ids are the file's first records.
        """
        if source in self._filled:
            return
        self._filled.add(source)
        c = self._conn()
        bare = c.execute(
            select(ConversationRow.id, ConversationRow.chat_type).where(
                ConversationRow.source == source,
                ~exists().where(ConversationKeyRow.conversation_id == ConversationRow.id),
            )
        ).all()
        for conv_id, chat_type in bare:
            kind = family(source, chat_type)
            if kind is None:
                continue
            rows = c.execute(
                select(MessageRow.source_id, MessageRow.sender_key, MessageRow.text)
                .where(MessageRow.conversation_id == conv_id)
                .order_by(MessageRow.id)
                .limit(HEAD_RECORDS)
            ).all()
            keys = prefix_keys(kind, [record(str(s), str(k), str(t or "")) for s, k, t in rows])
            self.remember(int(conv_id), keys)
