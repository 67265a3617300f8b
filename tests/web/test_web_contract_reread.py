"""The contract re-read from the dashboard: notice, button, confirmation page, one POST.

A contract an older reader read (payment days 30 and 3 revision rounds where the file says
14 and 2; tests/contracts/test_older_terms.py stores it) is told on the client page term
by term, and its button leads to a page with every old → new that writes nothing; only
the POST from that page writes, with the CLI's writer, onto the evidence log. A file
edited or terms set between the page and the POST refuse it (409), nothing written.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clientguard.contracts.repo import set_terms, terms_record
from clientguard.store import open_store
from clientguard.store.models_contracts import ContractTermsRow
from tests.contracts.test_older_terms import TERMS, stored_by_an_older_reader
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config

C = "Acme"
NOTICE = {
    "ru": "Эти условия прежняя версия clientguard прочитала в договоре иначе, чем он читается сейчас —"
    " лимит правок: 3 → 2; срок оплаты, дней: 30 → 14. Посмотреть и исправить:"
    " clientguard contract reread Acme --dry-run",
    "en": "An older clientguard read these terms of the contract otherwise than it reads today —"
    " revision limit: 3 → 2; payment due, days: 30 → 14. See and fix:"
    " clientguard contract reread Acme --dry-run",
}
CHANGES = {
    "ru": ["Лимит правок: 3 → 2", "Срок оплаты, дней: 30 → 14"],
    "en": ["Revision limit: 3 → 2", "Payment due, days: 30 → 14"],
}
DONE = {
    "ru": "✓ Договор перечитан, новые условия записаны; их версия — в журнале доказательств.",
    "en": "✓ The contract was read again and the new terms written; their version is on the evidence log.",
}
CHANGED = {
    "ru": "Пока вы смотрели изменения, файл договора или условия клиента изменились — ничего не записано.",
    "en": "The contract file or the client's terms changed while you were looking: nothing was written.",
}


@pytest.fixture()
def site(tmp_home: Path, tmp_path: Path) -> Iterator[tuple[TestClient, int, str, Path]]:
    """The dashboard on SQLite: Acme with the sample chat and the contract an older reader read."""
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client=C)
        cid = store.clients()[0].id
        path = stored_by_an_older_reader(store, tmp_path, C)
    with TestClient(create_app(cfg)) as web:
        web.get("/")  # the CSRF cookie
        yield web, cid, cfg.db_url, path


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _by_id(page: str, element: str, tag: str = "p") -> str | None:
    found = re.search(rf'id="{element}"[^>]*>(.*?)</{tag}>', page, re.S)
    return _text(found.group(1)) if found else None


def _items(page: str, element: str) -> list[str]:
    found = re.search(rf'id="{element}"[^>]*>(.*?)</ul>', page, re.S)
    return [_text(li) for li in re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S)] if found else []


def _terms(db: str) -> tuple[Any, Any, Any]:
    with open_store(db) as store:
        record = terms_record(store, C)
    assert record is not None
    return record.terms.revision_limit, record.terms.payment_due_days, record.updated_at


def _confirm(web: TestClient, cid: int, page: str, lang: str, **extra: str) -> Any:
    token = re.search(r'name="token" value="([^"]*)"', page)
    csrf = re.search(r'name="csrf" value="([^"]*)"', page)
    assert token and csrf, "no confirmation form on the page"
    data = {"csrf": csrf.group(1), "token": html.unescape(token.group(1))} | extra
    return web.post(f"/clients/{cid}/reread?lang={lang}", data=data, follow_redirects=False)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_button_shows_every_change_and_the_post_writes_it(
    site: tuple[TestClient, int, str, Path], lang: str
) -> None:
    from clientguard.evidence.log import latest_records
    from clientguard.evidence.verify import verify_client

    web, cid, db, _path = site
    page = web.get(f"/clients/{cid}?lang={lang}").text
    assert _by_id(page, "contract-older-reading") == NOTICE[lang]
    assert f'href="/clients/{cid}/reread"' in page  # the button

    before = _terms(db)
    preview = web.get(f"/clients/{cid}/reread?lang={lang}")
    assert preview.status_code == 200
    assert _items(preview.text, "reread-changes") == CHANGES[lang]
    assert _terms(db) == before  # the confirmation page writes nothing

    done = _confirm(web, cid, preview.text, lang)
    assert done.status_code == 303 and done.headers["location"].endswith("done=terms_reread#contract")
    assert _terms(db)[:2] == (2, 14)
    page = web.get(f"/clients/{cid}?lang={lang}&done=terms_reread").text  # where the POST leads
    assert 'id="contract-older-reading"' not in page and 'id="reread-button"' not in page
    assert _by_id(page, "done-message") == DONE[lang]

    with open_store(db) as store, store.engine.connect() as conn:  # logged as `contract reread` logs it
        client_id, terms_id = conn.execute(select(ContractTermsRow.client_id, ContractTermsRow.id)).one()
        key = ("contract", f"contract_terms:{terms_id}")
        payload = latest_records(conn, client_id, [key])[key][1]
        assert verify_client(conn, client_id).ok
    assert payload is not None
    logged = json.loads(payload)
    assert (logged["revision_limit"], logged["payment_due_days"]) == (2, 14)


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("between", ["file_edited", "terms_set", "contract_added"])
def test_a_change_between_the_page_and_the_post_is_refused(
    site: tuple[TestClient, int, str, Path], lang: str, between: str
) -> None:
    web, cid, db, path = site
    preview = web.get(f"/clients/{cid}/reread?lang={lang}").text
    if between == "file_edited":  # what the page showed is not what the file reads now
        path.write_text(TERMS.replace("14 days", "21 days"), encoding="utf-8")
    elif between == "terms_set":
        with open_store(db) as store:
            set_terms(store, C, price=1600)
    else:
        from clientguard.contracts import check_contract
        from clientguard.contracts.repo import save_contract

        other = path.with_name("addendum.md")
        other.write_text(TERMS.replace("14 days", "10 days"), encoding="utf-8")
        with open_store(db) as store:
            save_contract(store, C, other, check_contract(other))
    before = _terms(db)
    refused = _confirm(web, cid, preview, lang)
    assert refused.status_code == 409
    assert (_by_id(refused.text, "error-message") or "").startswith(CHANGED[lang])
    assert _terms(db) == before  # nothing written
    if between == "terms_set":  # the page shows what a re-read gives now, ready to confirm
        assert _items(refused.text, "reread-changes") == CHANGES[lang]
        assert _confirm(web, cid, refused.text, lang).status_code == 303
        assert _terms(db)[:2] == (2, 14)


def test_only_a_token_from_the_page_and_a_csrf_token_write(site: tuple[TestClient, int, str, Path]) -> None:
    web, cid, db, _path = site
    before = _terms(db)
    preview = web.get(f"/clients/{cid}/reread?lang=en").text
    forged = web.post(
        f"/clients/{cid}/reread?lang=en",
        data={"csrf": web.cookies.get("cg_csrf") or "", "token": "made-up"},
        follow_redirects=False,
    )
    assert forged.status_code == 400
    assert (_by_id(forged.text, "error-message") or "").startswith(
        "This form did not come from this client's confirmation page: nothing was written."
    )
    no_csrf = _confirm(web, cid, preview, "en", csrf="forged")
    assert no_csrf.status_code == 403
    assert _terms(db) == before
    assert web.get(f"/clients/{cid}/reread", follow_redirects=False).status_code == 200  # GET writes nothing
    assert _terms(db) == before


def test_a_legacy_hand_value_is_kept_unless_asked(site: tuple[TestClient, int, str, Path]) -> None:
    """A term stored before origins were kept, after a `contract set`: the page keeps it and
    offers to take the contract's value, as --take-unsure does."""
    from sqlalchemy import delete

    from clientguard.store.models_contracts import TermOriginRow

    web, cid, db, _path = site
    with open_store(db) as store:
        set_terms(store, C, payment_due_days=45)
        with store.engine.begin() as conn:
            conn.execute(delete(TermOriginRow))
    preview = web.get(f"/clients/{cid}/reread?lang=en").text
    assert _items(preview, "reread-changes") == ["Revision limit: 3 → 2"]
    assert _items(preview, "reread-kept") == [
        "Payment due, days: 45 — stored before clientguard recorded what was set by hand"
        " (the contract reads: 14)"
    ]
    taken = web.get(f"/clients/{cid}/reread?lang=en&take_unsure=1").text
    assert _items(taken, "reread-changes") == ["Revision limit: 3 → 2", "Payment due, days: 45 → 14"]
    assert _confirm(web, cid, taken, "en").status_code == 303
    assert _terms(db)[:2] == (2, 14)


