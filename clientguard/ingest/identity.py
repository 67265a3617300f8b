"""What makes two files one conversation when the export carries no chat id.

Telegram, WhatsApp and Slack exports name their chat, so a later export finds the stored
conversation by its key. A CSV/JSONL table or a mail file names nothing: its key is a hash
of the file's *path* (``_common.path_key``), and the same file uploaded twice (each upload
gets its own folder) or copied to another folder became a second conversation. Its content
identifies it instead: the first :data:`HEAD_RECORDS` records, each as its id, sender and
text (``Message-ID`` for mail, which is globally unique). A later version of a table (the
same first rows and more) starts with the same records, so it finds the same conversation;
a different table under the same file name does not.

Pure functions over plain strings, so the store computes the keys of conversations stored
before these keys existed from their stored rows exactly as from a file being read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from clientguard.domain import Message, Source

__all__ = ["HEAD_RECORDS", "Record", "family", "message_records", "prefix_keys", "record"]

#: How many first records identify a table or mailbox. Five rows of (id, sender, text):
#: a real chat never repeats them by chance; a file with fewer is identified by all it has.
HEAD_RECORDS = 5

#: One record as the identity sees it: (id, sender, text).
Record = tuple[str, str, str]


def family(source: str, chat_type: str | None) -> str | None:
    """The formats whose files can be one conversation, or None for a format keyed by its chat id.

    CSV and JSONL of one table are one family (the same rows give the same ids). A single
    ``.eml`` and an mbox are not: a mailbox that begins with a mail stored from its own
    ``.eml`` file is a mailbox, not a later version of that mail.
    """
    if source == Source.TABULAR.value:
        return "tabular"
    if source == Source.EMAIL.value:
        return f"email/{chat_type or 'eml'}"
    return None


def record(source_id: str, sender: str, text: str) -> Record:
    """A record with its whitespace normalised (a table saved again may turn LF into CRLF)."""
    return source_id, " ".join(sender.split()), " ".join(text.split())


def message_records(messages: Iterable[Message]) -> list[Record]:
    """The records of the first messages of a file, as :func:`prefix_keys` takes them."""
    out: list[Record] = []
    for m in messages:
        out.append(record(m.source_id, m.sender.source_id, m.text))
        if len(out) == HEAD_RECORDS:
            break
    return out


def prefix_keys(kind: str, records: Sequence[Record]) -> list[tuple[int, str]]:
    """``(n, key)`` for the first ``n`` records, ``n`` = 1 … min(:data:`HEAD_RECORDS`, len).

    Every prefix gets a key so that a file and a shorter or longer version of it can be told
    to agree on all the records both have (``store.import_keys``).
    """
    digest = hashlib.sha256(kind.encode("utf-8"))
    out: list[tuple[int, str]] = []
    for n, rec in enumerate(records[:HEAD_RECORDS], 1):
        digest.update(b"\x1e" + "\x1f".join(rec).encode("utf-8", "surrogatepass"))
        out.append((n, f"{kind}:{n}:{digest.copy().hexdigest()[:32]}"))
    return out
