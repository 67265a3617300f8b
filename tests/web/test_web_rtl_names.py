"""A client who writes right to left (Arabic), on the client page in a real browser.

QA3 F10: on the flagged messages the time next to an Arabic sender name was reordered by
the bidi algorithm: "2026-03-28 21:10" showed as "21:10 28-03-2026", left of the name.
Names now sit in <bdi> and each message lays out in its own direction.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.web.web_helpers import LiveServer, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

NAME = "مطعم الشرق"
TEXTS = [(NAME, "user5004", "لماذا لم ترسل بعد؟ هذا غير مقبول!!! أنتم مجانين"), ("Ольга", "user1", "Hello")]


def _export(path: Path) -> Path:
    t0 = datetime(2026, 3, 28, 18, 10, tzinfo=UTC)
    msgs = [
        {"id": i, "type": "message", "date": (t0 + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%S"),
         "date_unixtime": str(int((t0 + timedelta(minutes=i)).timestamp())), "from": who, "from_id": uid,
         "text": text, "text_entities": []}
        for i, (who, uid, text) in enumerate(TEXTS * 3, 1)
    ]  # fmt: skip
    path.write_text(json.dumps({"name": NAME, "type": "personal_chat", "id": 5004, "messages": msgs},
                               ensure_ascii=False), encoding="utf-8")  # fmt: skip
    return path


def test_time_beside_an_arabic_name_keeps_its_order(tmp_home: Path, browser: Any) -> None:
    cfg = local_config(tmp_home)
    r = CliRunner().invoke(
        build_app(), ["import", str(_export(tmp_home.parent / "r.json")), "--me", "user1", "--db", cfg.db_url]
    )
    assert r.exit_code == 0, r.output
    with LiveServer(cfg) as server:
        browser.get(f"{server.url}/clients/1?lang=en")
        heads = browser.execute_script(
            """
            return [...document.querySelectorAll('.msg-head')].map(h => {
              const name = h.querySelector('strong').getBoundingClientRect();
              const when = h.querySelector('.muted').getBoundingClientRect();
              return [name.left, when.left];
            });
            """
        )
    assert heads, "no flagged message on the page"
    for name_left, when_left in heads:
        assert when_left > name_left, "the time was laid out left of the sender's name"
