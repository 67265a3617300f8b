"""The dashboard's evidence downloads are streamed from the CLI's writers, with the same bytes.

The routes built the whole file first (``render``): a 50,000-message client's JSON as a
str and as bytes at once. They now send :func:`clientguard.evidence.export.stream`'s
pieces; the file, its name and its content type are what they were.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from evidence_sample import CLIENT, SAMPLE

from clientguard.errors import ConfigError
from clientguard.evidence import export as ex
from clientguard.evidence.dispute import prepare
from clientguard.evidence.export import STREAM_CHUNK, render, stream
from clientguard.evidence.verify import resolve_client
from clientguard.store import Store, open_store
from clientguard.web.app import create_app
from tests.web.web_helpers import TestClient, local_config


class _Pinned(datetime):
    """``datetime`` whose ``now`` is fixed, so two exports of one log are byte-equal."""

    @classmethod
    def now(cls, tz: Any = None) -> _Pinned:
        return cls(2025, 10, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_the_pieces_are_the_rendered_file(store: Store, fmt: str) -> None:
    with store.engine.connect() as conn:
        cid = resolve_client(conn, CLIENT)
    data = prepare(store.engine, cid)
    for lang in ("ru", "en"):
        pieces = list(stream(data, fmt, lang))
        assert b"".join(pieces) == render(data, fmt, lang)
        # pieces of a useful size, not one per template tag
        assert all(len(p) >= STREAM_CHUNK for p in pieces[:-1])


def test_a_bad_format_fails_before_any_piece(store: Store) -> None:
    with store.engine.connect() as conn:
        cid = resolve_client(conn, CLIENT)
    data = prepare(store.engine, cid)
    with pytest.raises(ConfigError, match="expected a format"):
        stream(data, "docx", "ru")  # not even iterated
    with pytest.raises(ConfigError, match="PDF export is laid out whole"):
        stream(data, "pdf", "ru")


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, str, int]:
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(ex, "datetime", _Pinned)
    cfg = local_config(tmp_path)
    with open_store(cfg.db_url) as st:
        st.import_paths([SAMPLE], client=CLIENT)
        with st.engine.connect() as conn:
            cid = resolve_client(conn, CLIENT)
    return TestClient(create_app(cfg)), cfg.db_url, cid


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("json", "application/json"), ("html", "text/html; charset=utf-8")]
)
def test_the_download_is_streamed_with_the_same_bytes_name_and_type(
    site: tuple[TestClient, str, int], fmt: str, content_type: str
) -> None:
    web, url, cid = site
    with web:
        web.get("/")
        got = web.get(f"/clients/{cid}/evidence.{fmt}")
    assert got.status_code == 200
    assert got.headers["content-type"] == content_type
    assert got.headers["content-disposition"] == f'attachment; filename="evidence-{cid}.{fmt}"'
    # streamed: no length known before the body is written
    assert "content-length" not in got.headers
    with open_store(url) as st:
        again = prepare(st.engine, cid)  # the log is synced already: the same data
    assert got.content == render(again, fmt, "ru")


def test_a_missing_client_is_still_a_404_page(site: tuple[TestClient, str, int]) -> None:
    web, _url, cid = site
    with web:
        web.get("/")
        got = web.get(f"/clients/{cid + 100}/evidence.json")
    assert got.status_code == 404
