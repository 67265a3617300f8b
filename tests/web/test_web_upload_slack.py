"""The upload page takes a Slack workspace export zip with no flag: every channel and DM is
stored, and the job names them in its note (tests/fixtures/ingest/slack/agency)."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.test_ingest_slack import AGENCY, zip_folder
from tests.web.test_web_api import upload
from tests.web.web_helpers import TestClient


def test_a_slack_export_zip_is_uploaded_as_its_conversations(
    local_client: TestClient, tmp_path: Path
) -> None:
    job = upload(local_client, zip_folder(AGENCY, tmp_path / "Pixel Slack export.zip"))
    assert job["status"] == "done", job.get("error")
    assert job["result"]["messages_added"] == 13, job
    assert [n["code"] for n in job["result"]["notices"]] == ["slack_conversations"]
    assert {c["name"] for c in job["result"]["clients"]} >= {"Игорь Пенкин", "Sarah Lane"}
    cid = next(c["id"] for c in job["result"]["clients"] if c["name"] == "Игорь Пенкин")
    page = local_client.get(f"/clients/{cid}")
    assert page.status_code == 200 and 'id="risk-score"' in page.text
