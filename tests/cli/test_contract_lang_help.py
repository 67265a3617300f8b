"""``contract check --lang`` / ``contract add --lang`` say they set the contract's language.

QA5 finding 4: the help said only "ru or en; default: detected" (Russian: "ru или en; по
умолчанию определяется по тексту"), which reads as the language of the output; it is the
language the contract is checked in. The English (command module) and the Russian
(``cli_help.yaml``) now say so and point to ``clientguard --lang`` for the interface.
"""

from __future__ import annotations

import typer.main

from clientguard.cli import _help, build_app


def _lang_help(path: str) -> tuple[str, str]:
    tree = dict(_help.walk(typer.main.get_command(build_app())))
    option = next(p for p in _help.documented_params(tree[path]) if _help.param_key(p) == "--lang")
    russian = _help.catalog()["commands"][path]["params"]["--lang"]
    return " ".join((option.help or "").split()), " ".join(russian.split())


def test_contract_lang_is_the_contracts_language_not_the_interface() -> None:
    for path in ("contract check", "contract add"):
        en, ru = _lang_help(path)
        assert en.startswith("Language of the contract") and "Not the interface language" in en, en
        assert ru.startswith("Язык договора") and "не язык интерфейса" in ru, ru
        assert "clientguard --lang en contract" in en and "clientguard --lang en contract" in ru
