"""The dashboard quotes a client's name once, and a refused contract upload is worded.

The manage page wrote «{name}» / “{name}” around the name itself, so a client named
«Кофейня «Пенка»» read «Кофейня «Пенка»» (marks of one kind inside each other); the text
now says ``{name:q}`` and the name goes through ``report.i18n.quote``: «Кофейня „Пенка“»,
“Cafe ‘Penka’”. A specialist's contract upload for a client not granted to them raised
an English-only AccessError; it is now ``store.not_yours_contract`` of errors.yaml (its
English quotes the name in English marks since helper 149, not «…»).
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from clientguard.errors import AccessError, ClientguardError
from clientguard.store import open_store
from clientguard.web import jobs
from clientguard.web.auth import add_user
from tests.cli.test_names_quoted_once import NAMES, nested_same_kind
from tests.web.web_helpers import ROOT, SAMPLE_CHAT, TestClient, create_app, local_config

CALLS = ROOT / "tests" / "fixtures" / "calls" / "telegram_night_calls.json"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_manage_page_quotes_the_name_once(tmp_home: Path, lang: str, name: str) -> None:
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client=name)
        store.import_paths([CALLS], client="Ночной клиент")  # a client to merge into: the form shows
        (cid,) = [c.id for c in store.clients() if c.name == name]
    with TestClient(create_app(cfg)) as web:
        page = web.get(f"/clients/{cid}/manage?lang={lang}")
    assert page.status_code == 200
    said = [unescape(p) for p in re.findall(r'<p class="[^"]*small">([^<]*)</p>', page.text)]
    named = [p for p in said if "Penka" in p or "Пенка" in p]
    assert named, said  # merge_what and merge_hint name the client
    for p in named:
        assert not nested_same_kind(p), p


def test_a_contract_for_a_client_not_yours_is_refused_in_both_languages(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    name = NAMES[0]
    with open_store(url) as store:
        store.import_paths([SAMPLE_CHAT], client=name)
        spec = add_user(store, "spec", "specialist", "password-123")
        job = jobs.create_job(store, "contract", "contract.txt", name, spec.id)
    raised: list[ClientguardError] = []
    shown = jobs.error_info

    def seen(exc: ClientguardError, folder: Path) -> dict[str, Any]:
        raised.append(exc)
        return shown(exc, folder)

    monkeypatch.setattr(jobs, "error_info", seen)
    jobs.run_job(job, url, str(tmp_path / "contract.txt"), "contract", name, None)
    (exc,) = raised
    assert isinstance(exc, AccessError)
    assert exc.message == (
        "client “Кофейня ‘Пенка’” is not one of yours; nothing was saved "
        "(an owner or a manager can add its contract)"
    )
    assert exc.text("ru") == (
        "клиент «Кофейня „Пенка“» — не из ваших; ничего не сохранено "
        "(договор может добавить владелец или менеджер)"
    )
