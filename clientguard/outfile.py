"""Files the user asks us to write (``--out``, ``--html``): checked first, replaced atomically.

Why one module: every command that writes a report or a JSONL file must fail the same way
when the target cannot be written -- a one-line error naming the path and the reason
("is a directory", "folder … does not exist", "permission denied"), never an
``IsADirectoryError`` traceback -- and must never leave a half-written file where the
user expects a finished one. The data goes to a temporary file beside the target and is
renamed over it only when complete, so an existing report survives a failed run.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from clientguard.errors import InputError, Where, msg, os_reason


def check_target(path: Path) -> None:
    """Raise a clear :class:`InputError` when ``path`` cannot be written as a file."""
    where = Where(str(path))
    if path.is_dir():
        raise InputError(msg("outfile.directory"), where)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise InputError(msg("outfile.no_folder", folder=parent), where)
    if not parent.is_dir():
        raise InputError(msg("outfile.not_folder", folder=parent), where)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(msg("outfile.no_permission", folder=parent), where)
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(msg("outfile.read_only"), where)


def _os_error(path: Path, exc: OSError) -> InputError:
    english = (exc.strerror or exc.__class__.__name__).lower()
    return InputError(msg("outfile.os_error", reason=os_reason(exc, english)), Where(str(path)))


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[int]:
    """A temporary file descriptor beside ``path``, renamed over it if the block succeeds.

    The target is checked before anything is written; an OS error on the way (disk full,
    permissions changed) becomes an :class:`InputError` naming ``path``, and the
    temporary file is removed. The caller must close the descriptor inside the block.
    """
    check_target(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _os_error(path, exc) from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 -> what a plain open() would give
        yield fd
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise _os_error(path, exc) from None
    except BaseException:
        _discard(tmp)
        raise


@contextlib.contextmanager
def atomic_text(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text file whose content replaces ``path`` only if the block ends without error."""
    with _atomic(path) as fd, os.fdopen(fd, "w", encoding="utf-8") as fh:
        yield fh


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically, with the checks of :func:`check_target`."""
    with atomic_text(path) as fh:
        fh.write(text)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, with the checks of :func:`check_target`."""
    with _atomic(path) as fd, os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
