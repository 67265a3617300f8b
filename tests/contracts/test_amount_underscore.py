"""`invoice add X 1_000` stored an invoice of 1 000: ``float()`` reads Python's digit
separator, which nobody writes a sum with ("10_00" is a slip beside the digit keys). It is
refused on the command line and in the web's money forms, as exponent notation is; the
ways people do group thousands (spaces, English commas) are still read, the same in both."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
import typer
from suite_helpers import run_main

from clientguard.cli._numbers import decimal
from clientguard.contracts.repo import invoices
from clientguard.store import open_store
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config

C = "Клиент А"


@pytest.mark.parametrize("typed", ["1_000", "10_00", "1_000,50", "1 000_000"])
def test_the_number_reader_refuses_an_underscore(typed: str) -> None:
    with pytest.raises(typer.BadParameter, match="without '_'"):
        decimal(typed)


@pytest.mark.parametrize(
    ("typed", "value"), [("1 000", 1000.0), ("1\u00a0000,50", 1000.5), ("1,000", 1000.0)]
)
def test_grouped_thousands_are_still_read(typed: str, value: float) -> None:
    assert decimal(typed) == value


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("invoice", "add", "Пенка", "1_000", "--due", "2025-12-01", "--create-client"), "without '_'"),
        (("time", "add", "Пенка", "1_5"), "expected hours such as 1.5")  # the hours reader's own line,
    ],
)
def test_the_cli_refuses_an_amount_with_an_underscore(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    args: tuple[str, ...],
    said: str,
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    code, out, err = run_main(monkeypatch, capsys, *args, "--db", db)
    assert code == 2 and "Traceback" not in err, out + err
    assert said in err and args[3] in err, err
    code, out, err = run_main(monkeypatch, capsys, "invoice", "list", "--json", "--db", db)
    assert json.loads(out or "[]") == [], out + err


@pytest.fixture()
def web(tmp_home: Path) -> Iterator[tuple[TestClient, int, str]]:
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client=C)
        cid = store.clients()[0].id
    with TestClient(create_app(cfg)) as client:
        client.get("/")  # the CSRF cookie
        yield client, cid, cfg.db_url


def _post(client: TestClient, path: str, lang: str, **data: str) -> tuple[int, str]:
    token = client.cookies.get("cg_csrf") or ""
    r = client.post(f"{path}?lang={lang}", data={"csrf": token, **data}, follow_redirects=False)
    found = re.search(r'id="error-message"[^>]*>([^<]*)<', r.text)
    return r.status_code, unescape(found.group(1)) if found else ""


@pytest.mark.parametrize(
    ("lang", "said"), [("ru", "есть подчёркивание (_)"), ("en", "has an underscore")]
)
def test_the_money_and_time_forms_refuse_an_underscore(
    web: tuple[TestClient, int, str], lang: str, said: str
) -> None:
    client, cid, url = web
    code, error = _post(client, f"/clients/{cid}/invoices", lang, amount="1_000", issued="2025-09-01",
                        due="2025-09-15")  # fmt: skip
    assert code == 400 and said in error and "1_000" in error, error
    time = {"hours": "1_5", "minutes": "", "day": "2025-09-01", "note": ""}
    code, error = _post(client, f"/clients/{cid}/time", lang, **time)
    assert code == 400 and said in error, error
    with open_store(url) as store:
        assert invoices(store, C) == []
    # thousands grouped with a space are read, as on the command line
    code, _ = _post(client, f"/clients/{cid}/invoices", lang, amount="1 000", issued="2025-09-01",
                    due="2025-09-15")  # fmt: skip
    assert code == 303
    with open_store(url) as store:
        assert [i.amount for i in invoices(store, C)] == [1000.0]
