"""Who is who: platforms of identities, the user's own identities, chats named after a person.

Issue item 5: the user names their identities once (``me add`` / ``--me``, or a Telegram
full-account export names its owner); their messages are the specialist's, everyone
else's the client's unless the contact is marked "other".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clientguard.domain import Sender, Source

#: The platform an identity belongs to, by export source.
PLATFORM: dict[str, str] = {
    Source.TELEGRAM_JSON: "telegram",
    Source.TELEGRAM_HTML: "telegram",
    Source.WHATSAPP: "whatsapp",
    Source.EMAIL: "email",
    Source.TABULAR: "tabular",
    Source.SLACK: "slack",
}

#: Chat types whose title is the other person's name, hence the client's name.
PERSONAL_CHATS = frozenset({"personal_chat", "bot_chat", "personal", "private", "direct"})


@dataclass
class MeMatcher:
    """The user's identities: a sender is "me" if its key or display name matches one."""

    anywhere: set[str] = field(default_factory=set)
    by_platform: set[tuple[str, str]] = field(default_factory=set)

    def add(self, platform: str, value: str) -> None:
        if platform:
            self.by_platform.add((platform, value.casefold()))
        else:
            self.anywhere.add(value.casefold())

    def matches(self, platform: str, sender: Sender) -> bool:
        for value in (sender.source_id, sender.name):
            if value:
                folded = value.casefold()
                if folded in self.anywhere or (platform, folded) in self.by_platform:
                    return True
        return False
