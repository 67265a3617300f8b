"""Every command that prints text for people speaks one language: ``--lang`` ru or en (QA F34).

With the Russian interface ``analyze`` and ``reply`` spoke Russian while ``clients``,
``invoice list``, ``revisions``, ``contract show``, ``note add``, ``evidence verify`` …
printed English ("No invoices.", "1 problems"). Each row of :data:`COMMANDS` runs on a
small stored sample in both languages, with ``CLIENTGUARD_LANG`` set to the OTHER one so
the option must win. Russian output may hold none of :data:`ENGLISH_UI` (English interface
words, kept by hand, plus every word of the English texts of ``cli.yaml`` that no Russian
text uses); English output may hold no Cyrillic once the client's own data is taken out.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.cli._console import console
from clientguard.report.i18n import strings
from clientguard.store import open_store
from tests.contracts.test_checker import EN_CONTRACT, RU_CONTRACT

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CASE = ROOT / "examples" / "sample_case.yaml"
CLIENT = "Кофейня «Пенка»"
BARE = "Иван Петров"  # a client with one short chat: no contract, invoices or revisions
NOTE = "Созвон по правкам"
PASSWORD = "long enough secret"

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

#: English interface words the old commands printed; none may stay in Russian output.
ENGLISH_UI = frozenset(
    {
        "client", "clients", "conversations", "messages", "last", "activity", "invoice", "invoices",
        "issued", "due", "paid", "still", "outstanding", "overdue", "amount", "late", "fee", "stage", "next",
        "step", "friendly", "firm", "formal", "claim", "court", "deliverable", "rounds", "limit", "state",
        "within", "reached", "change", "requests", "revision", "contract", "terms", "payment", "price",
        "working", "hours", "scope", "manual", "recorded", "confirmation", "confirmed", "ask", "records",
        "record", "covering", "head", "tampered", "problem", "problems", "appended", "entries", "entry",
        "verified", "added", "removed", "already", "known", "specialist", "password", "changed", "all",
        "warning", "extracted", "suggested", "clause", "status", "where", "quote", "why", "present", "weak",
        "missing", "trap", "none", "yet", "run", "first", "found", "delivery", "followed", "file", "wrong",
        "fix", "note", "notes", "day", "days", "from", "content", "plan", "role", "manager", "owner",
    }
)  # fmt: skip


def _english_words_of_cli_yaml() -> frozenset[str]:
    """Words of the English CLI texts that no Russian text uses (commands, ids and units are shared)."""
    raw = yaml.safe_load((ROOT / "clientguard" / "report" / "data" / "cli.yaml").read_text(encoding="utf-8"))
    texts = [entry for section in raw.values() for entry in section.values()]
    words = {lang: set() for lang in ("ru", "en")}  # type: dict[str, set[str]]
    for entry in texts:
        for lang in words:
            shown = re.sub(r"`[^`]*`|clientguard .*|\{[^}]*\}", " ", entry[lang])
            words[lang] |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", shown)}
    return frozenset(words["en"] - words["ru"])


DENY = ENGLISH_UI | _english_words_of_cli_yaml()


@dataclass(frozen=True)
class Case:
    """One command line; ``{client}``, ``{out}``, ``{contract}`` are filled in per run."""

    id: str
    args: tuple[str, ...]
    base: str = "full"  # the stored sample: full, bare (a chat, nothing else) or empty
    code: int = 0
    ui_option: bool = True  # False: --lang means something else here (contract check/add)
    coded_detail: bool = False  # prints an error's coded English detail ("line 2: …"), kept as is


COMMANDS = [
    Case("clients", ("clients",)),
    Case("import-again", ("import", "{sample}")),  # nothing new: the counts only
    # a skipped record: its heading in the language, its coded detail as is
    Case("import-bad", ("import", "{broken}", "--skip-bad"), coded_detail=True),
    Case("clients-empty", ("clients",), base="empty"),
    Case("messages", ("messages", "{client}")),
    Case("invoice-list-claim", ("invoice", "list", "--today", "2025-10-01")),
    Case("invoice-list-friendly", ("invoice", "list", "--overdue", "--today", "2025-09-18")),
    Case("invoice-list-none", ("invoice", "list"), base="bare"),
    Case("invoice-list-none-overdue", ("invoice", "list", "--overdue"), base="bare"),
    Case("invoice-add", ("invoice", "add", "{client}", "1000", "--issued", "2025-09-20",
                         "--due", "2025-10-01")),
    Case("invoice-paid-part", ("invoice", "paid", "{client}", "П-09", "--amount", "1000",
                               "--on", "2025-09-20")),
    Case("invoice-paid-full", ("invoice", "paid", "{client}", "П-09", "--on", "2025-09-20")),
    Case("revisions", ("revisions", "{client}")),
    Case("revisions-none", ("revisions", BARE), base="bare"),
    Case("contract-show", ("contract", "show", "{client}")),
    Case("contract-show-none", ("contract", "show", BARE), base="bare", code=1),
    Case("contract-set", ("contract", "set", "{client}", "--revision-limit", "3",
                          "--working-hours", "пн-пт 10:00-19:00")),
    Case("contract-check", ("contract", "check", "{contract}"), ui_option=False),
    Case("contract-add", ("contract", "add", "{client}", "{contract}", "--yes"), ui_option=False),
    Case("note-add", ("note", "add", "{client}", NOTE, "--kind", "call")),
    Case("note-confirm", ("note", "confirm", "{client}", "1", "--text", "Да, согласен")),
    Case("note-list", ("note", "list", "{client}")),
    Case("evidence-verify", ("evidence", "verify")),
    Case("evidence-sync", ("evidence", "sync")),
    Case("evidence-export", ("evidence", "export", "{client}", "--out", "{out}")),
    Case("me-add", ("me", "add", "user5550009")),
    Case("me-add-known", ("me", "add", "user5550008")),
    Case("me-remove", ("me", "remove", "user5550008")),
    Case("time-add", ("time", "add", "{client}", "1.5", "--member", "ivan")),  # a team database: a user
    Case("user-grant", ("user", "grant", "ivan", "{client}")),
    Case("user-revoke-none", ("user", "revoke", "ivan", "{client}")),
    Case("user-add", ("user", "add", "olga", "--role", "manager")),
    Case("user-list", ("user", "list")),
    Case("user-passwd", ("user", "passwd", "ivan")),
    Case("user-remove", ("user", "remove", "ivan")),
]  # fmt: skip


def invoke(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), args, env=env, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three stored samples, built once; each test works on a copy."""
    if not SAMPLE.is_file() or not CASE.is_file():
        pytest.skip("examples/sample_chat.json or sample_case.yaml not present")
    root = tmp_path_factory.mktemp("lang")
    files = {name: root / f"{name}.sqlite3" for name in ("full", "bare", "empty")}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLIENTGUARD_HOME", str(root / "home"))
        mp.setenv("CLIENTGUARD_PASSWORD", PASSWORD)
        mp.delenv("CLIENTGUARD_DB", raising=False)
        full = f"sqlite:///{files['full']}"
        for args in (
            ["analyze", str(SAMPLE), "--case", str(CASE), "--json"],
            ["note", "add", CLIENT, NOTE, "--kind", "agreement", "--date", "2025-09-02"],
            ["me", "add", "user5550008"],
            ["user", "add", "ivan", "--role", "specialist"],
        ):
            code, out = invoke([*args, "--db", full])
            assert code == 0, out
        chat = root / "bare.txt"
        lines = f"12.09.2025, 10:00 - {BARE}: Привет\n12.09.2025, 10:05 - Ольга: ок\n"
        chat.write_text(lines, encoding="utf-8")
        code, out = invoke(["import", str(chat), "--client", BARE, "--db", f"sqlite:///{files['bare']}"])
        assert code == 0, out
        open_store(f"sqlite:///{files['empty']}").close()  # read-only commands create no database
        code, out = invoke(["clients", "--json", "--db", f"sqlite:///{files['empty']}"])
        assert code == 0 and json.loads(out) == [], out
    return files


