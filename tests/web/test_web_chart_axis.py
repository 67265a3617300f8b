"""The client page's timeline axis writes numbers the page language's way ("1,5" in Russian).

The HTML report passed its language to the chart; the client page did not, so a Russian
page's axis read "1.5" next to "1,5" everywhere else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.web.web_helpers import TestClient, create_app, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")


def _chat(path: Path) -> Path:
    """One flagged client message (payment delay only): the axis peak is 1, its middle 0.5."""
    msgs = [
        {"id": 1, "type": "message", "date": "2026-09-01T11:00:00", "date_unixtime": "1756713600",
         "from": "Ольга", "from_id": "user111", "text": "Счёт за сентябрь отправила", "text_entities": []},
        {"id": 2, "type": "message", "date": "2026-09-01T12:00:00", "date_unixtime": "1756717200",
         "from": "Игорь", "from_id": "user222", "text": "Оплатим в следующем месяце, денег пока нет",
         "text_entities": []},
    ]  # fmt: skip
    chat = {"name": "Игорь", "type": "personal_chat", "id": 7, "messages": msgs}
    path.write_text(json.dumps(chat, ensure_ascii=False), encoding="utf-8")
    return path


def test_axis_numbers_follow_the_page_language(tmp_home: Path) -> None:
    db = local_config(tmp_home).db_url
    runner = CliRunner()
    for args in (["me", "add", "user111"], ["import", str(_chat(tmp_home.parent / "r.json"))]):
        assert runner.invoke(build_app(), [*args, "--db", db]).exit_code == 0
    with TestClient(create_app(local_config(tmp_home))) as client:
        pages = {lg: client.get(f"/clients/1?lang={lg}").text for lg in ("ru", "en")}
    axis = {lg: re.findall(r">(\d+[.,]\d+)</text>", page) for lg, page in pages.items()}
    assert axis["en"] and all("." in n for n in axis["en"]), axis  # the chat gives a fractional tick
    assert axis["ru"] == [n.replace(".", ",") for n in axis["en"]]
