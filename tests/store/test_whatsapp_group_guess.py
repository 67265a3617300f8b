"""A WhatsApp group without an owner: ``analyze`` saves at most one guessed "you", with a note.

``analyze FILE`` takes a chat's first sender for the client and everyone else for the user
when the file does not say who the user is. In a group export every other participant was
saved as the user ("Saved as you: …" once per person), and each later import took all of
them for the user, also in chats where they are the client. Now only the participant who
wrote the most besides the client is saved, when nobody ties with them; the others count
for that run only, and the import notes say who was saved and how to undo it. Real
exports from ../shared/fixtures/formats/whatsapp_txt.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from suite_helpers import run_main

from clientguard.domain import Message
from clientguard.ingest import ReadContext, read_path
from clientguard.store import open_store
from clientguard.store.import_parties import weigh_guess

WHATSAPP = Path("fixtures") / "formats" / "whatsapp_txt"


def guessed(path: Path) -> Counter[str]:
    """Message counts of everyone but the first sender: who ``analyze`` guesses to be the user."""
    items = [item for pc in read_path(path, ReadContext(skip_bad=True)) for item in pc.items]
    messages = [m for m in items if isinstance(m, Message)]
    first = messages[0].sender.source_id
    return Counter(m.sender.source_id for m in messages if m.sender.source_id != first)


@pytest.mark.parametrize(
    ("rel", "saved", "assumed", "code"),
    [
        # eight in the group, Ash writes first: Misty (4) outwrites Brock (3) and the rest
        ("whatstk/pokemon.txt", ("Misty",), 6, "group_me_guessed"),
        ("mlomb-chat-analytics/4A_11M.txt", ("Alice",), 3, "group_me_guessed"),
        ("mlomb-chat-analytics/4A_11M.zip", ("Alice",), 3, "group_me_guessed"),
        ("langchain-community/whatsapp_chat_mixed_headers.txt", ("User 2",), 4, "group_me_guessed"),
        # four others with one message each: no evidence, nobody saved
        ("chat-miner/test_ddmmyy_24hrs.txt", (), 4, "group_me_unknown"),
        # a chat of two: the one other person, as before (analyze's "a guess" line says so)
        ("langchain-community/whatsapp_chat_ios.txt", ("Jungle Jane",), 0, None),
        ("whatsanalyze/chat_example.txt", ("John Doe",), 0, None),
    ],
)
def test_only_the_participant_the_messages_point_at_is_saved(
    shared_dir: Path, rel: str, saved: tuple[str, ...], assumed: int, code: str | None
) -> None:
    path = shared_dir / WHATSAPP / rel
    guess = weigh_guess(str(path), guessed(path))
    assert (guess.saved, len(guess.assumed)) == (saved, assumed)
    assert not set(guess.saved) & set(guess.assumed)
    assert (None if guess.notice is None else str(guess.notice.code)) == code


NOTE = {
    "en": (
        "the file does not say which participant is you. Besides the client, “Misty” wrote the most, so only"
        " they are saved as you; the others (6 participants) count as yours in this analysis only."
        " If “Misty” is not you: clientguard me remove Misty"
    ),
    "ru": (
        "в файле не сказано, кто из участников вы. Кроме клиента, больше всех сообщений у «Misty» — как вы"
        " сохранён только этот участник; остальные (6 участников) считаются вашими только в этом анализе."
        " Если «Misty» — не вы: clientguard me remove Misty"
    ),
}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_analyze_of_a_group_saves_one_guess_and_says_so(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    lang: str,
) -> None:  # fmt: skip
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    path = shared_dir / WHATSAPP / "whatstk" / "pokemon.txt"
    code, out, err = run_main(monkeypatch, capsys, "analyze", str(path), "--db", db, "--lang", lang)
    assert code == 0, err
    assert NOTE[lang] in " ".join(out.split())
    with open_store(db) as store:
        assert [(i.platform, i.value) for i in store.me()] == [("", "Misty")]
        # the chat names no client: it is named after its participants who are not the user
        chat = store.messages("Ash Ketchum, Pokemon Chat")
        roles = {s.message.sender.source_id: s.message.role.value for s in chat}
    # the run's roles agree with its profile: the others were the specialist's in this run
    assert roles["Ash Ketchum"] == "client" and roles["Brock"] == roles["Misty"] == "specialist"


def test_a_tie_saves_nobody(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    path = shared_dir / WHATSAPP / "chat-miner" / "test_ddmmyy_24hrs.txt"
    code, out, err = run_main(monkeypatch, capsys, "analyze", str(path), "--db", db, "--lang", "en")
    assert code == 0, err
    said = "nobody is saved as you; all of them (4 participants) count as yours in this analysis only"
    assert said in " ".join(out.split())
    with open_store(db) as store:
        assert store.me() == []


USUAL = {
    "en": (
        "chat2.txt: the file does not say which participant is you; “Анна” wrote in the most other stored"
        " chats, so they are taken for you in this chat, for this import only (nothing is saved)."
        " If that is you, save it: clientguard me add 'Анна'"
    ),
    "ru": (
        "chat2.txt: в файле не сказано, кто из участников вы; у «Анна» больше всего других сохранённых"
        " переписок, поэтому в этом чате за вас принят этот участник — только на этот импорт, ничего не"
        " сохранено. Если это вы, сохраните: clientguard me add 'Анна'"
    ),
}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_import_says_whom_it_took_for_the_user_in_a_chat_that_does_not_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    """``clientguard import`` (and the upload) took the participant seen in the most other stored
    chats for the user, for the run only and without a word; the notes now name them."""
    (tmp_path / "chat1.txt").write_text(
        "01.09.2025, 10:05 - Анна: Добрый день! Присылаю план\n01.09.2025, 10:07 - Игорь: Оплатим потом\n",
        encoding="utf-8",
    )
    (tmp_path / "chat2.txt").write_text(
        "02.09.2025, 11:00 - Анна: Олег, здравствуйте\n02.09.2025, 11:05 - Олег: Где макеты?\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    monkeypatch.chdir(tmp_path)
    args = ("import", "chat1.txt", "chat2.txt", "--db", db, "--lang", lang)
    code, out, err = run_main(monkeypatch, capsys, *args)
    assert code == 0, err
    assert USUAL[lang] in " ".join(out.split())
    assert "chat1.txt:" not in out  # nobody could be told apart there: nothing taken, nothing said
    with open_store(db) as store:
        assert store.me() == []
