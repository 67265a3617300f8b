"""The evidence ids of the HTML report lead to the quoted messages (QA pass 7).

A client manager read "off-hours messages · 8 · #w32567a7e16cb769e3341 #w93a20f22fb7afecfd056 …"
in the signal table: ids that named nothing on the page and could not be followed. Each id
whose message is quoted under "Flagged messages" now links to that quote.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from clientguard.cli import build_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_evidence_ids_link_to_their_quotes(tmp_path: Path, tmp_home: Path) -> None:
    page = tmp_path / "report.html"
    r = CliRunner().invoke(build_app(), [
        "--lang", "en", "analyze", str(EXAMPLES / "sample_chat.json"),
        "--case", str(EXAMPLES / "sample_case.yaml"), "--html", str(page), "--json",
    ])  # fmt: skip
    assert r.exit_code == 0, r.output
    html = page.read_text(encoding="utf-8")
    quotes = dict(re.findall(r'<blockquote id="(q\d+)"><span class="meta">#([^ ]+) ·', html))
    links = re.findall(r'<a class="tag" href="#(q\d+)">#([^<]+)</a>', html)
    assert links, "no evidence id is a link"
    for anchor, shown in links:
        assert quotes.get(anchor) == shown, (anchor, shown)  # the link lands on that very message
    # every off-hours message the table names is quoted, so every one of them is a link
    table = html[html.index("<table>", html.index('id="recommendation"')):]
    off_hours = re.search(r"<tr><td>off-hours messages</td>.*?</tr>", table, re.S)
    assert off_hours is not None
    named = re.findall(r">#([^<]+)</", off_hours.group(0))
    linked = {shown for _, shown in links}
    assert named and set(named) <= linked, set(named) - linked
