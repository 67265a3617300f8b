"""The client page shows and copies the reply drafts with their no-break spaces (helper 148).

The drafts tie "1 250 000 ₽", "№ 12" and "до 5 декабря 2025" with U+00A0 so a messenger
never breaks them across lines. The page must pass that character through as it is: Jinja's
autoescape leaves it alone (an ``&nbsp;`` entity would be the same character to a browser,
but a character reference in the source is what a user who copies from "view source" or a
saved page gets as text), the ``<pre>`` does not wrap at it, and the copy button
(``innerText`` into the clipboard) hands it on to the letter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from clientguard.contracts.repo import add_invoice
from clientguard.store import open_store
from tests.web.web_helpers import SAMPLE_CHAT, LiveServer, TestClient, chrome, create_app, local_config

SUMS = {"ru": "1\u00a0250\u00a0000\u00a0₽", "en": "1,250,000\u00a0RUB"}


def _stored(store: Any) -> None:
    store.import_paths([SAMPLE_CHAT], client="Клиент А")
    add_invoice(store, "Клиент А", 1250000, due="2025-09-10", issued="2025-09-01", number="12")


@pytest.fixture()
def web(tmp_home: Path) -> Iterator[TestClient]:
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        _stored(store)
    with TestClient(create_app(cfg)) as client:
        yield client


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_page_keeps_the_drafts_no_break_spaces_as_characters(web: TestClient, lang: str) -> None:
    page = web.get(f"/clients/1?lang={lang}").text
    drafts = re.findall(r'<pre class="reply-text"[^>]*>(.*?)</pre>', page, re.S)
    assert drafts, "no reply drafts on the page"
    raw = "\n".join(drafts)
    assert "&nbsp;" not in raw and "&#160;" not in raw and "&#xa0;" not in raw.lower()
    assert any(SUMS[lang] in unescape(d) for d in drafts), [unescape(d)[:300] for d in drafts]


#: The matches of the pattern ``arguments[1]`` in the text of ``arguments[0]`` that the
#: browser laid out on more than one line.
SPLIT = """
const out = [];
for (const el of document.querySelectorAll(arguments[0])) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const re = new RegExp(arguments[1], "g"); let m;
    while ((m = re.exec(n.data))) {
      const r = document.createRange();
      r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
}
return out;
"""
#: A sum with its currency, a date, "№ 12": whatever space joins their parts.
WHOLE = r"\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d\d)?[ \u00a0]₽|\d{1,2}[ \u00a0][а-я]+[ \u00a0]\d{4}|№[ \u00a0]\d+"
COPY = "document.querySelectorAll('button.copy[data-copy^=\"reply-\"]')[arguments[0]].click()"


@pytest.mark.browser
@pytest.mark.slow
def test_a_narrow_page_wraps_no_sum_and_the_copy_button_keeps_the_ties(tmp_home: Path) -> None:
    with LiveServer(local_config(tmp_home)) as served, chrome("--window-size=520,900") as driver:
        _stored(served.app.state.cg.store)
        driver.execute_cdp_cmd(
            "Browser.grantPermissions", {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]}
        )
        driver.get(f"{served.url}/clients/1?lang=ru")
        driver.execute_script("document.querySelectorAll('details.reply').forEach(d => d.open = true)")
        shown = driver.execute_script(
            "return [...document.querySelectorAll('pre.reply-text')].map(e => e.innerText)"
        )
        assert any(SUMS["ru"] in t for t in shown), [t[:300] for t in shown]
        assert driver.execute_script(SPLIT, "pre.reply-text", WHOLE) == []
        driver.execute_script(COPY, next(i for i, t in enumerate(shown) if SUMS["ru"] in t))
        copied = driver.execute_async_script(
            "const done = arguments[0];"
            "setTimeout(() => navigator.clipboard.readText().then(done, e => done('error: ' + e)), 300)"
        )
        assert SUMS["ru"] in copied, copied[:300]
