"""Time the contract checker on a generated 30-page contract (.docx and .pdf), then the dev eval.

Run: ``python bench/bench_contracts.py [--shared ../shared]``. The target is ≤ 1 s per
30-page contract. The contract is generated here with python-docx and reportlab from
varied clause sentences written for this benchmark.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.contracts.builders import make_docx, make_pdf  # noqa: E402

SECTION = [
    "# {n}. УСЛОВИЯ РАЗДЕЛА {n}",
    "{n}.1. Исполнитель ежемесячно готовит {k} постов и {k} сторис для сообщества Заказчика во «ВКонтакте».",
    "{n}.2. Заказчик передаёт материалы не позднее чем за 3 (три) рабочих дня до даты публикации.",
    "{n}.3. В стоимость услуг входит не более 2 (двух) раундов правок по каждой публикации.",
    "{n}.4. Если в течение 3 (трёх) рабочих дней замечания не поступили, услуги считаются принятыми.",
    "{n}.5. Дополнительные работы выполняются на основании письменной заявки и оплачиваются "
    "из расчёта 2 000 рублей за час.",
    "{n}.6. Заказчик оплачивает счёт в течение 5 (пяти) рабочих дней с даты его выставления.",
    "{n}.7. Стороны обмениваются документами по электронной почте и в рабочем чате, "
    "сохраняя переписку в течение всего срока действия Договора и трёх лет после его окончания.",
    "- подготовка контент-плана на месяц;",
    "- публикация материалов по согласованному графику;",
    "- ответы на комментарии подписчиков в рабочее время;",
    "| Позиция | Объём в месяц | Ставка |",
    "| Посты | {k} | 1 500 |",
    "| Сторис | {k} | 500 |",
]


def contract_lines(sections: int) -> list[str]:
    lines = ["# ДОГОВОР ВОЗМЕЗДНОГО ОКАЗАНИЯ УСЛУГ № B-30"]
    for n in range(1, sections + 1):
        lines += [s.format(n=n, k=10 + n % 7) for s in SECTION]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--sections", type=int, default=57, help="sections; 57 ≈ 30 A4 pages")
    args = parser.parse_args()

    from pypdf import PdfReader

    from clientguard.contracts import check_contract

    lines = contract_lines(args.sections)
    with tempfile.TemporaryDirectory() as tmp:
        docx_path = make_docx(Path(tmp) / "c30.docx", lines)
        pdf_path = make_pdf(Path(tmp) / "c30.pdf", lines)
        pages = len(PdfReader(str(pdf_path)).pages)
        check_contract(docx_path)  # warm-up: rule compilation, imports
        for path in (docx_path, pdf_path):
            runs = []
            cpu = []
            for _ in range(3):
                t0, c0 = time.perf_counter(), time.process_time()
                report = check_contract(path)
                runs.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            present = sum(c.status == "present" for c in report.clauses)
            print(
                f"{path.suffix}: {pages} pages, wall best {min(runs):.3f} s / worst {max(runs):.3f} s, "
                f"CPU best {min(cpu):.3f} s ({present}/15 present)"
            )
    dev = args.shared / "data" / "contracts" / "dev"
    if dev.is_dir():
        from clientguard.contracts.evaluate import evaluate_dir

        t0 = time.perf_counter()
        result = evaluate_dir(dev)
        elapsed = time.perf_counter() - t0
        for s in (result.overall, *result.by_format.values()):
            print(
                f"dev {s.fmt:>4}: files {s.files:2d}  clause macro-F1 {s.clause_macro_f1:.3f}  "
                f"terms exact {s.terms_exact:.3f} strict / {s.terms_normalised:.3f} normalised scope "
                f"(scalar {s.terms_scalar_exact:.3f}, scope {s.per_field_exact['scope']:.2f} strict / "
                f"{s.scope_normalised:.2f} normalised, scope items F1 {s.scope_item_f1:.3f})"
            )
        print(f"copies consistent: {result.consistent_copies}/{result.copies_compared}; eval {elapsed:.2f} s")
    else:
        print(f"dev set not found at {dev}; skipped")


if __name__ == "__main__":
    main()
