"""The one line a user error is printed as, in the interface language.

A Russian user got "error E101: …: no importer recognises this content" and had to read
English to know whether the file, a setting or the database was at fault. The Russian line
names the kind of error first and says the message in Russian (``data/errors.yaml``); the
English line is what it always was (scripts match it). ``test_error_lines_ru.py`` holds
a table of real commands to both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.suite_helpers import run_main


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("ru", "ошибка (формат файла не распознан) E101: {path}: ни один импорт не узнаёт это содержимое"),
        ("en", "error E101: {path}: no importer recognises this content"),
    ],
)
def test_error_line_names_the_kind_in_the_interface_language(
    lang: str, line: str, tmp_path: Path, tmp_home: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    junk = tmp_path / "notes.txt"
    junk.write_text("просто заметки, не выгрузка чата\n", encoding="utf-8")
    monkeypatch.setenv("CLIENTGUARD_LANG", lang)
    code, out, err = run_main(monkeypatch, capsys, "import", str(junk))
    assert code == 1 and out == ""
    assert err == line.format(path=junk), err


def test_root_lang_option_decides_the_error_line(
    tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "ru")
    code, _, err = run_main(monkeypatch, capsys, "--lang", "en", "analyze", "--client", "Никто")
    assert code == 1 and err.startswith("error E400: no client named 'Никто'"), err
    code, _, err = run_main(monkeypatch, capsys, "analyze", "--client", "Никто")
    assert code == 1 and err.startswith("ошибка (не найдено) E400: нет клиента «Никто»"), err
