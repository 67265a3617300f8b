"""What two exports of one chat share, message by message.

The same chat reaches the store twice when it is exported in two formats (Telegram JSON and
HTML) or on two phones (WhatsApp on iPhone and Android). The import uses this to file a new
export under the stored chat's client (``store.import_parties``), the analysis to count the
copy once (``analysis.history``): one definition, so the two never disagree.
"""

from __future__ import annotations

from clientguard.domain import Message

__all__ = ["copy_key", "distinctive", "same_clock"]

#: The largest difference of two clocks for one message: UTC vs the local time of an
#: export written at UTC+14 (HTML exports carry the exporting computer's local time).
MAX_SKEW_S = 14 * 3600
#: Time zones differ from UTC by whole quarter hours.
QUARTER_S = 900


def copy_key(m: Message) -> tuple[str, str] | None:
    """What two exports of one message share: sender and text (the times: :func:`same_clock`)."""
    text = m.text.strip()
    if not text or m.timestamp is None:
        return None
    who = (m.sender.name or m.sender.source_id).casefold()
    return who, text


def same_clock(ts: float, other: float) -> bool:
    """Whether two times can be one moment written by two exports.

    They may differ by a whole time-zone offset (quarter hours: HTML exports carry local
    time), and a clock without seconds (WhatsApp on Android: "10:05") against one with
    them (WhatsApp on iPhone: "10:05:11") is the same minute cut short (QA6 CLI N6).
    """
    if abs(ts - other) > MAX_SKEW_S:
        return False
    rest = int(ts - other) % QUARTER_S
    if rest == 0:
        return True
    whole_minute = (int(ts) % 60 == 0, int(other) % 60 == 0)
    if whole_minute == (True, False):
        return rest > QUARTER_S - 60  # ts is the other's minute cut short: ts <= other
    if whole_minute == (False, True):
        return rest < 60
    return False


def distinctive(text: str) -> bool:
    """A text unlikely to repeat by chance ("ок" at the same second can)."""
    return len(text.split()) >= 2 or len(text.strip()) >= 12
