"""Case files: JSON and YAML, defaults recorded, label fields ignored, errors explained."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clientguard.analysis.case import default_case, load_case
from clientguard.errors import ConfigError

CASE = {
    "client": {"name": "Кофейня", "from_id": "user2", "company": "ООО"},
    "specialist_from_id": "user1",
    "timezone": "Asia/Yekaterinburg",
    "working_hours": {"days": [0, 1, 2, 3, 4, 5], "start": "09:00", "end": "18:00"},
    "stage": "presale",
    "contract": {
        "signed": True,
        "scope": ["12 постов"],
        "revision_limit": 2,
        "price": 1000,
        "payment_due_days": 5,
    },
    "invoices": [{"id": "A-1", "amount": 1000, "issued": "2025-01-01", "due": "2025-01-06", "paid_on": None}],
    "archetypes": ["abuser"],
    "expected_recommendation": "terminate",
    "message_labels": {"1": ["insult"]},
}


def test_json_and_yaml_read_the_same(tmp_path: Path) -> None:
    import yaml

    (tmp_path / "c.json").write_text(json.dumps(CASE), encoding="utf-8")
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(CASE, allow_unicode=True), encoding="utf-8")
    a, b = load_case(tmp_path / "c.json"), load_case(tmp_path / "c.yaml")
    assert a == b
    assert a.stage == "presale" and a.working_hours.days == (0, 1, 2, 3, 4, 5)
    assert a.contract is not None and a.contract.revision_limit == 2
    assert a.me == frozenset({"user1"})
    assert a.assumed == ("country",)  # everything else was given
    assert not hasattr(a, "archetypes")  # label fields are ignored


def test_defaults_are_recorded() -> None:
    case = default_case("X")
    assert case.timezone == "Europe/Moscow"
    assert case.working_hours.start == "10:00" and case.working_hours.days == (0, 1, 2, 3, 4)
    assert case.contract is None
    assert {"timezone", "working_hours", "contract"} <= set(case.assumed)


def test_partial_case_lists_only_missing_fields(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text("client: {name: A}\nstage: contract\n", encoding="utf-8")
    case = load_case(tmp_path / "c.yaml")
    assert "timezone" in case.assumed and "contract" in case.assumed and "stage" not in case.assumed


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("timezone: Mars/Olympus\n", "IANA"),
        ("stage: signed\n", "stage"),
        ("working_hours: {start: '9am'}\n", "HH:MM"),
        ("- a\n- b\n", "mapping"),
    ],
)
def test_bad_case_files_say_what_is_wrong(tmp_path: Path, body: str, needle: str) -> None:
    (tmp_path / "c.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=needle):
        load_case(tmp_path / "c.yaml")


def test_missing_case_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_case(tmp_path / "nope.yaml")
