"""``--help`` in the interface language: the English is the source, the Russian is data.

The English help stays where it is written, in the command modules (docstrings and
``help=``), because that is where whoever changes a command changes it. The Russian is
one catalog, ``clientguard/report/data/cli_help.yaml``, keyed by command path
(``"eval signals"``, ``"clientguard"`` for the root) and option name (``"--in"``; an
argument by its name), not by the English sentence, so rewording a sentence does not
orphan its translation. ``tests/cli/test_help_lang.py`` holds the catalog and the real
command tree to each other in both directions.

It is applied in one place, to the finished click tree: :class:`LocalisedGroup` is the
root group's class; before click parses anything it settles the language the way every
command does (``--lang ru|en`` anywhere in argv, then ``CLIENTGUARD_LANG``, then the
locale) and gives every command :class:`HelpContext`. The catalog is read, and Typer's
own words ("Usage", "Options", panel titles) swapped, only when such a context makes a
help formatter, i.e. when help, a usage line or a usage error is about to be printed; a
plain command never loads the YAML. Click's own usage errors ("Missing argument 'client'.")
are said in the interface language as they leave the root group (:mod:`._usage`).

Typer is pinned (``typer==0.29.2``) because this reaches into it: its vendored click
(``typer._click``) for the formatter and the help option, ``typer.rich_utils`` for the
panel titles.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from types import TracebackType
from typing import Any
from weakref import WeakKeyDictionary

import typer
from typer._click.core import Command, Context, Parameter
from typer._click.exceptions import UsageError
from typer._click.formatting import HelpFormatter
from typer.core import TyperArgument, TyperGroup, TyperOption

#: The catalog, next to ``cli.yaml``; a path inside the ``clientguard`` package because
#: importing ``clientguard.report`` (its ``__init__`` loads the HTML report and the
#: analysis) would make ``--help`` half again as slow.
CATALOG = ("report", "data", "cli_help.yaml")

#: The root command's key in the catalog (the paths of the others have no program name).
ROOT = "clientguard"

#: ``typer.rich_utils`` constant → key of the catalog's ``typer`` section.
RICH_WORDS: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": "arguments",
    "OPTIONS_PANEL_TITLE": "options",
    "COMMANDS_PANEL_TITLE": "commands",
    "ERRORS_PANEL_TITLE": "error",
    "RICH_HELP": "try_help",
    "DEFAULT_STRING": "default",
    "REQUIRED_LONG_STRING": "required",
    "ENVVAR_STRING": "envvar",
    "DEPRECATED_STRING": "deprecated",
    "ABORTED_TEXT": "aborted",
}

#: The English of each object's help text (and the command's short help), kept the
#: first time it is replaced, so a tree shown in Russian once can be shown in English.
_english: WeakKeyDictionary[Command | Parameter, dict[str, str | None]] = WeakKeyDictionary()

#: The language each tree's help was last put in (absent: as written, English).
_applied: WeakKeyDictionary[Command, str] = WeakKeyDictionary()

#: Typer's English words, kept the first time they are replaced (they are module globals).
_rich_english: dict[str, Any] = {}


#: Commands whose own ``--lang`` is the language of what they read or write (the message
#: checked, the reply drafted, the lead screened, the contract's rules), not the language
#: of the interface: their ``--lang`` does not switch the help. ``clientguard --lang en
#: check --help`` does.
CONTENT_LANG_COMMANDS = frozenset({"check", "reply", "screen", "contract check", "contract add"})


def argv_lang(args: Sequence[str]) -> str | None:
    """The value of the last ``--lang ru|en`` / ``--lang=ru|en`` in ``args`` (click keeps the last).

    Read before click parses, because the help of the very command being parsed must
    already be in that language. Anything after ``--`` is data; another value (``--lang
    de``) is left to the option's own check and does not count; nor does the ``--lang``
    of a command in :data:`CONTENT_LANG_COMMANDS`.
    """
    found: str | None = None
    path: list[str] = []
    skip_next = False
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if skip_next:
            skip_next = False
            continue
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
            skip_next = True
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        else:
            if not arg.startswith("-") and len(path) < 2:
                path.append(arg)
            continue
        if path and (path[0] in CONTENT_LANG_COMMANDS or " ".join(path) in CONTENT_LANG_COMMANDS):
            continue
        if value in ("ru", "en"):
            found = value
    return found


def walk(command: Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Command]]:
    """Every command of the tree with its catalog key: ``"clientguard"``, ``"eval"``, ``"eval signals"`` …"""
    yield " ".join(path) or ROOT, command
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


def param_key(param: Parameter) -> str:
    """An option's first long name (``"--in"``), an argument's name (``"path"``)."""
    return next((o for o in param.opts if o.startswith("--")), param.opts[0])


def documented_params(command: Command) -> Iterator[Parameter]:
    """The options and arguments whose English help is shown, so need a Russian one."""
    for param in command.params:
        if isinstance(param, (TyperOption, TyperArgument)) and param.help and not param.hidden:
            yield param


@cache
def catalog() -> dict[str, Any]:
    """The Russian help, loaded once: ``typer`` (Typer's own words) and ``commands``."""
    from importlib import resources

    import yaml

    text = resources.files("clientguard").joinpath(*CATALOG).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data


def _swap(obj: Command | Parameter, attr: str, russian: str | None, lang: str) -> None:
    """Set ``obj.attr`` to ``russian`` in Russian, back to its English otherwise."""
    kept = _english.setdefault(obj, {})
    if attr not in kept:
        if lang != "ru":
            return  # never replaced: it is still the English
        kept[attr] = getattr(obj, attr)
    setattr(obj, attr, russian if lang == "ru" else kept[attr])


def apply(root: Command, lang: str) -> None:
    """Put the help texts of the whole tree in ``lang``; nothing to do when they already are.

    A command or option the catalog lacks keeps its English (the test suite makes sure
    there is none). In Russian a command's short help becomes the catalog's ``short``, or
    none, so that the commands panel shows the first paragraph of the Russian help
    rather than an English short help.
    """
    if _applied.get(root, "en") == lang:
        return
    commands: dict[str, Any] = catalog()["commands"] if lang == "ru" else {}
    for path, command in walk(root):
        entry: dict[str, Any] = commands.get(path) or {}
        if lang != "ru" or entry.get("help"):
            _swap(command, "help", entry.get("help"), lang)
            _swap(command, "short_help", entry.get("short"), lang)
        texts: dict[str, str] = entry.get("params") or {}
        for param in documented_params(command):
            key = param_key(param)
            if lang != "ru" or key in texts:
                _swap(param, "help", texts.get(key), lang)
    _applied[root] = lang


def unwrap(text: str | None) -> str | None:
    """``text`` with each paragraph on one line, for the terminal to wrap.

    Docstrings and the catalog are wrapped at the source's width; Typer's rich mode keeps
    the single line breaks of every paragraph after the first, so at 80 columns the help
    read "the refund is a row of its / own / in the evidence log" (and "Файл, оборванный
    на / середине"). A paragraph that starts with ``\b`` is kept as written (click's
    marker for text that must not be rewrapped); ``\f`` and what follows is left alone.
    """
    if not text or "\n" not in text:
        return text
    shown, cut, rest = text.partition("\f")
    paragraphs = [
        p if p.startswith("\b") else " ".join(line.strip() for line in p.splitlines() if line.strip())
        for p in shown.split("\n\n")
    ]
    return "\n\n".join(paragraphs) + cut + rest


def unwrap_tree(root: Command) -> None:
    """Every command's help of the tree as :func:`unwrap` leaves it (idempotent, cheap)."""
    for _, command in walk(root):
        command.help = unwrap(command.help)


def apply_typer_words(lang: str) -> None:
    """Typer's panel titles and notes ("Options", "[default: …]", "Error") in ``lang``.

    They are module globals of ``typer.rich_utils``, read each time help is printed, so
    setting them just before printing is enough; the English is kept to put back. In
    Russian the error box's highlighter wraps no no-break space (:mod:`._grouped`): it
    broke "12 345" at that space at some widths.
    """
    from typer.core import HAS_RICH

    if not HAS_RICH or (lang != "ru" and not _rich_english):
        return
    from typer import rich_utils

    if not _rich_english:
        _rich_english.update({name: getattr(rich_utils, name) for name in RICH_WORDS})
        _rich_english["highlights"] = list(rich_utils.OptionHighlighter.highlights)
        _rich_english["highlighter"] = rich_utils.highlighter
    if lang == "ru":
        from clientguard.cli._grouped import GroupedHighlighter

        words: dict[str, str] = catalog()["typer"]
        for name, key in RICH_WORDS.items():
            setattr(rich_utils, name, words[key])
        # The usage line's prefix is coloured by a pattern that knows only "Usage: ".
        usage = rf"(?P<usage>{re.escape(words['usage'])})"
        rich_utils.OptionHighlighter.highlights = [*_rich_english["highlights"], usage]
        rich_utils.highlighter = GroupedHighlighter()
    else:
        for name in RICH_WORDS:
            setattr(rich_utils, name, _rich_english[name])
        rich_utils.OptionHighlighter.highlights = list(_rich_english["highlights"])
        rich_utils.highlighter = _rich_english["highlighter"]


#: A required argument on Typer's usage line: ``{client}``.
_REQUIRED_ARGUMENT = re.compile(r"\{([^{}\s]+)\}")


def russian_usage(args: str, words: Mapping[str, str]) -> str:
    """Typer's usage pieces as a Russian line reads them: "[ПАРАМЕТРЫ] client hours".

    Typer writes a required argument in curly braces ("[OPTIONS] {client} {hours}"), which
    no Russian manual does and a reader takes for a set to choose from; the convention both
    languages' manuals share is a bare name for what is required and brackets for what is
    not. The names stay as the "Аргументы" panel lists them; Click's own placeholders
    ("[OPTIONS]", "COMMAND [ARGS]...") take the words of ``typer`` in ``cli_help.yaml``.
    """
    args = _REQUIRED_ARGUMENT.sub(r"\1", args)
    for english, key in (("[OPTIONS]", "usage_options"), ("COMMAND [ARGS]...", "usage_command")):
        args = args.replace(english, words[key])
    return args


class LocalisedFormatter(HelpFormatter):
    """Click's help formatter with the usage line in the interface language.

    ``usage_words`` (the ``typer`` section of the catalog) is given for Russian only: the
    prefix and the pieces of the line (:func:`russian_usage`); English stays Typer's own.
    """

    def __init__(
        self,
        indent_increment: int = 2,
        width: int | None = None,
        max_width: int | None = None,
        usage_words: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(indent_increment=indent_increment, width=width, max_width=max_width)
        self.usage_words = usage_words

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if self.usage_words is not None:
            args = russian_usage(args, self.usage_words)
            prefix = self.usage_words["usage"] if prefix is None else prefix
        super().write_usage(prog, args, prefix)


class HelpContext(typer.Context):
    """A context that puts the help in the interface language before formatting any of it.

    Help, the usage line of an error and ``no_args_is_help`` all start from
    :meth:`make_formatter`, so this is the one moment the catalog is needed.
    """

    def make_formatter(self) -> HelpFormatter:
        lang = help_lang(self)
        apply(self.find_root().command, lang)
        unwrap_tree(self.find_root().command)
        apply_typer_words(lang)
        option = self.command.get_help_option(self)  # made on demand, then cached by click
        if option is not None:
            word = catalog()["typer"]["help_option"] if lang == "ru" else None
            _swap(option, "help", word, lang)
        words = catalog()["typer"] if lang == "ru" else None
        return LocalisedFormatter(
            width=self.terminal_width, max_width=self.max_content_width, usage_words=words
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        """A usage error raised while this context parsed belongs to it.

        Click's parser raises "Option '--client' requires an argument." without a context,
        so the error box had no usage line and, the formatter never made, an English title
        ("Error") in a Russian interface; click's own ``augment_usage_errors`` does the same
        for errors raised while a command runs.
        """
        if isinstance(exc_value, UsageError) and exc_value.ctx is None:
            exc_value.ctx, exc_value.cmd = self, self.command
        return super().__exit__(exc_type, exc_value, tb)


def help_lang(ctx: typer.Context) -> str:
    """The interface language of this run: ``--lang`` from argv, then the setting, then the locale."""
    from clientguard import config

    given = getattr(ctx.find_root().command, "argv_lang", None)
    return config.ui_lang(given if isinstance(given, str) else None)


class LocalisedGroup(TyperGroup):
    """The root group: settles the help language from argv before click parses it."""

    #: ``--lang`` as given in argv (None: not given); the setting and the locale are only
    #: consulted when help is shown, so a plain command does not pay for them.
    argv_lang: str | None = None
    #: The command line as given (a usage error's hint reads its ``--db``).
    argv: Sequence[str] = ()

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        self.argv = list(sys.argv[1:] if args is None else args)
        self.argv_lang = argv_lang(self.argv)
        for _, command in walk(self):
            command.context_class = HelpContext
        return super().main(
            args=args,
            prog_name=prog_name,
            complete_var=complete_var,
            standalone_mode=standalone_mode,
            windows_expand_args=windows_expand_args,
            **extra,
        )

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        with self._worded_usage_errors():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        with self._worded_usage_errors():
            return super().invoke(ctx)

    @contextmanager
    def _worded_usage_errors(self) -> Iterator[None]:
        """Click's usage errors, from parsing the root's options or from any command below,
        leave in the interface language (:func:`clientguard.cli._usage.reworded`), exit code 2 kept."""
        try:
            yield
        except UsageError as exc:
            from clientguard import config
            from clientguard.cli._usage import reworded

            worded = reworded(exc, config.ui_lang(self.argv_lang), self.argv)
            if worded is exc:
                raise
            raise worded from exc
