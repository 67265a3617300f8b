"""The dashboard after ``clients merge`` and ``clients forget``: no 500, no ghost client.

Before closed clients were left out, the portfolio computed a profile for every client row,
and the row kept for a merged client's evidence chain (its name no longer found) turned
the whole dashboard into a 404. Now the merged client's page shows everything of both,
the merged-away and the erased client are 404, and the portfolio lists neither.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.store import lifecycle, open_store
from tests.web.web_helpers import TestClient, create_app, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CALLS = ROOT / "tests" / "fixtures" / "calls" / "telegram_night_calls.json"
A, B = "Кофейня «Пенка»", "Ночной клиент"


def test_merged_and_erased_clients_on_the_dashboard(tmp_home: Path) -> None:
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE], client=A)
        store.import_paths([CALLS], client=B)
    with TestClient(create_app(cfg)) as web:
        assert web.get("/").status_code == 200
        assert "27 сообщений" in web.get("/clients/1").text
        assert web.get("/clients/2").status_code == 200
        with open_store(cfg.db_url) as store:
            lifecycle.merge(store, B, A)
        page = web.get("/")
        assert page.status_code == 200 and B not in page.text and "merged into" not in page.text
        merged = web.get("/clients/1")
        assert merged.status_code == 200 and "37 сообщений" in merged.text  # 27 of A's and 10 of B's
        assert web.get("/clients/2").status_code == 404
        with open_store(cfg.db_url) as store:
            lifecycle.forget(store, A, "relationship ended")
        page = web.get("/")
        assert page.status_code == 200 and A not in page.text and "erased" not in page.text
        for path in ("/clients/1", "/clients/2", "/clients/1/evidence.json"):
            assert web.get(path).status_code == 404, path
