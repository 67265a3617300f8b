"""QA pass 7: a colleague on another machine is told why the dashboard refuses them.

``serve --team --host 0.0.0.0`` answers only the names in ``CLIENTGUARD_ALLOWED_HOSTS``
(DNS-rebinding protection). Each colleague got a bare "Invalid host header", and the
start-up line ("http://0.0.0.0:8000/") named no address they could use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clientguard.web.app import create_app
from clientguard.web.i18n import tr
from tests.suite_helpers import run_main
from tests.web.web_helpers import TestClient, local_config


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_refused_address_is_named_with_the_setting(tmp_home: Path, lang: str) -> None:
    app = create_app(local_config(tmp_home))
    with TestClient(app, base_url="http://192.0.2.2:8000") as client:
        r = client.get("/", headers={"accept-language": lang})
    assert r.status_code == 400
    assert "192.0.2.2" in r.text and "CLIENTGUARD_ALLOWED_HOSTS=localhost,192.0.2.2" in r.text
    assert r.text.startswith(tr("host_refused", lang).split("«")[0].split("“")[0])
    assert r.headers["x-content-type-options"] == "nosniff"

    # The check is still the library's: names, ``*.domain`` patterns, IPv6 literals.
    cfg = local_config(tmp_home, allowed_hosts=("127.0.0.1", "*.agency.lan", "::1"))
    app = create_app(cfg)
    for base in ("http://127.0.0.1:8000", "http://pc.agency.lan", "http://[::1]:8000"):
        with TestClient(app, base_url=base) as client:
            assert client.get("/healthz").status_code == 200, base
    with TestClient(app, base_url="http://agency.lan.evil.example") as client:
        assert client.get("/healthz").status_code == 400
    with TestClient(app, base_url="http://192.0.2.2") as client:
        assert "192.0.2.2" in client.get("/healthz").text


def test_serve_on_all_interfaces_says_how_colleagues_get_in(
    tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    started: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: started.append(kw))
    for name in ("CLIENTGUARD_ALLOWED_HOSTS", "CLIENTGUARD_WEB_DB", "CLIENTGUARD_WEB_TEAM"):
        monkeypatch.delenv(name, raising=False)  # serve sets them for uvicorn's workers
    code, out, _ = run_main(monkeypatch, capsys, "serve", "--host", "0.0.0.0", "--port", "8123")
    assert code == 0 and started and started[0]["host"] == "0.0.0.0"
    assert "CLIENTGUARD_ALLOWED_HOSTS" in out and "other machines" in out
    monkeypatch.setenv("CLIENTGUARD_ALLOWED_HOSTS", "localhost,office-pc")
    code, out, _ = run_main(monkeypatch, capsys, "serve", "--host", "0.0.0.0", "--port", "8123")
    assert code == 0 and "other machines" not in out  # set up already: nothing to say
