"""Overlap independent stages of a big analysis in a forked child process.

Why: on a 100k-message chat the store import and the message-signal model are both
CPU-bound Python, and the main job must finish in ≤ 30 s. Forking (where the platform
has it) lets the child inherit the already loaded model and lexicons for free.
Children return ``(ok, value_or_error_text)`` so that no exception has to survive
pickling; the parent re-raises a :class:`~clientguard.errors.ClientguardError`.
Small inputs never fork: below :data:`PARALLEL_MIN` items the call runs inline.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

from clientguard.errors import ClientguardError

PARALLEL_MIN = 20_000
T = TypeVar("T")


def _fork_context() -> Any:
    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _guarded(fn: Callable[..., T], *args: Any) -> tuple[bool, T | str]:
    try:
        return True, fn(*args)
    except ClientguardError as exc:
        return False, str(exc)


class Background(Generic[T]):
    """One call running in a forked child (or inline when forking is off or pointless)."""

    def __init__(self, fn: Callable[..., T], *args: Any, size: int = PARALLEL_MIN) -> None:
        ctx = _fork_context() if size >= PARALLEL_MIN else None
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[tuple[bool, T | str]] | None = None
        self._inline: tuple[bool, T | str] | None = None
        if ctx is None:
            self._inline = (True, fn(*args))  # errors surface here, with their own type
        else:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
            self._future = self._pool.submit(_guarded, fn, *args)

    def result(self) -> T:
        """The call's value; a user-facing error of the child is raised here."""
        if self._inline is not None:
            ok, value = self._inline
        else:
            assert self._future is not None and self._pool is not None
            try:
                ok, value = self._future.result()
            finally:
                self._pool.shutdown()
        if not ok:
            raise _Relayed(str(value))
        return value  # type: ignore[return-value]


class _Relayed(ClientguardError):
    """An error raised in a child process, relayed with its original code and text."""

    def __str__(self) -> str:
        return self.message
