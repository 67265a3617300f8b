"""``contract show`` and ``contract check --client`` tell every term an older reader read
otherwise (payment days, revision rounds…), not the late fee alone, in Russian and English.

Before, a contract whose late fee read the same but whose payment days an older reader got
wrong said nothing until ``contract reread --dry-run``. ``invoice list`` keeps its
late-fee notice (its penalties come from that term), so it stays quiet here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.contracts.repo import add_invoice
from clientguard.store import open_store
from tests.contracts.test_older_terms import stored_by_an_older_reader

WANT = {
    "en": (
        "note: Acme: an older clientguard read these terms of the contract otherwise than it reads today"
        " — revision limit: 3 → 2; payment due, days: 30 → 14."
        " See and fix: clientguard contract reread Acme --dry-run"
    ),
    "ru": (
        "внимание: «Acme»: эти условия прежняя версия clientguard прочитала в договоре иначе, чем он"
        " читается сейчас — лимит правок: 3 → 2; срок оплаты, дней: 30 → 14."
        " Посмотреть и исправить: clientguard contract reread Acme --dry-run"
    ),
}
ONE = {
    "en": "note: Acme: payment due, days: 30 is how an older clientguard read the contract; today the clause"
    " reads as 14.",
    "ru": "внимание: «Acme»: срок оплаты, дней: 30 — так договор прочитала прежняя версия clientguard;"
    " сейчас пункт читается как 14.",
}


@pytest.fixture()
def db(tmp_path: Path) -> tuple[str, Path]:
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    with open_store(url) as store:
        path = stored_by_an_older_reader(store, tmp_path)
        add_invoice(store, "Acme", 1500, due="2025-05-01", issued="2025-04-17", number="1")
    return url, path


def _err(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args))
    assert result.exit_code == 0, result.output
    return " ".join(result.stderr.split())


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_show_and_check_tell_every_older_term(db: tuple[str, Path], lang: str) -> None:
    url, path = db
    assert WANT[lang] in _err("--lang", lang, "contract", "show", "Acme", "--db", url)
    assert WANT[lang] in _err("--lang", lang, "contract", "check", str(path), "--client", "Acme", "--db", url)
    assert "clientguard" not in _err("--lang", lang, "invoice", "list", "--db", url, "--today", "2025-05-21")

    _err("--lang", lang, "contract", "set", "Acme", "--revision-limit", "3", "--db", url)  # the user's own
    assert ONE[lang] in _err("--lang", lang, "contract", "show", "Acme", "--db", url)

    _err("--lang", lang, "contract", "reread", "Acme", "--db", url)
    assert "clientguard" not in _err("--lang", lang, "contract", "show", "Acme", "--db", url)
