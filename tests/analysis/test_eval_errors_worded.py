"""``eval signals`` and ``eval conversations``: plain errors in the interface language.

Before, a Russian interface read "unknown signal ids ['x']", "no labelled conversations
(<id>.json + <id>.labels.json) in DIR", "cannot read labels: Expecting value: line 1
column 27 (char 26)"; a message time that is not a time was a traceback; and a gold id
the taxonomy does not know (a typo in a labels file) was scored as a label nobody predicts,
so the evaluation ran with silently wrong numbers. Each is now one line naming the file and
place, in the interface language, with exit code 1.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.suite_helpers import run_main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, *args: str) -> str:
    monkeypatch.setenv("CLIENTGUARD_LANG", lang)
    code, _, err = run_main(monkeypatch, capsys, "eval", *args)
    assert code == 1, err
    assert "Traceback" not in err
    return err


def test_eval_signals_names_an_unknown_label_in_russian(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "gold.jsonl"
    lines = ['{"text": "привет", "labels": []}', '{"text": "ну и где", "labels": ["insult", "rudenes"]}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ru = _run(monkeypatch, capsys, "ru", "signals", str(path))
    assert ru.startswith(f"ошибка (повреждённая запись в файле) E102: {path}:строка 2: таких сигналов нет в "
                         "таксономии: «rudenes»; есть такие: "), ru
    en = _run(monkeypatch, capsys, "en", "signals", str(path))
    assert en.startswith(f"error E102: {path}:line 2: unknown signal ids ['rudenes']; known ids: "), en


def _folder(tmp_path: Path, labels: object, chat: object | None = None) -> Path:
    folder = tmp_path / "set"
    folder.mkdir()
    if chat is None:
        shutil.copy(SAMPLE, folder / "c1.json")
    else:
        (folder / "c1.json").write_text(json.dumps(chat, ensure_ascii=False), encoding="utf-8")
    (folder / "c1.labels.json").write_text(
        labels if isinstance(labels, str) else json.dumps(labels, ensure_ascii=False), encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize(
    ("labels", "chat", "ru", "en"),
    [
        ({"message_labels": {"3": ["insult", "rudenes"]}}, None,
         "{labels}:message_labels.3: сигнала «rudenes» нет в таксономии; есть такие: ",
         "{labels}:message_labels.3: unknown signal id 'rudenes'; known ids: "),
        ({"archetypes": ["abuser", "scammer"]}, None,
         "{labels}:поле archetypes: архетипа «scammer» нет в таксономии; есть такие: abuser, bad_payer",
         "{labels}:archetypes: unknown archetype id 'scammer'; known ids: abuser, bad_payer"),
        ({"expected_recommendation": "run_away"}, None,
         "{labels}:поле expected_recommendation: рекомендации «run_away» нет в таксономии; есть такие: "
         "proceed",
         "{labels}:expected_recommendation: unknown recommendation 'run_away'; known ids: proceed"),
        ('{"message_labels": {"1": [}', None,
         "{labels}: файл разметки не читается: здесь должно быть значение, а его нет: пусто, лишняя запятая "
         "или слово без кавычек (строка 1, столбец 27)",
         "{labels}: cannot read labels: Expecting value: line 1 column 27 (char 26)"),
        ({}, {"messages": [{"id": 1, "type": "message", "date_unixtime": "вчера", "text": "a"}]},
         "{chat}:сообщение messages[0]: время сообщения не читается: «вчера»",
         "{chat}:messages[0]: unreadable message time 'вчера'"),
        ({}, {"name": "x"},
         '{chat}: нужна выгрузка чата Telegram со списком "messages"',
         "{chat}: expected a Telegram chat export with a 'messages' list"),
    ],
    ids=["signal", "archetype", "recommendation", "labels-json", "date", "no-messages"],
)  # fmt: skip
def test_eval_conversations_names_the_file_and_place_in_the_interface_language(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    labels: object, chat: object | None, ru: str, en: str,
) -> None:
    folder = _folder(tmp_path, labels, chat)
    names = {"labels": str(folder / "c1.labels.json"), "chat": str(folder / "c1.json")}
    said_ru = _run(monkeypatch, capsys, "ru", "conversations", str(folder))
    assert ru.format(**names) in said_ru, said_ru
    said_en = _run(monkeypatch, capsys, "en", "conversations", str(folder))
    assert en.format(**names) in said_en, said_en


def test_eval_conversations_in_a_folder_without_a_set_says_what_it_needs(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ru = _run(monkeypatch, capsys, "ru", "conversations", str(tmp_path))
    assert ru == (f"ошибка (настройка или параметр) E200: в папке {tmp_path} нет размеченных переписок: "
                  "нужны пары файлов <id>.json и <id>.labels.json")
    en = _run(monkeypatch, capsys, "en", "conversations", str(tmp_path))
    assert en == f"error E200: no labelled conversations (<id>.json + <id>.labels.json) in {tmp_path}"