@pytest.fixture()
def wide(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A console wide enough that no table cell wraps a client's name in two."""
    monkeypatch.setenv("COLUMNS", "400")
    console.cache_clear()
    yield
    console.cache_clear()


def client_data() -> list[str]:
    """Everything the sample's people wrote or are called: shown as is in both languages."""
    chat = json.loads(SAMPLE.read_text(encoding="utf-8"))
    # "П-10": `invoice add` without --id numbers the next one after "П-09"
    data = [chat["name"], CLIENT, BARE, "Ольга", "Привет", NOTE, "Да, согласен", "П-09", "П-10"]
    data.append("ООО «Пенка»")
    for m in chat["messages"]:
        text = m.get("text", "")
        if not isinstance(text, str):  # Telegram's entity list: strings and {"text": …} parts
            text = "".join(p if isinstance(p, str) else p["text"] for p in text)
        data.append(text)
        data.append(m.get("from") or "")
    data += yaml.safe_load(CASE.read_text(encoding="utf-8"))["contract"]["scope"]
    return sorted((d for d in data if d), key=len, reverse=True)


def without_data(output: str, paths: list[Path]) -> str:
    """The output with the client's data, paths and ready-to-paste commands taken out."""
    text = " ".join(output.split())  # Rich pads and wraps; data is matched on single spaces
    for item in [*client_data(), *(str(p) for p in paths)]:
        text = text.replace(" ".join(item.split()), " ")
    # Commands are the same in both languages, and so are rule-set ids ("contracts-ru.v2").
    return re.sub(r"`[^`]*`|clientguard \S+ \S+[^.;:—]*|[\w-]+\.v\d+\b", " ", text)


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("case", COMMANDS, ids=[c.id for c in COMMANDS])
def test_every_command_speaks_the_chosen_language(
    case: Case, lang: str, bases: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wide: None
) -> None:
    db = tmp_path / "store.sqlite3"
    shutil.copy(bases[case.base], db)
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CLIENTGUARD_PASSWORD", PASSWORD)
    contract = tmp_path / f"contract_{lang}.md"
    contract.write_text("\n".join(RU_CONTRACT if lang == "ru" else EN_CONTRACT), encoding="utf-8")
    out_file = tmp_path / "export.html"
    broken = tmp_path / "broken.txt"  # one good WhatsApp line, one impossible date
    lines = f"12.09.2025, 10:00 - {BARE}: Привет\n31.02.2025, 10:05 - {BARE}: Привет\n"
    broken.write_text(lines, encoding="utf-8")
    fill = {"{client}": CLIENT, "{contract}": str(contract), "{out}": str(out_file), "{sample}": str(SAMPLE),
            "{broken}": str(broken)}
    args = [fill.get(a, a) for a in case.args] + ["--db", f"sqlite:///{db}"]
    other = "en" if lang == "ru" else "ru"
    if case.ui_option:
        env = {"CLIENTGUARD_LANG": other}  # the option beats the setting
        args += ["--lang", lang]
    else:
        env = {"CLIENTGUARD_LANG": lang}
    code, output = invoke(args, env)
    assert code == case.code, output
    assert output.strip(), "every case prints something to read"
    if case.coded_detail:  # the detail is the same in both languages (tools match its wording)
        line = "строка" if lang == "ru" else "line"  # its place is worded, though
        assert re.search(rf":{line} \d+: ", output), output
        output = re.sub(rf":{line} \d+: [^\n]*", " ", output)
    shown = without_data(output, [broken, SAMPLE, tmp_path, contract, out_file, Path(contract.name)])
    if lang == "ru":
        leftovers = sorted({w for w in re.findall(r"[A-Za-z]+", shown) if w.lower() in DENY})
        assert not leftovers, f"English left in the Russian output: {leftovers}\n{output}"
        assert re.search(r"[а-яё]", shown, re.I), output
    else:
        cyrillic = re.findall(r"\S*[А-Яа-яЁё]\S*", shown)
        assert not cyrillic, f"Russian left in the English output: {cyrillic}\n{output}"


@pytest.mark.parametrize(
    "args",
    [
        ["clients", "--json"],
        ["invoice", "list", "--json", "--today", "2025-10-01"],
        ["revisions", CLIENT, "--json"],
        ["contract", "show", CLIENT, "--json"],
        ["me", "list", "--json"],
        ["messages", CLIENT, "--json"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_json_is_data_in_every_language(args: list[str], bases: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    shutil.copy(bases["full"], db)
    outputs = set()
    for env in ({"CLIENTGUARD_LANG": "ru"}, {"CLIENTGUARD_LANG": "en"}):
        code, out = invoke([*args, "--db", f"sqlite:///{db}"], env)
        assert code == 0, out
        outputs.add(out)
    assert len(outputs) == 1
    (out,) = outputs
    if args[:2] == ["invoice", "list"]:
        assert json.loads(out)[0]["stage"] == "formal_claim"  # ids, not words
    if args[0] == "revisions":
        assert json.loads(out)[0]["deliverable"] == "content_plan"


def test_plural_counts_in_the_tampered_verdict(bases: dict[str, Path], tmp_path: Path) -> None:
    """The old wording was "TAMPERED (1 problems)"; each language counts in its own grammar."""
    from sqlalchemy import create_engine, text

    db = tmp_path / "store.sqlite3"
    shutil.copy(bases["full"], db)
    url = f"sqlite:///{db}"
    with create_engine(url).begin() as conn:
        conn.execute(text("UPDATE messages SET text = 'x' WHERE id = 4"))
    code, ru = invoke(["evidence", "verify", "--lang", "ru", "--db", url])
    assert code == 2 and "ЦЕЛОСТНОСТЬ НАРУШЕНА (1 проблема)" in ru, ru
    assert "сообщение 4 — изменено в базе после записи в журнал" in ru
    code, en = invoke(["evidence", "verify", "--lang", "en", "--db", url])
    assert code == 2 and "TAMPERED (1 problem)" in en, en
    assert "message 4 source_changed: message 4 was changed in the store" in en  # tools match this
    with create_engine(url).begin() as conn:
        conn.execute(text("UPDATE messages SET text = 'y' WHERE id IN (5, 6)"))
    assert "(3 проблемы)" in invoke(["evidence", "verify", "--lang", "ru", "--db", url])[1]
    assert "(3 problems)" in invoke(["evidence", "verify", "--lang", "en", "--db", url])[1]


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [
        ("ru", ["задержка оплаты", "недовольство", "звонок", "Номер", "сообщение</span> #4"],
         [">payment_delay<", ">message<"]),
        ("en", ["payment delay", "dissatisfaction", "agreement", "number"], [">payment_delay<"]),
    ],
)  # fmt: skip
def test_export_names_signals_in_the_document_language(
    lang: str, shown: list[str], hidden: list[str], bases: dict[str, Path], tmp_path: Path
) -> None:
    """The Russian export listed raw ids ("dissatisfaction"); the id stays in the tooltip."""
    db = tmp_path / "store.sqlite3"
    shutil.copy(bases["full"], db)
    url = f"sqlite:///{db}"
    if lang == "ru":
        assert invoke(["note", "add", CLIENT, NOTE, "--kind", "call", "--db", url])[0] == 0
    page = tmp_path / "e.html"
    code, out = invoke(["evidence", "export", CLIENT, "--out", str(page), "--lang", lang, "--db", url])
    assert code == 0, out
    html = page.read_text(encoding="utf-8")
    for text in shown:
        assert text in html, text
    for text in hidden:
        assert text not in html, text
    assert 'title="payment_delay"' in html
    data = tmp_path / "e.json"
    as_json = ["evidence", "export", CLIENT, "--format", "json", "--out", str(data), "--lang", lang]
    assert invoke([*as_json, "--db", url])[0] == 0
    flagged = json.loads(data.read_text(encoding="utf-8"))["flagged"]
    assert "payment_delay" in {s for e in flagged for s in e["signals"]}  # JSON keeps the ids


@pytest.mark.parametrize(("setting", "header"), [("ru", "клиент"), ("en", "client")])
def test_without_the_option_the_setting_decides(
    setting: str, header: str, bases: dict[str, Path], tmp_path: Path, wide: None
) -> None:
    db = tmp_path / "store.sqlite3"
    shutil.copy(bases["full"], db)
    code, out = invoke(["clients", "--db", f"sqlite:///{db}"], {"CLIENTGUARD_LANG": setting})
    assert code == 0 and out.split("\n")[1].split()[1] == header, out


def test_an_unknown_language_is_a_usage_error(bases: dict[str, Path]) -> None:
    args = ["clients", "--lang", "de", "--db", f"sqlite:///{bases['empty']}"]
    result = CliRunner().invoke(build_app(), args, env={"CLIENTGUARD_LANG": "en"})
    assert result.exit_code == 2 and "expected ru or en, got 'de'" in " ".join(result.output.split())
    result = CliRunner().invoke(build_app(), args, env={"CLIENTGUARD_LANG": "ru"})
    assert result.exit_code == 2 and "нужно ru или en, а указано «de»" in " ".join(result.output.split())


def test_every_english_cli_word_is_denied_in_russian() -> None:
    """The derived list catches new English texts; the hand list keeps the old wording out."""
    assert {"invoices", "covering", "appended"} <= DENY
    assert "clientguard" not in DENY and "seq" not in DENY
    assert set(strings())  # loads
