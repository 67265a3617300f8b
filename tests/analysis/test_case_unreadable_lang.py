"""A case file that cannot be read says why in the interface language.

``load_case`` passed the operating system's own words (``exc.strerror``), so a Russian
interface read "не удаётся прочитать файл дела …: No such file or directory"; the reason
now goes through ``clientguard.errors.os_reason`` as the importers' does. English is as
before: the OS's words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.analysis.case import load_case
from clientguard.errors import ConfigError


@pytest.mark.parametrize(
    ("where", "ru", "en"),
    [
        ("missing.yaml", "нет такого файла или папки", "No such file or directory"),
        (".", "это папка, а не файл", "Is a directory"),
    ],
)
def test_unreadable_case_file_reason_is_in_the_interface_language(
    tmp_path: Path, where: str, ru: str, en: str
) -> None:
    path = tmp_path / where
    with pytest.raises(ConfigError) as caught:
        load_case(path)
    assert caught.value.text("ru") == f"не удаётся прочитать файл дела {path}: {ru}"
    assert caught.value.message == f"cannot read case file {path}: {en}"
