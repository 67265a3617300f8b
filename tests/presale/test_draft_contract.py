"""A draft contract is always read, and its gaps reach the result whatever the decision (QA F12).

``screen --contract`` was only looked at when the decision had terms: for a clean lead a
missing or junk file gave exit code 0, and a draft with 12 missing clauses gave the same
reply as no draft at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts import check_contract
from clientguard.errors import InputError
from clientguard.presale.inputs import read_brief, read_messages
from clientguard.presale.model import LeadMessage
from clientguard.presale.pipeline import screen
from clientguard.presale.reply import load_pack
from clientguard.taxonomy import CLAUSES

LEADS = Path(__file__).parent / "data" / "leads"
CLEAN = LEADS / "own-lead-05"  # a complete English brief, no red flags: proceed
DECLINE = [
    LeadMessage("Нужно вчера, срочно! Материалов нет, бюджета нет, сами придумайте."),
    LeadMessage("Договор не нужен. Оплата после результата. И сайт заодно бесплатно."),
]
WEAK = "1. Writer will write blog posts as needed.\n2. Client will pay USD 500 upon completion.\n"


def clean_lead() -> tuple[list[LeadMessage], str]:
    return read_messages(CLEAN / "messages.txt"), read_brief(CLEAN / "brief.md")


@pytest.fixture()
def weak_draft(tmp_path: Path) -> Path:
    path = tmp_path / "draft.md"
    path.write_text(WEAK, encoding="utf-8")
    return path


def gaps_of(path: Path) -> tuple[str, ...]:
    report = check_contract(path)
    return tuple(c for c in CLAUSES if report.status(c) in ("weak", "missing"))


@pytest.mark.parametrize("lead", ["clean", "decline"])
@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("no such draft.md", None, "no such file"),
        ("junk.pdf", b"\x00\x01junk", "not a readable PDF"),
        ("empty.md", b"", "the file is empty"),
        ("binary.md", b"\x00\x01junk", "expected UTF-8 text"),
    ],
)
def test_a_bad_draft_is_an_error_whatever_the_decision(
    tmp_path: Path, lead: str, name: str, data: bytes | None, says: str
) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    msgs, brief = clean_lead() if lead == "clean" else (DECLINE, "")
    with pytest.raises(InputError, match=says):
        screen(msgs, brief, contract=path, detector=False)


def test_a_clean_lead_gets_the_drafts_gaps(weak_draft: Path) -> None:
    msgs, brief = clean_lead()
    plain = screen(msgs, brief, detector=False)
    drafted = screen(msgs, brief, contract=weak_draft, detector=False)
    assert plain.recommendation.action == drafted.recommendation.action == "proceed"
    gaps = gaps_of(weak_draft)
    assert len(gaps) >= 10
    assert drafted.recommendation.safeguards.clauses == gaps
    assert plain.recommendation.safeguards.clauses == ()
    pack = load_pack("en")
    for clause in gaps:
        assert pack.clauses[clause] in drafted.reply
        assert pack.clauses[clause] not in plain.reply
    reasons = drafted.recommendation.reasons
    assert any(r.startswith("the draft contract lacks or is weak on: ") for r in reasons)
    assert drafted.recommendation.safeguards.prepayment_percent is None  # proceed: no terms invented


def test_a_complete_draft_adds_nothing_to_a_clean_lead(tmp_path: Path) -> None:
    from tests.contracts.test_checker import EN_CONTRACT

    full = tmp_path / "full.md"
    full.write_text("\n".join(EN_CONTRACT), encoding="utf-8")
    msgs, brief = clean_lead()
    drafted = screen(msgs, brief, contract=full, detector=False)
    gaps = gaps_of(full)
    assert drafted.recommendation.safeguards.clauses == gaps
    if not gaps:
        assert drafted.reply == screen(msgs, brief, detector=False).reply


def test_a_declined_lead_gets_the_gaps_in_the_reasons_only(weak_draft: Path) -> None:
    plain = screen(DECLINE, detector=False)
    drafted = screen(DECLINE, contract=weak_draft, detector=False)
    assert plain.recommendation.action == drafted.recommendation.action == "decline"
    assert drafted.reply == plain.reply  # a refusal names no terms
    assert drafted.recommendation.safeguards.clauses == ()
    assert any("в проекте договора нет или слабо прописано" in r for r in drafted.recommendation.reasons)


def test_a_pilot_reply_names_the_drafts_gaps(weak_draft: Path) -> None:
    msgs = [LeadMessage("Здравствуйте! Нужно что-то в соцсетях, пока не знаем что. Давайте без договора.")]
    plain = screen(msgs, detector=False)
    drafted = screen(msgs, contract=weak_draft, detector=False)
    assert plain.recommendation.action == drafted.recommendation.action == "pilot_first"
    assert "В договоре на пилот зафиксируем:" in drafted.reply
    assert "В договоре на пилот зафиксируем:" not in plain.reply
    assert set(gaps_of(weak_draft)) <= set(drafted.recommendation.safeguards.clauses)
