"""Grad mode and tracing: whether operations record a graph, and whether a trace is running.

Both are context variables, so each thread (and each asyncio task) has its own:
``no_grad()`` in one thread never stops another's recording, and a new thread
starts with recording on, as in PyTorch. This module sits below ``autograd.value``
and ``autograd.replay`` (it imports neither), so both read the same flags
without importing each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar

recording: ContextVar[bool] = ContextVar("chainrule_grad_enabled", default=True)
"""Whether operations record a graph (False inside :func:`no_grad`)."""

tracing_flag: ContextVar[bool] = ContextVar("chainrule_tracing", default=False)
"""Whether :func:`autograd.trace` is recording (comparisons of Values are then an error)."""


class TraceError(RuntimeError):
    """The traced function did something a tape cannot replay."""


def frozen_number(what: str) -> TraceError:
    """The error for reading a Value's number as a Python number while tracing (``float(v)``, ...)."""
    return TraceError(
        f"{what} while tracing: v's number would be frozen into the tape for every later "
        "input. Write it with an operation of the table (v.exp(), v.relu(), ...), or do not "
        "trace this function."
    )


@contextmanager
def _setting(variable: ContextVar[bool], value: bool) -> Iterator[None]:
    """``variable`` set to ``value`` inside the block, restored after it."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)


def no_grad() -> AbstractContextManager[None]:
    """Context manager: operations inside record no graph (results are leaves).

    Like ``torch.no_grad()``: use it for parameter updates and evaluation. It
    affects only the current thread (and asyncio task).
    """
    return _setting(recording, False)


def enable_grad() -> AbstractContextManager[None]:
    """Context manager: operations inside record a graph, even within :func:`no_grad`."""
    return _setting(recording, True)


def tracing() -> AbstractContextManager[None]:
    """Context manager used by :func:`autograd.trace`: comparisons of Values raise inside it."""
    return _setting(tracing_flag, True)


def is_grad_enabled() -> bool:
    """True unless inside :func:`no_grad` (in this thread or asyncio task)."""
    return recording.get()


__all__ = ["TraceError", "enable_grad", "frozen_number", "is_grad_enabled", "no_grad", "tracing"]
