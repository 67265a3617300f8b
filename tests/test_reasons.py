"""A library's English in a Russian line (``clientguard.reasons``): one line per case.

Each JSON and YAML complaint the parsers make for a typical slip is worded in Russian with
its line and column; an ``int()`` refusal says nothing in Russian (the line names the
value already); the English is always the library's own, byte for byte.
"""

from __future__ import annotations

import json

import pytest
import yaml

from clientguard.errors import ConfigError, msg
from clientguard.reasons import json_reason, meaning, told, untold, yaml_reason

#: The line's start names the slip; each case also ends with its place.
NAME_QUOTES = "имя поля — не в двойных кавычках, или после последнего поля лишняя запятая"
CONTROL = "внутри строки — управляющий символ: перевод строки или табуляция без \\"
NO_VALUE = "здесь должно быть значение, а его нет: пусто, лишняя запятая или слово без кавычек"
JSON_CASES = [
    ('{"a" 1}', "после имени поля нет двоеточия «:» (строка 1, столбец 6)"),
    ('{"a": 1 "b": 2}', "между значениями нет запятой «,» (строка 1, столбец 9)"),
    ("{a: 1}", f"{NAME_QUOTES} (строка 1, столбец 2)"),
    ('{"a": 1,}', f"{NAME_QUOTES} (строка 1, столбец 9)"),
    ("[1,]", f"{NO_VALUE} (строка 1, столбец 4)"),
    ('{\n"a": "b', "кавычка открыта и не закрыта (строка 2, столбец 6)"),
    ('"a\tb"', f"{CONTROL} (строка 1, столбец 3)"),
    ('"\\q"', "после обратной косой черты \\ — недопустимый символ (строка 1, столбец 2)"),
    ('"\\u12"', "после \\u не четыре шестнадцатеричные цифры (строка 1, столбец 3)"),
    ("{} x", "после конца JSON есть ещё текст (строка 1, столбец 4)"),
]


@pytest.mark.parametrize(("text", "ru"), JSON_CASES)
def test_json_complaints_are_worded_with_their_line_and_column(text: str, ru: str) -> None:
    with pytest.raises(json.JSONDecodeError) as err:
        json.loads(text)
    said = json_reason(err.value)
    assert said == {"en": str(err.value), "ru": ru}
    assert json_reason(err.value, err.value.msg, line=False)["ru"].endswith(f"(столбец {err.value.colno})")


def test_yaml_complaints_are_worded_with_their_line_and_column() -> None:
    with pytest.raises(yaml.YAMLError) as err:
        yaml.safe_load("a: 1\nb: c: d\n")
    said = yaml_reason(err.value)
    assert said["en"] == str(err.value)
    assert said["ru"].endswith("(строка 2, столбец 5)") and said["ru"].startswith("двоеточие там")


def test_a_message_no_entry_knows_is_left_out_of_the_russian() -> None:
    assert meaning("something pypdf never said before", "pdf") == ""
    assert told(ValueError("odd"), "pdf") == {"en": "odd", "ru": ""}
    assert meaning("anything at all", "redis") == "Redis не отвечает"  # "redis *"


def test_an_empty_russian_detail_prints_no_brackets_and_the_english_keeps_it() -> None:
    with pytest.raises(ValueError) as refused:
        int("x")
    why = untold(refused.value)
    whole = msg("reply_facts.hint_whole")
    err = ConfigError(msg("reply_facts.fact_value", key="days_overdue", expected=whole, raw="x", reason=why))
    assert err.text("ru") == "факт days_overdue: нужно целое число, а указано «x»"
    assert err.message.endswith("got 'x' (invalid literal for int() with base 10: 'x')")
