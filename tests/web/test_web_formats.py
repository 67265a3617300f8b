"""A new user's path: upload a real export of each format from ../shared/fixtures/formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.test_web_api import upload
from tests.web.web_helpers import TestClient

FIXTURES = (
    "telegram_json/langchain-community/telegram.json",
    "telegram_html/langchain-community/messages.html",
    "whatsapp_txt/whatstk/pokemon.txt",
    "email_mbox/mimekit/unmunged.mbox.txt",
)


@pytest.mark.parametrize("rel", FIXTURES)
def test_real_export_shows_a_profile(local_client: TestClient, shared_dir: Path, rel: str) -> None:
    path = shared_dir / "fixtures" / "formats" / rel
    if not path.exists():
        pytest.skip(f"fixture {rel} not in ../shared")
    job = upload(local_client, path)
    assert job["status"] == "done", job.get("error")
    assert job["result"]["clients"], job
    cid = job["result"]["clients"][0]["id"]
    page = local_client.get(f"/clients/{cid}")
    assert page.status_code == 200 and 'id="risk-score"' in page.text


def test_whatsapp_zip(local_client: TestClient, shared_dir: Path, tmp_path: Path) -> None:
    import zipfile

    txt = shared_dir / "fixtures" / "formats" / "whatsapp_txt" / "whatstk" / "pokemon.txt"
    if not txt.exists():
        pytest.skip("whatstk fixture not in ../shared")
    archive = tmp_path / "WhatsApp Chat.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(txt, "WhatsApp Chat with Pokemon.txt")
    job = upload(local_client, archive)
    assert job["status"] == "done" and job["result"]["messages_added"] > 0, job
