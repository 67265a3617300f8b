"""The dispute export's terms line names a late fee that is a sum (helper-164).

Terms logged with a fixed late fee ("пени 500 рублей за каждый день просрочки, но не более
10 000 рублей") were worded without it: the line listed the revision limit, the price, the
rate and its cap, so a contract whose only late fee is a sum read as having none. It now
lists the sum, its period and its cap, in both languages, the currency by ISO code as the
rest of the document names it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE, cli

CONTRACT = """# Договор оказания услуг SMM

1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.

2. Стоимость услуг составляет 40 000 рублей в месяц, оплата в течение 5 рабочих дней после выставления счёта.

3. За просрочку оплаты Заказчик платит пени 500 рублей за каждый день, но не более 10 000 рублей.
"""


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("ru", "пени, сумма — 500 RUB за каждый день просрочки, не более 10 000 RUB всего"),
        ("en", "late fee, fixed sum — 500 RUB per day late, at most 10,000 RUB in total"),
    ],
)
def test_the_terms_line_lists_the_fixed_fee(
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
    # a terms row without a fixed fee is worded as before: no empty "late fee, fixed sum"
    ok("contract", "set", CLIENT, "--late-fee-fixed", "none")
    path = tmp_path / f"e-{lang}-cleared.html"
    ok("evidence", "export", CLIENT, "--format", "html", "--out", str(path), "--lang", lang)
    page = " ".join(path.read_text(encoding="utf-8").replace("\u00a0", " ").split())
    assert page.count(line.split(" — ")[0] + " — ") == 1  # the first terms row only