@pytest.mark.postgres
@pytest.mark.redis
def test_team_a_granted_specialist_may_a_stranger_may_not(
    team_client: TestClient, team_db: dict[str, Any], tmp_path: Path
) -> None:
    """As saving a contract to a client: a specialist re-reads the clients granted to them."""
    from tests.web.test_web_team import login

    cid, db = team_db["client_id"], team_db["url"]
    with open_store(db) as store:
        stored_by_an_older_reader(store, tmp_path, "Клиент А")
    before = _terms_of(db, "Клиент А")
    assert login(team_client, "petr").status_code == 303
    assert team_client.get(f"/clients/{cid}/reread").status_code == 403
    team_client.cookies.clear()
    assert login(team_client, "ivan").status_code == 303
    assert f'href="/clients/{cid}/reread"' in team_client.get(f"/clients/{cid}").text
    preview = team_client.get(f"/clients/{cid}/reread?lang=ru").text
    assert _items(preview, "reread-changes") == CHANGES["ru"]
    assert _terms_of(db, "Клиент А") == before
    assert _confirm(team_client, cid, preview, "ru").status_code == 303
    assert _terms_of(db, "Клиент А")[:2] == (2, 14)


def _terms_of(db: str, client: str) -> tuple[Any, Any, Any]:
    with open_store(db) as store:
        record = terms_record(store, client)
    assert record is not None
    return record.terms.revision_limit, record.terms.payment_due_days, record.updated_at
