"""The importers' notices are codes, and every code has its Russian and English wording.

The importers wrote English sentences; the CLI printed them to Russian users as they were
and the upload page parsed them back with regexes (an unknown one stayed English). Now a
notice is a :class:`~clientguard.ingest.notices.Notice` and ``data/notices.yaml`` words it:
these tests walk the codes the importers emit (grepped from their source), the values
their code-valued parameters can take, and the catalogue, and fail on a missing wording.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from clientguard.ingest import telegram_json, whatsapp
from clientguard.ingest.notices import Notice, NoticeCode, catalogue, from_json, notice_text
from clientguard.report.i18n import LANGS

INGEST = Path(__file__).resolve().parents[2] / "clientguard" / "ingest"

#: Values each code-valued parameter can take, from the importers' own tables.
TERM_VALUES: dict[str, set[str]] = {
    "kind": set(telegram_json.NOT_CLIENT_TYPES.values()) | set(telegram_json.NOT_CLIENT_IDS.values()),
    "order": {"dmy", "mdy", "ymd"},
    "reason": set(whatsapp.REASONS),
}


def emitted_codes() -> set[str]:
    """Every ``NoticeCode.X`` the importers' source names (the notices they can record), and the
    store's import run's (a file found to be a stored conversation by its content)."""
    found: set[str] = set()
    for path in [*INGEST.glob("*.py"), *(INGEST.parent / "store").glob("import*.py")]:
        if path.name != "notices.py":
            found |= set(re.findall(r"NoticeCode\.([A-Z_]+)", path.read_text(encoding="utf-8")))
    return found


def fields(text: str) -> list[tuple[str, str]]:
    """The ``(field, spec)`` pairs of one wording."""
    return [(f, spec or "") for _, f, spec, _ in string.Formatter().parse(text) if f is not None]


def test_every_code_the_importers_emit_is_a_code_and_every_code_is_emitted() -> None:
    emitted = emitted_codes()
    assert emitted, "the grep found no notices: the importers' source moved?"
    assert emitted == set(NoticeCode.__members__)


def test_every_code_has_both_wordings_and_nothing_else_is_in_the_catalogue() -> None:
    worded = catalogue()["notices"]
    assert set(worded) == {str(c) for c in NoticeCode}
    for code, entry in worded.items():
        assert set(entry) == set(LANGS), code
        assert all(isinstance(entry[lang], str) and entry[lang].strip() for lang in LANGS), code
        # the same parameters in both languages: no language loses the file's counts or names
        assert sorted(fields(entry["ru"])) == sorted(fields(entry["en"])), code


def test_every_term_and_counted_word_a_wording_uses_has_both_languages() -> None:
    data = catalogue()
    for code, entry in data["notices"].items():
        for field, spec in fields(entry["en"]):
            param, _, table = field.partition(".")
            if table:
                words = data["terms"][field]
                assert TERM_VALUES[param] <= set(words), (code, field, TERM_VALUES[param] - set(words))
                for value in TERM_VALUES[param]:
                    assert all(words[value].get(lang) for lang in LANGS), (field, value)
            if spec:
                assert all(data["plurals"][spec].get(lang) for lang in LANGS), (code, spec)


@pytest.mark.parametrize(
    ("dates", "ampm", "dayfirst"),
    [
        (["2025/09/01"], False, None), (["13/01/2025"], False, None), (["01/13/2025"], False, None),
        (["01/02/2025"], False, True), (["01.02.2025"], False, None), (["01/02/2025"], True, None),
        (["01/02/2025"], False, None),
    ],
)  # fmt: skip
def test_every_reason_whatsapp_gives_is_a_listed_code(
    dates: list[str], ampm: bool, dayfirst: bool | None
) -> None:
    """The reason of the date order is a code the catalogue words, not an English sentence."""
    assert whatsapp.settle_order(dates, ampm, dayfirst).reason in whatsapp.REASONS


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [(1, "1 сообщение", "1 message"), (3, "3 сообщения", "3 messages"), (5, "5 сообщений", "5 messages"),
     (21, "21 сообщение", "21 messages"), (12, "12 сообщений", "12 messages")],
)  # fmt: skip
def test_a_count_takes_the_form_of_its_language(n: int, ru: str, en: str) -> None:
    params = {"kind": "saved_messages", "messages": n}
    assert notice_text(NoticeCode.CHAT_LEFT_OUT, params, "ru").endswith(f"В нём {ru}.")
    assert notice_text(NoticeCode.CHAT_LEFT_OUT, params, "en").endswith(f"It holds {en}.")


def test_a_notice_survives_the_job_row_with_its_code() -> None:
    params = {"order": "mdy", "reason": "us_12h"}
    notice = Notice(NoticeCode.DATE_ORDER_GUESSED, params, "/up/x/chat.txt", "line 1")
    row = notice.to_json(Path("/up/x"))
    assert (row["file"], row["code"], row["params"]) == ("chat.txt", "date_order_guessed",
                                                        {"order": "mdy", "reason": "us_12h"})
    back = from_json(row)
    assert back is not None and back.text("ru") == notice.text("ru") and "месяц/день" in back.text("ru")
    assert from_json({"file": "x", "where": "", "message": "an old row"}) is None


def test_a_row_from_another_version_is_shown_not_raised() -> None:
    """A job row whose parameters the wording does not get must not break the job page."""
    assert notice_text(NoticeCode.CHAT_LEFT_OUT, {"kind": "replies"}, "ru") == \
        "chat_left_out {'kind': 'replies'}"
    assert notice_text("some_new_code", {"n": 2}, "en") == "some_new_code {'n': 2}"
