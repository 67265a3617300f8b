"""The dispute export words contracts, terms, scope items and invoices (QA4 F3).

The chronology printed these records as Python dictionaries in a document meant for a
dispute: "working_hours: {'days': [0, 1, 2, 3, 4], 'end': '19:00', …}", "signed: True",
"amount: 45000.0", the contract's whole clause report (7 KB) and the full local path of
the user's file; the invoices table showed "45000" ungrouped. The HTML now words them in
the page's language; the JSON format keeps the logged fields.

QA4 F9: times were printed in UTC only, so the client's "Посмотрел. Всё не то" sent at
23:47 Moscow time read "20:47 UTC", an evening message, in a document about off-hours
pressure (and the dashboard said 23:47). Times are local now, with their offset.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE, cli

from tests.contracts.test_checker import RU_CONTRACT


@pytest.fixture()
def exported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    ok = cli(tmp_path, monkeypatch)
    folder = tmp_path / "private-folder-of-olga"
    folder.mkdir()
    contract = folder / "договор Пенка.md"
    contract.write_text("\n".join(RU_CONTRACT), encoding="utf-8")

    ok("import", str(SAMPLE), "--client", CLIENT)
    ok("contract", "add", CLIENT, str(contract), "--yes")
    hours = ("--working-hours", "пн-пт 10:00-19:00")
    ok("contract", "set", CLIENT, *hours, "--price", "45000", "--currency", "RUB", "--late-fee", "0.1")
    ok("invoice", "add", CLIENT, "1250000.5", "--issued", "2025-09-09", "--due", "2025-09-15", "--id", "П-09")
    out = {}
    for fmt, lang in (("html", "ru"), ("html", "en"), ("json", "ru")):
        path = tmp_path / f"e-{lang}.{fmt}"
        ok("evidence", "export", CLIENT, "--format", fmt, "--out", str(path), "--lang", lang)
        out[f"{fmt}-{lang}"] = path.read_text(encoding="utf-8")
    return out


def test_records_are_worded_not_dumped(exported: dict[str, str]) -> None:
    ru, en = exported["html-ru"], exported["html-en"]
    for page in (ru, en):
        assert "{&#39;" not in page and "True" not in page and "working_hours:" not in page
        assert "report:" not in page and "private-folder-of-olga" not in page
    assert "счёт № П-09 от 2025-09-09 на 1\u00a0250\u00a0000,50\u00a0RUB, срок оплаты 2025-09-15" in ru
    assert "invoice no. П-09 issued 2025-09-09 for 1,250,000.50\u00a0RUB, due 2025-09-15" in en
    assert "рабочее время — пн–пт с 10:00 до 19:00" in ru and "цена — 45\u00a0000\u00a0RUB" in ru
    assert "пени, % в день — 0,1" in ru and "working hours — Mon–Fri, 10:00–19:00" in en
    assert "договор «договор Пенка.md» (md, ru) проверен" in ru
    assert "объём работ, пункт 1:" in ru and "scope item 1:" in en
    # The invoices table groups the amount too.
    assert "<td>1\u00a0250\u00a0000,50</td>" in ru and "<td>1,250,000.50</td>" in en


def test_json_keeps_the_logged_fields(exported: dict[str, str]) -> None:
    data = json.loads(exported["json-ru"])
    invoice = next(e for e in data["chronology"] if e["kind"] == "invoice")
    assert "amount: 1250000.5" in invoice["text"] and "data" not in invoice
    # Terms are logged as they are written: the contract's, then the version `contract set` made.
    added, terms = [e for e in data["chronology"] if e["ref"].startswith("contract_terms:")]
    assert "working_hours" not in added["text"] and "price: 50000.0" in added["text"]
    assert '"days": [0, 1, 2, 3, 4]' in terms["text"]  # JSON, not Python's repr


def test_times_are_local_with_their_offset(exported: dict[str, str]) -> None:
    ru = exported["html-ru"]
    assert "2025-09-03 23:47 +03:00" in ru and "20:47 UTC" not in ru
    assert "Europe/Moscow" in ru
    data = json.loads(exported["json-ru"])
    assert any(e["when"].startswith("2025-09-03T20:47") for e in data["chronology"] if e["when"])
