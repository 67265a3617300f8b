"""On-disk cache of compiled rule sets, so a fresh process does not recompile the rules.

Why: compiling the Russian rule set (YAML parsing, lemmatising every rule word with
pymorphy3, building ~1,250 regex sources and checking that they compile) took ~0.6 s,
most of the first ``analyze_text`` call and of a cold ``clientguard screen``.  The
result is plain data (strings, floats, tuples, frozensets), so it is stored with
:mod:`marshal` (no pickle: loading it cannot run code) in the per-user cache dir.

Staleness: the file name and the file itself carry a sha256 of every rule file of the
language (names and bytes) AND of the engine that compiled them (this format, the
source of ``rules.py``/``lemmas.py``, the rule-word lemma table, the Python, ``regex``
and pymorphy3 dictionary versions, the signal ids).  Any change gives a new key, i.e. a miss; a rule file can
therefore never be served from a stale entry.  A body checksum catches truncated or
corrupted files.  Every failure (no cache dir, read-only home, corrupt file) is
silent and only costs the uncached load.

Location: ``$CLIENTGUARD_RULES_CACHE`` if set (``off``, ``0`` or an empty value
disable the cache), else ``<platformdirs user cache dir>/clientguard/rules``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import logging
import marshal
import os
import sys
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CACHE_ENV = "CLIENTGUARD_RULES_CACHE"
# Bump when the stored row layout changes (the engine's source hash covers most changes anyway).
FORMAT = "clientguard-rules-cache/1"
_MAGIC = b"CGRULES1\n"
_KEEP = 8  # entries kept per language (several worktrees or rule edits share one cache dir)
_ENGINE_FILES = ("rules.py", "lemmas.py", "rulecache.py", "rule_lemmas.py", "rules/lemmas_ru.tsv")


def cache_dir() -> Path | None:
    """Where compiled rule sets are kept, or None when caching is switched off."""
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        return None if env.strip().lower() in ("", "0", "off", "no", "false", "none") else Path(env)
    try:
        from platformdirs import user_cache_path

        return user_cache_path("clientguard", appauthor=False) / "rules"
    except Exception as exc:  # no usable home: run uncached
        log.debug("no user cache dir: %s", exc)
        return None


@cache
def engine_fingerprint(lang: str) -> bytes:
    """Everything besides the rule files that decides what a compiled rule set contains."""
    import regex

    from clientguard.taxonomy import SIGNALS

    h = hashlib.sha256()
    parts: list[str] = [FORMAT, lang, sys.version, sys.implementation.name, str(regex.__version__),
                        ",".join(SIGNALS)]
    if lang == "ru":  # Russian rule words are lemmatised with pymorphy3 and its dictionary
        import pymorphy3

        dicts = importlib.import_module("pymorphy3_dicts_ru")  # untyped package: no stubs needed
        parts += [
            str(pymorphy3.__version__),
            str(getattr(dicts, "__version__", "")),
            os.environ.get("PYMORPHY2_DICT_PATH", ""),
        ]
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass") + b"\x00")
    here = Path(__file__).parent
    for name in _ENGINE_FILES:
        try:
            h.update((here / name).read_bytes())
        except OSError:  # shipped without sources: fall back to the format and versions only
            h.update(b"<no source>")
        h.update(b"\x00")
    return h.digest()


def ruleset_key(lang: str, files: Sequence[tuple[str, bytes]]) -> str:
    """Hex sha256 over the engine fingerprint and every rule file (name and bytes) in order."""
    h = hashlib.sha256(engine_fingerprint(lang))
    for name, data in files:
        h.update(name.encode("utf-8", "surrogatepass") + b"\x00")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _path(directory: Path, lang: str, key: str) -> Path:
    return directory / f"rules-{lang}-{key}.bin"


def read(directory: Path, lang: str, key: str) -> list[tuple[Any, ...]] | None:
    """The stored rows for ``key``, or None (missing, unreadable, corrupt or another key)."""
    try:
        blob = _path(directory, lang, key).read_bytes()
    except OSError:
        return None
    head = len(_MAGIC)
    if blob[:head] != _MAGIC:
        return None
    digest, body = blob[head : head + 32], blob[head + 32 :]
    if hashlib.sha256(body).digest() != digest:
        log.debug("corrupt rule cache entry for %s, ignored", lang)
        return None
    try:
        got = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    if not (isinstance(got, tuple) and len(got) == 3 and got[0] == FORMAT and got[1] == key):
        return None
    rows = got[2]
    if not isinstance(rows, list) or not all(isinstance(r, tuple) for r in rows):
        return None
    return rows


def write(directory: Path, lang: str, key: str, rows: list[tuple[Any, ...]]) -> bool:
    """Store ``rows`` atomically (temp file + rename); False, silently, on any failure."""
    try:
        body = marshal.dumps((FORMAT, key, rows))
    except ValueError as exc:  # a value marshal cannot store: a bug, but not worth failing for
        log.debug("rule cache: cannot serialise: %s", exc)
        return False
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-rules-", dir=directory)
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + hashlib.sha256(body).digest() + body)
        os.replace(tmp, _path(directory, lang, key))
        tmp = None
        _prune(directory, lang)
        return True
    except OSError as exc:  # read-only home, full disk, a file where the dir should be ...
        log.debug("rule cache not written to %s: %s", directory, exc)
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(directory: Path, lang: str) -> None:
    """Keep the newest few entries of ``lang``: every rule edit leaves a new key behind."""
    try:
        entries = sorted(directory.glob(f"rules-{lang}-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[_KEEP:]:
            old.unlink()
    except OSError:
        pass
