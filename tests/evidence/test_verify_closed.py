"""``evidence verify NAME`` for a client renamed, merged away or erased (``clients …``).

Lookups find live clients only and a former name finds the client that has it now, so
``evidence verify`` checked the wrong chain for a client merged away (its old name led
to the client it went into), could not reach an erased one ("no client named …") and
said nothing of a rename. Now the chain checked is the one that had the name, and the
output says what became of it; a closed chain edited behind the tool is still tampering.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence_sample import CLIENT, ROOT, SAMPLE
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.errors import NotFoundError
from clientguard.report.i18n import quote
from clientguard.store import lifecycle, open_store
from clientguard.store.lookup import require_client

OTHER = "Иван Петров (Telegram)"
CALLS = ROOT / "tests" / "fixtures" / "calls" / "telegram_night_calls.json"
#: The client's name as the lines quote it: its own «…» become the inner marks (‘…’, „…“)
CLIENT_EN, CLIENT_RU, CLIENT_UPPER_EN = quote(CLIENT, "en"), quote(CLIENT, "ru"), quote(CLIENT.upper(), "en")


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'closed.sqlite3'}"
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    with open_store(url) as st:
        st.import_paths([SAMPLE], client=CLIENT)
        st.import_paths([CALLS], client=OTHER)
    return url


def run(db: str, *args: str, lang: str = "en") -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(build_app(), ["evidence", "verify", *args, "--db", db, "--lang", lang])
    failed = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.output, failed


def ids(db: str) -> tuple[int, int]:
    with open_store(db) as st, st.engine.connect() as conn:
        return require_client(conn, CLIENT)[0], require_client(conn, OTHER)[0]


def tamper(db: str, client_id: int) -> None:
    """Edit the first record of the client's chain behind the tool."""
    with open_store(db) as st, st.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE evidence_records SET created_at = '2020-01-01T00:00:00+00:00' "
            f"WHERE client_id = {client_id} AND seq = 1"
        )


def test_a_former_name_after_a_rename(db: str) -> None:
    a, _b = ids(db)
    with open_store(db) as st:
        lifecycle.rename(st, CLIENT, "Кофейня «Зерно»", by="owner")
    code, out, _ = run(db, CLIENT)
    assert code == 0, out
    assert f"{CLIENT_EN}: renamed {CLIENT_EN} → “Кофейня ‘Зерно’”" in out
    assert out.splitlines()[1].startswith("Кофейня «Зерно»:") and "— OK" in out
    code, out, _ = run(db, CLIENT, lang="ru")
    assert code == 0 and f"{CLIENT_RU}: переименован: {CLIENT_RU} → «Кофейня „Зерно“»" in out
    # the current name: no story to tell
    code, out, _ = run(db, "Кофейня «Зерно»")
    assert code == 0 and "renamed “" in out and not out.startswith("“")
    assert a == ids_after_rename(db)


def ids_after_rename(db: str) -> int:
    with open_store(db) as st, st.engine.connect() as conn:
        return require_client(conn, "Кофейня «Зерно»")[0]


def test_a_client_merged_away_verifies_its_own_closed_log(db: str) -> None:
    a, b = ids(db)
    with open_store(db) as st:
        lifecycle.merge(st, CLIENT, OTHER)
    code, out, _ = run(db, CLIENT)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith(f"{CLIENT_EN}: merged into client “{OTHER}” on ")
    now = f'  this client\'s records are now with “{OTHER}”: clientguard evidence verify "{OTHER}"'
    assert lines[1] == now
    # the merged client's own chain (it had the name), not the one it went into
    assert lines[2].startswith(f"#{a} (merged into #{b}):") and lines[2].endswith("— OK")
    code, out, _ = run(db, CLIENT, lang="ru")
    assert code == 0 and f"{CLIENT_RU}: объединён с клиентом «{OTHER}»" in out
    assert f"записи этого клиента теперь у «{OTHER}»" in out
    # by its number too
    code, out, _ = run(db, f"#{a}")
    assert code == 0 and f"#{a} (merged into #{b}):" in out


def test_renamed_then_merged(db: str) -> None:
    a, b = ids(db)
    with open_store(db) as st:
        lifecycle.rename(st, CLIENT, "Зерно")
        lifecycle.merge(st, "Зерно", OTHER)
    code, out, _ = run(db, CLIENT.upper())  # any case
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith(f"{CLIENT_UPPER_EN}: renamed {CLIENT_EN} → “Зерно”")
    assert lines[1].startswith(f"{CLIENT_UPPER_EN}: merged into client “{OTHER}”")
    assert lines[3].startswith(f"#{a} (merged into #{b}):")


def test_an_erased_client_by_its_number(db: str) -> None:
    a, _b = ids(db)
    with open_store(db) as st:
        lifecycle.forget(st, CLIENT, "договор расторгнут", by="owner")
    for typed in (f"#{a}", f"#{a} (erased)"):
        code, out, _ = run(db, typed)
        assert code == 0, out
        assert out.startswith(f"“{typed}”: client erased (clients forget) on ")
        assert "reason: “договор расторгнут”" in out and f"#{a} (erased):" in out
    code, out, _ = run(db, f"#{a}", lang="ru")
    assert code == 0 and "клиент удалён (clients forget)" in out and "причина: «договор расторгнут»" in out
    # its name is kept nowhere: the error says how to reach it
    code, out, failed = run(db, CLIENT)
    assert isinstance(failed, NotFoundError)
    assert "an erased client keeps no name" in str(failed) and "evidence verify '#N'" in str(failed)
    assert str(failed).startswith(f"E400: no client named '{CLIENT}'")  # the code once ("E400: E400:" was)
    said = failed.text("ru")
    assert said.startswith(f"нет клиента {CLIENT_RU}") and "у удалённого клиента нет имени" in said


def test_a_name_found_nowhere_without_erased_clients_is_the_usual_error(db: str) -> None:
    _code, _out, failed = run(db, "Никто")
    assert isinstance(failed, NotFoundError) and "erased" not in str(failed)


def test_a_tampered_merged_away_chain_is_still_tampered(db: str) -> None:
    a, _b = ids(db)
    with open_store(db) as st:
        lifecycle.merge(st, CLIENT, OTHER)
    tamper(db, a)
    code, out, _ = run(db, CLIENT)
    assert code == 2, out
    assert "merged into client" in out and "TAMPERED" in out


def test_a_tampered_erased_chain_is_still_tampered(db: str) -> None:
    a, _b = ids(db)
    with open_store(db) as st:
        lifecycle.forget(st, CLIENT, "просьба клиента")
    tamper(db, a)
    code, out, _ = run(db, f"#{a}")
    assert code == 2, out
    assert "client erased" in out and "TAMPERED" in out
