"""QA pass 7: ``clientguard worker`` without a usable Redis says so in one line.

With Redis down or a mistyped ``CLIENTGUARD_REDIS`` every worker process printed a
redis-py traceback (and ``--workers 2`` printed two), naming neither the setting nor
what to fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.suite_helpers import run_main


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("redis://127.0.0.1:1/15", "E200: the job queue needs Redis: cannot reach redis://127.0.0.1:1/15"),
        ("redis://ops:s3cret@127.0.0.1:1/15", "cannot reach redis://ops:***@127.0.0.1:1/15"),
        ("127.0.0.1:6379", "E200: CLIENTGUARD_REDIS: expected a Redis URL like redis://"),
    ],
)
def test_worker_without_redis_is_one_line(
    url: str, said: str, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_REDIS", url)
    code, out, err = run_main(monkeypatch, capsys, "--lang", "en", "worker", "--workers", "1", "--burst")
    assert code == 1 and out == ""
    assert err.startswith("error ") and said in err, err
    assert "Traceback" not in err and "s3cret" not in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(("lang", "said"), [("en", "uploads wait for one"), ("ru", "без них загрузки ждут")])
def test_worker_help_says_every_upload_needs_it(
    lang: str, said: str, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said "the dashboard's big imports": in team mode no upload, small or big, is
    imported without a worker."""
    code, out, _ = run_main(monkeypatch, capsys, "--lang", lang, "worker", "--help")
    assert code == 0 and said in " ".join(out.replace("│", " ").split())
