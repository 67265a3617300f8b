"""A name with quotation marks of its own is quoted once, in ru and en.

The string tables wrote the marks around a placeholder themselves (``«{client}»``,
``“{old}”``), so a client named «Кофейня «Пенка»» came out as «Кофейня «Пенка»» — marks
of one kind inside each other, which reads as two names. The texts now say ``{client:q}``
and the name goes through :func:`clientguard.report.i18n.quote` once: «Кофейня „Пенка“»,
“Cafe ‘Penka’”. English texts that quoted with «…» as well (``{client:q ru}``) quote in
English marks now: «…» in an English line read as a typo.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.suite_helpers import run_main

CHAT = "01.09.2025, 10:05 - Игорь Петров: Оплатим на следующей неделе\n01.09.2025, 10:07 - Анна: Хорошо\n"
#: A Russian name with «…» in it and an English one with “…”: each language's own marks
NAMES = ("Кофейня «Пенка»", "Cafe “Penka”")
OTHER = "Студия Лотос"
#: Opening mark → its closing one, per kind of quotes a line may nest wrongly
_PAIRS = {"«": "»", "“": "”"}


def nested_same_kind(line: str) -> list[str]:
    """The marks in ``line`` opened while one of the same kind was still open («…«…»…»).

    „ opens a pair that “ closes (Russian inner quotes), so “ after „ is a closing mark.
    """
    found: list[str] = []
    stack: list[str] = []
    for ch in line:
        if ch == "„":
            stack.append(ch)
        elif ch == "“" and stack and stack[-1] == "„":
            stack.pop()
        elif ch in _PAIRS:
            if ch in stack:
                found.append(ch)
            stack.append(ch)
        elif ch in _PAIRS.values():
            opener = next((o for o, c in _PAIRS.items() if c == ch), "")
            if opener in stack:
                del stack[len(stack) - 1 - stack[::-1].index(opener)]
    return found


Run = Callable[..., str]


@pytest.fixture()
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """``run(db, *args, ok=True)``: the real entry point, its output and error line as one text."""

    def call(db: str, *args: str, ok: bool = True) -> str:
        code, out, err = run_main(monkeypatch, capsys, *args, "--db", db)
        assert (code == 0) is ok, (out, err)
        return f"{out}\n{err}"

    return call


def assert_quoted_once(out: str, name: str) -> None:
    lines = [ln for ln in out.splitlines() if "Penka" in ln or "Пенка" in ln]
    assert lines, out  # the name is there to be checked
    for ln in lines:
        assert not nested_same_kind(ln), ln


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


@pytest.fixture()
def chat(tmp_path: Path) -> Path:
    path = tmp_path / "WhatsApp Chat with Игорь.txt"
    path.write_text(CHAT, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_import_that_moves_a_chat_names_both_clients_once(
    run: Run, db: str, chat: Path, lang: str, name: str
) -> None:
    run(db, "import", str(chat), "--client", name)
    assert_quoted_once(run(db, "--lang", lang, "import", str(chat), "--client", OTHER), name)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_rename_and_its_refusals_quote_the_name_once(
    run: Run, db: str, chat: Path, lang: str, name: str
) -> None:
    run(db, "import", str(chat), "--client", OTHER)
    assert_quoted_once(run(db, "--lang", lang, "clients", "rename", OTHER, name), name)
    # the same name again (lifecycle.same_name, «…» in English too) and a taken one
    assert_quoted_once(run(db, "--lang", lang, "clients", "rename", name, name, ok=False), name)
    run(db, "import", str(chat), "--client", "Другой")
    assert_quoted_once(run(db, "--lang", lang, "clients", "rename", "Другой", name, ok=False), name)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_merge_quotes_the_name_once(run: Run, db: str, chat: Path, lang: str, name: str) -> None:
    run(db, "import", str(chat), "--client", name)
    run(db, "import", str(chat), "--client", OTHER)  # moves the chat: name is left empty
    assert_quoted_once(run(db, "--lang", lang, "clients", "merge", name, OTHER), name)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_forget_quotes_the_name_once(run: Run, db: str, chat: Path, lang: str, name: str) -> None:
    run(db, "import", str(chat), "--client", name)
    assert_quoted_once(run(db, "--lang", lang, "clients", "forget", name, "--reason", "тест", "--yes"), name)


def test_english_quotes_names_in_english_marks(run: Run, db: str, chat: Path) -> None:
    """English quotes a name in English marks, the texts that quoted with «…» too (helper 149).

    They printed «Cafe ‘Penka’» in an English line beside “Lotus”; a name the user types back
    in a command is in shell quotes, as it is ("…"), in neither language's marks.
    """
    run(db, "import", str(chat), "--client", NAMES[1])
    run(db, "import", str(chat), "--client", OTHER)  # moves the chat: NAMES[1] stays, empty
    out = run(db, "--lang", "en", "clients", "rename", OTHER, OTHER, ok=False)
    assert f"client “{OTHER}” is already named so; nothing changed" in out
    out = run(db, "--lang", "en", "clients", "rename", OTHER, NAMES[1], ok=False)
    assert (
        "a client named “Cafe ‘Penka’” already exists; to make the two one client: "
        'clientguard clients merge FROM "Cafe “Penka”"'
    ) in " ".join(out.split())
    out = run(db, "--lang", "ru", "clients", "rename", OTHER, NAMES[1], ok=False)
    assert 'clientguard clients merge ИСХОДНЫЙ "Cafe “Penka”"' in " ".join(out.split())
    out = run(db, "--lang", "en", "clients", "rename", OTHER, "Lotus")
    assert "client “Студия Лотос” is now “Lotus”" in out


@pytest.mark.parametrize(
    ("line", "nested"),
    [
        ("«Кофейня «Пенка»»", ["«"]),
        ("«Кофейня „Пенка“»", []),
        ("“Cafe “Penka””", ["“"]),
        ("“Cafe ‘Penka’”", []),
        ("client «Кофейня „Пенка“» is", []),
        ("“a” and “b”", []),
    ],
)
def test_the_check_itself(line: str, nested: list[str]) -> None:
    assert nested_same_kind(line) == nested
