"""The client page's evidence block offers the JSON export (QA pass 7 on the evidence).

The dashboard offered the dispute export as HTML only: its head hash cannot be recomputed
from it, and a web-only user (team mode) had no way to get the JSON, which holds every
record of the chain, each message's exact JSON and the method. The block links it now.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.web.web_helpers import TestClient, create_app, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample_chat.json"


def test_the_evidence_block_links_a_json_export_whose_head_recomputes(tmp_home: Path) -> None:
    db = local_config(tmp_home).db_url
    r = CliRunner().invoke(build_app(), ["import", str(SAMPLE), "--client", "Пенка", "--db", db])
    assert r.exit_code == 0, r.output
    with TestClient(create_app(local_config(tmp_home))) as client:
        page = client.get("/clients/1").text
        block = page[page.index('id="evidence"') : page.index('id="notes"')]
        link = re.search(r'href="(/clients/1/evidence\.json)"', block)
        assert link, block
        response = client.get(link.group(1))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert 'filename="evidence-1.json"' in response.headers["content-disposition"]
    d = response.json()
    prev = "0" * 64
    for rec in d["chain"]:
        fields = {k: rec[k] for k in ("content_hash", "created_at", "kind", "ref", "seq", "source_hash")}
        text = json.dumps(fields | {"client_id": d["client_id"]}, sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))  # fmt: skip
        prev = hashlib.sha256((prev + text).encode()).hexdigest()
    assert prev == d["head_hash"] and d["verified"]
