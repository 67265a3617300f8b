"""A client name that matches no client: ``invoice add`` and ``analyze --client`` say so.

``invoice add`` used to create any client it was given, so a typo started a phantom
client; ``analyze --client`` printed an empty profile (risk 0, "continue as is") for a
client with no messages. Now an unknown name is one error line naming it and the close
stored names, ``invoice add --create-client`` adds a client on purpose, and a client that
exists but has no message yet is told so plainly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from clientguard.cli import build_app
from tests.suite_helpers import run_main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CLIENT = "Игорь Пенкин"  # the sample's client when imported without --client

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    assert invoke("import", str(SAMPLE), "--db", url).exit_code == 0
    return url


def invoke(*args: str) -> Result:
    return CliRunner().invoke(build_app(), list(args))


def ok(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def clients(db: str) -> list[str]:
    return [c["name"] for c in json.loads(ok("clients", "--json", "--db", db))]


def new_client(db: str) -> None:
    """A client with an invoice and no message."""
    ok("invoice", "add", "Новый бренд", "5000", "--due", "2025-10-01", "--issued", "2025-09-20",
       "--create-client", "--db", db)  # fmt: skip


# -- invoice add -------------------------------------------------------------------------
def test_invoice_for_a_typo_is_refused_and_names_close_clients(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    code, _, err = run_main(monkeypatch, capsys, "invoice", "add", "Игорь Пенкен", "1000",
                            "--due", "2025-10-01", "--db", db)  # fmt: skip
    assert code == 1 and "Traceback" not in err
    assert "E400" in err and "no client named 'Игорь Пенкен'" in err
    assert f"did you mean '{CLIENT}'?" in err and "--create-client" in err
    assert clients(db) == [CLIENT]  # no phantom client
    assert json.loads(ok("invoice", "list", "--json", "--db", db)) == []


def test_invoice_for_a_part_of_a_name_suggests_the_whole_name(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    code, _, err = run_main(
        monkeypatch, capsys, "invoice", "add", "пенкин", "1000", "--due", "2025-10-01", "--db", db
    )
    assert code == 1 and f"did you mean '{CLIENT}'?" in err


def test_invoice_for_a_known_client_in_any_case_needs_no_flag(db: str) -> None:
    out = ok(
        "invoice", "add", "игорь пенкин", "1000", "--due", "2025-10-01", "--issued", "2025-09-20",
        "--lang", "en", "--db", db,
    )  # fmt: skip
    assert out.startswith("invoice 1: 1,000\u00a0RUB")
    assert clients(db) == [CLIENT]


def test_create_client_adds_the_client_on_purpose(db: str) -> None:
    ok("invoice", "add", "Новый бренд", "5000", "--due", "2025-10-01", "--issued", "2025-09-20",
       "--create-client", "--db", db)  # fmt: skip
    assert sorted(clients(db)) == sorted([CLIENT, "Новый бренд"])
    [row] = json.loads(ok("invoice", "list", "Новый бренд", "--json", "--db", db))
    assert row["client"] == "Новый бренд"


# -- analyze --client --------------------------------------------------------------------
def test_analyze_an_unknown_client_is_an_error_with_close_names(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    code, _, err = run_main(monkeypatch, capsys, "analyze", "--client", "Игорь Пенкен", "--db", db)
    assert code == 1 and "no client named 'Игорь Пенкен'" in err and f"did you mean '{CLIENT}'?" in err
    code, _, err = run_main(monkeypatch, capsys, "analyze", "--client", "Nobody", "--db", db)
    assert code == 1 and "no client named 'Nobody'" in err and "did you mean" not in err


def test_analyze_a_client_named_by_a_case_file_that_does_not_exist(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    case = tmp_path / "case.yaml"
    case.write_text("client:\n  name: Игорь Пенкен\n", encoding="utf-8")
    code, _, err = run_main(monkeypatch, capsys, "analyze", "--case", str(case), "--db", db)
    assert code == 1 and "no client named 'Игорь Пенкен'" in err


@pytest.mark.parametrize(
    ("lang", "said", "name"),
    [
        ("ru", "пока нет сохранённых сообщений", "«Новый бренд»"),
        ("en", "no stored messages yet", "“Новый бренд”"),  # English quotes the English way
    ],
)
def test_analyze_a_client_without_messages_says_so_plainly(db: str, lang: str, said: str, name: str) -> None:
    new_client(db)
    result = CliRunner().invoke(
        build_app(), ["analyze", "--client", "новый бренд", "--lang", lang, "--db", db]
    )
    assert result.exit_code == 0
    assert (
        said in result.stdout and name in result.stdout and "clientguard import" in result.stdout
    )
    assert "0/100" not in result.stdout  # no empty profile


def test_analyze_json_of_a_client_without_messages_is_one_object_saying_why(db: str) -> None:
    """stdout stays machine-readable: an object with no profile, not an empty stream."""
    new_client(db)
    result = CliRunner().invoke(build_app(), ["analyze", "--client", "новый бренд", "--json", "--lang", "en",
                                              "--db", db])  # fmt: skip
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "client": "Новый бренд", "messages": 0, "profile": None, "reason": "no_messages"
    }
    assert "no stored messages yet" in result.stderr


def test_analyze_a_client_whose_chat_moved_away(db: str) -> None:
    ok("import", str(SAMPLE), "--client", "Кофейня", "--db", db)  # the chat moves to another client
    out = ok("analyze", "--client", CLIENT, "--lang", "en", "--db", db)
    assert "no stored messages yet" in out
    assert "conversations: 1, messages: 27" in ok(
        "analyze", "--client", "Кофейня", "--lang", "en", "--db", db
    )


# -- contract add (QA pass 5, N7) ----------------------------------------------------------
CONTRACT = (
    "Договор оказания услуг № 12\n\n"
    "1. Исполнитель оказывает услуги по ведению социальных сетей: 12 постов в месяц.\n\n"
    "2. Заказчик вправе запросить не более 2 раундов правок по каждому материалу.\n"
)


def test_contract_for_a_typo_is_refused_like_invoice_add(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``contract add "Игорь Пенкен" c.md -y`` created a phantom client holding the contract."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    doc = tmp_path / "c.md"
    doc.write_text(CONTRACT, encoding="utf-8")
    code, _, err = run_main(monkeypatch, capsys, "contract", "add", "Игорь Пенкен", str(doc), "--yes",
                            "--db", db)  # fmt: skip
    assert code == 1 and "Traceback" not in err
    assert "no client named 'Игорь Пенкен'" in err and f"did you mean '{CLIENT}'?" in err
    assert clients(db) == [CLIENT]
    ok("contract", "add", "игорь пенкин", str(doc), "--yes", "--db", db)
    assert json.loads(ok("contract", "show", CLIENT, "--json", "--db", db))["revision_limit"] == 2
    ok("contract", "add", "Новый бренд", str(doc), "--yes", "--create-client", "--db", db)
    assert sorted(clients(db)) == sorted([CLIENT, "Новый бренд"])
