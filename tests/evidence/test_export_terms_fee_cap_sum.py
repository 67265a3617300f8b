"""The dispute export's terms line names a rate's cap written as a sum (helper-168).

Terms read off "пени 0,5 % за каждый день просрочки, но не более 2 000 рублей" were worded
with the rate alone, as if the fee had no limit. The line now lists the cap in both
languages, the currency by ISO code as the rest of the document names it, and a terms row
without one is worded as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE, cli

CONTRACT = """# Договор оказания услуг SMM

1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.

2. Стоимость услуг составляет 40 000 рублей в месяц, оплата в течение 5 рабочих дней после выставления счёта.

3. За просрочку оплаты Заказчик платит пени 0,5 % от суммы долга за каждый день, но не более 2 000 рублей.
"""


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("ru", "предел пеней, сумма — не более 2 000 RUB всего"),
        ("en", "late fee cap, sum — at most 2,000 RUB in total"),
    ],
)
def test_the_terms_line_lists_the_sum_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, line: str
) -> None:
    ok = cli(tmp_path, monkeypatch)
    contract = tmp_path / "contract.md"
    contract.write_text(CONTRACT, encoding="utf-8")
    ok("import", str(SAMPLE), "--client", CLIENT)
    ok("contract", "add", CLIENT, str(contract), "--yes")
    path = tmp_path / f"e-{lang}.html"
    ok("evidence", "export", CLIENT, "--format", "html", "--out", str(path), "--lang", lang)
    page = " ".join(path.read_text(encoding="utf-8").replace("\u00a0", " ").split())
    assert line in page
    ok("contract", "set", CLIENT, "--late-fee-cap-sum", "none")
    path = tmp_path / f"e-{lang}-cleared.html"
    ok("evidence", "export", CLIENT, "--format", "html", "--out", str(path), "--lang", lang)
    page = " ".join(path.read_text(encoding="utf-8").replace("\u00a0", " ").split())
    assert page.count(line.split(" — ")[0] + " — ") == 1  # the first terms row only
