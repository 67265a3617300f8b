"""``eval contracts`` names a label file whose contract is missing (QA pass 7).

A ``<id>.labels.json`` whose contract was renamed or not copied was silently left out of
the scores, and a folder of only such labels printed "macro F1 1.000" over no file at all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clientguard.contracts.evaluate import evaluate_dir
from clientguard.errors import InputError

TUNE = Path(__file__).resolve().parents[1] / "fixtures" / "tune_sets" / "contracts"


def test_a_label_without_its_contract_is_named(tmp_path: Path) -> None:
    first, second = sorted(TUNE.glob("*.labels.json"))[:2]
    for lab in (first, second):
        shutil.copy(lab, tmp_path / lab.name)
    stem = first.name.removesuffix(".labels.json")
    shutil.copy(TUNE / f"{stem}.md", tmp_path / f"{stem}.md")
    result = evaluate_dir(tmp_path)
    assert result.overall.files == 1
    assert [e.split(":")[0] for e in result.errors] == [second.name]
    (tmp_path / f"{stem}.md").unlink()
    with pytest.raises(InputError, match=r"no labelled contract could be scored: .*no contract beside it"):
        evaluate_dir(tmp_path)
