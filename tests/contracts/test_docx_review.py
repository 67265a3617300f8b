"""A Word contract in review: tracked insertions and content controls are read (QA pass 7).

python-docx's ``Paragraph.text`` reads only the runs directly under a paragraph. A clause
the client inserted with Track Changes on (``w:ins``), or typed into a template's content
control (``w:sdt``, inline or around whole paragraphs), was not read: "Заказчик оплачивает
счёт в течение 5 рабочих дней" inserted in review mode left the contract with "no payment
terms". The contract is read as it stands with every change accepted: deleted text stays out.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from clientguard.contracts.checker import check_contract


def _run(text: str, deleted: bool = False) -> object:
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    return run


def _wrapped(tag: str, child: object) -> object:
    el = OxmlElement(tag)
    if tag in ("w:ins", "w:del"):
        el.set(qn("w:id"), "1")
        el.set(qn("w:author"), "Client")
    if tag == "w:sdt":
        content = OxmlElement("w:sdtContent")
        content.append(child)
        el.append(content)
    else:
        el.append(child)
    return el


def test_tracked_insertions_and_content_controls_are_read(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("1.1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.")
    inserted = d.add_paragraph("1.2. ")
    inserted._p.append(_wrapped("w:ins", _run("Заказчик оплачивает счёт в течение 5 рабочих дней.")))
    deleted = d.add_paragraph("1.3. ")
    deleted._p.append(_wrapped("w:del", _run("Правки без ограничений.", deleted=True)))
    priced = d.add_paragraph("1.4. Стоимость услуг составляет ")
    priced._p.append(_wrapped("w:sdt", _run("40 000 рублей")))
    priced._p.append(_run(" в месяц."))
    block = d.add_paragraph(
        "1.5. Заказчик вправе запросить не более 2 (двух) раундов правок по каждому посту."
    )
    d.element.body.remove(block._p)
    d.element.body.insert(len(d.element.body) - 1, _wrapped("w:sdt", block._p))  # before sectPr
    path = tmp_path / "review.docx"
    d.save(str(path))
    report = check_contract(path)
    status = {c.id: c.status for c in report.clauses}
    ext = report.extracted
    assert status["payment_terms"] == "present" and ext.payment_due_days == 5
    assert (ext.price, ext.currency) == (40000, "RUB")
    assert status["revision_limit"] == "present" and ext.revision_limit == 2
    assert "без ограничений" not in "\n".join(c.quote or "" for c in report.clauses)
