"""The stored history as analysis input: roles, unique ids, copies, and the stored records.

``assemble`` is fed StoredMessage rows made in code (the store itself is tested in
tests/store); ``with_stored_records`` runs against a real SQLite store.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clientguard.analysis.case import case_from_dict
from clientguard.analysis.history import StoredConversation, assemble
from clientguard.analysis.stored import case_for, remember_case, with_stored_records
from clientguard.domain import Message, Role, Sender
from clientguard.store.people import MeMatcher
from clientguard.store.records import StoredMessage

T0 = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
TG = StoredConversation(1, "telegram_json", "telegram:5550002", "Игорь", "personal_chat")
TG2 = StoredConversation(2, "telegram_json", "telegram:7770001", "Проект Пенка", "private_group")
HTML = StoredConversation(3, "telegram_html", "telegram_html:Игорь", "Игорь", None)
WA = StoredConversation(4, "whatsapp", "whatsapp:participants:ab12", None, None)


def msg(
    sid: str, minute: int, text: str, key: str, name: str | None = None, role: Role = Role.CLIENT
) -> Message:
    return Message(
        source_id=sid,
        sender=Sender(key, name or key),
        timestamp=T0 + timedelta(minutes=minute),
        text=text,
        role=role,
    )


def stored(conv: StoredConversation, *messages: Message) -> list[StoredMessage]:
    return [
        StoredMessage(id=conv.id * 1000 + i, conversation_id=conv.id, contact_id=None, message=m)
        for i, m in enumerate(messages)
    ]


def me(*values: str) -> MeMatcher:
    matcher = MeMatcher()
    for v in values:
        matcher.add("", v)
    return matcher


CASE = case_from_dict({"client": {"name": "Игорь"}})


def test_file_messages_are_not_read_twice_and_older_ones_are_added() -> None:
    march = [
        msg("1", 0, "Добрый день, нужен контент-план", "user5550002"),
        msg("2", 5, "Пришлю завтра", "user1"),
    ]
    may = [
        msg("2", 5, "Пришлю завтра", "user1", role=Role.SPECIALIST),
        msg("3", 60, "Где план?", "user5550002"),
    ]
    got = assemble([TG], stored(TG, *march, may[1]), CASE, me(), anchor=TG.source_key, file_messages=may)
    assert [m.source_id for m in got.messages] == ["1"]
    assert got.conversations == 1 and got.duplicates == 0


@pytest.mark.parametrize(
    ("stored_role", "identities", "expected"),
    [
        (Role.CLIENT, ("user1",), Role.SPECIALIST),  # imported before `me add`: corrected
        (Role.CLIENT, ("Алексей SMM",), Role.SPECIALIST),  # a display name identifies too
        (Role.OTHER, ("user1",), Role.OTHER),  # a contact marked "other" stays a third party
        (Role.SPECIALIST, (), Role.SPECIALIST),
    ],
)
def test_roles_of_other_conversations(stored_role: Role, identities: tuple[str, ...], expected: Role) -> None:
    rows = stored(
        TG2,
        msg("1", 0, "Коллеги, старт в понедельник", "user5550002"),
        msg("2", 1, "Принято", "user1", "Алексей SMM", role=stored_role),
    )
    file = [msg("10", 100, "Ок", "user5550002"), msg("11", 101, "Готово", "user1", role=Role.SPECIALIST)]
    got = assemble([TG, TG2], rows, CASE, me(*identities), anchor=TG.source_key, file_messages=file)
    roles = {m.sender.source_id: m.role for m in got.messages}
    assert roles == {"user5550002": Role.CLIENT, "user1": expected}


def test_a_chat_with_nobody_on_the_users_side_gets_the_file_fallback() -> None:
    # Imported with no identity known: everybody was stored as the client's.
    rows = stored(
        TG,
        msg("1", 0, "Здравствуйте", "user5550002"),
        msg("2", 1, "Добрый день!", "user1"),
        msg("3", 2, "Когда старт?", "user5550002"),
    )
    got = assemble([TG], rows, CASE, me())
    assert {m.sender.source_id: m.role for m in got.messages} == {
        "user5550002": Role.CLIENT,  # the personal chat's id names its client
        "user1": Role.SPECIALIST,
    }


def test_colliding_source_ids_are_qualified_outside_the_anchor() -> None:
    rows = stored(TG, msg("1", 0, "старт", "user5550002"), msg("2", 1, "да", "user1", role=Role.SPECIALIST))
    rows += stored(
        TG2,
        msg("1", 50, "Коллеги, привет", "user5550002"),
        Message(
            "2", Sender("user1", "Алексей"), T0 + timedelta(minutes=51), "ответ", None, Role.SPECIALIST, "1"
        ),
        msg("3", 52, "новый id", "user5550002"),
    )
    got = assemble([TG, TG2], rows, CASE, me("user1"))
    ids = [m.source_id for m in got.messages]
    assert ids == ["1", "2", "1@telegram:7770001", "2@telegram:7770001", "3"]
    assert got.messages[3].reply_to == "1@telegram:7770001"
    assert len(set(ids)) == len(ids) and got.conversations == 2
    # With the second chat as the analysed file, its ids stay bare and the first's move.
    file = [m.message for m in rows if m.conversation_id == TG2.id]
    again = assemble([TG, TG2], rows, CASE, me("user1"), anchor=TG2.source_key, file_messages=file)
    assert [m.source_id for m in again.messages] == ["1@telegram:5550002", "2@telegram:5550002"]


def test_the_same_chat_in_two_formats_is_counted_once() -> None:
    texts = [
        "Нужен контент-план на октябрь",
        "Сделайте скидку пожалуйста",
        "Почему так долго?",
        "Оплачу на следующей неделе",
    ]
    json_rows = stored(TG, *(msg(str(i), i * 7, t, "user5550002", "Игорь") for i, t in enumerate(texts)))
    # The HTML export: same messages, other ids and sender keys, local time (UTC+3).
    html_rows = stored(
        HTML, *(msg(f"h{i}", i * 7 + 180, t, "name:Игорь", "Игорь") for i, t in enumerate(texts))
    )
    got = assemble([TG, HTML], json_rows + html_rows, CASE, me())
    assert [m.source_id for m in got.messages] == ["0", "1", "2", "3"]
    assert got.duplicates == 4 and got.conversations == 1


def test_chance_repeats_in_another_chat_are_kept() -> None:
    # "ок" and "спасибо" at the same minute in a WhatsApp chat of the same person are
    # not a copy of the Telegram chat: too few distinctive texts repeat.
    tg = stored(
        TG,
        msg("1", 0, "ок", "user5550002", "Игорь"),
        msg("2", 30, "Нужен баннер к акции", "user5550002", "Игорь"),
    )
    wa = stored(WA, msg("w1", 0, "ок", "Игорь"), msg("w2", 40, "А сторис когда?", "Игорь"))
    got = assemble([TG, WA], tg + wa, CASE, me())
    assert [m.source_id for m in got.messages] == ["1", "2", "w1", "w2"]
    assert got.duplicates == 0 and got.conversations == 2


def test_stored_records_win_over_the_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clientguard.contracts import repo
    from clientguard.store import open_store

    case = case_from_dict(
        {
            "client": {"name": "Игорь"},
            "contract": {"revision_limit": 2, "payment_due_days": 5},
            "invoices": [
                {"id": "П-1", "amount": 1000, "issued": "2025-09-01", "due": "2025-09-05"},
                {"id": "П-2", "amount": 500, "issued": "2025-09-10", "due": "2025-09-15"},
            ],
        }
    )
    reads: list[str] = []
    read_payments = repo.invoice_payments

    def counting(store: object, client: str) -> dict[str, list[tuple[str, float]]]:
        reads.append(client)
        return read_payments(store, client)  # type: ignore[arg-type]

    with open_store(f"sqlite:///{tmp_path / 'cg.sqlite3'}") as store:
        remember_case(store, "Игорь", case)
        repo.pay_invoice(store, "Игорь", "П-1", on="2025-09-20")  # recorded after the case file
        repo.set_terms(store, "Игорь", revision_limit=3)
        monkeypatch.setattr(repo, "invoice_payments", counting)
        got = with_stored_records(case, store, "Игорь")
        assert reads == ["Игорь"]  # the payments table is read once per profile
        monkeypatch.undo()
        default = case_for(store, "Игорь")
    assert got.contract is not None and got.contract.revision_limit == 3
    assert [(i.id, i.paid_on) for i in got.invoices] == [("П-1", "2025-09-20"), ("П-2", None)]
    assert "contract" not in got.assumed
    assert default.contract == got.contract and default.invoices == got.invoices
    assert default.timezone == "Europe/Moscow" and "stage" in default.assumed


# QA6 CLI N6: the same WhatsApp chat exported on an iPhone ("[01.09.2025, 10:05:11]") and
# on Android ("01.09.2025, 10:05 -") is two conversations whose times differ by the
# seconds Android leaves out; the copy went unnoticed and every message counted twice.
IOS = StoredConversation(5, "whatsapp", "whatsapp:participants:cd34", None, None)
WA_TEXTS = [
    "Пришлите контент-план до пятницы",
    "Это никуда не годится",
    "И сайт заодно сделайте",
    "Где план???",
]


def wa_rows(conv: StoredConversation, prefix: str, shift: timedelta) -> list[StoredMessage]:
    """The four client messages, seven minutes apart, ``shift`` after the whole minute."""
    rows = []
    for i, t in enumerate(WA_TEXTS):
        m = msg(f"{prefix}{i}", i * 7, t, "Игорь", "Игорь Петров")
        rows.append(replace(m, timestamp=T0 + timedelta(minutes=i * 7) + shift))
    return stored(conv, *rows)


@pytest.mark.parametrize("seconds", [1, 11, 59])
@pytest.mark.parametrize("ios_first", [True, False], ids=["ios_first", "android_first"])
def test_the_same_whatsapp_chat_from_iphone_and_android_is_counted_once(
    seconds: int, ios_first: bool
) -> None:
    android = wa_rows(WA, "a", timedelta(0))
    ios = wa_rows(IOS, "i", timedelta(seconds=seconds))
    convs, rows = ([IOS, WA], ios + android) if ios_first else ([WA, IOS], android + ios)
    got = assemble(convs, rows, CASE, me())
    assert got.duplicates == 4 and got.conversations == 1 and len(got.messages) == 4


@pytest.mark.parametrize(
    "shift", [timedelta(minutes=1, seconds=5), timedelta(seconds=-1)], ids=["next", "before"]
)
def test_the_same_texts_outside_the_minute_are_not_a_copy(shift: timedelta) -> None:
    """Seconds left out make the same minute one moment, not the next or the previous one."""
    got = assemble([WA, IOS], wa_rows(WA, "a", timedelta(0)) + wa_rows(IOS, "i", shift), CASE, me())
    assert got.duplicates == 0 and len(got.messages) == 8
