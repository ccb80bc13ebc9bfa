r"""The table's rules on arrays of examples, without importing an array library.

:mod:`autograd.batch` replays a tape over m examples at once: each operand is
then a NumPy array whose LAST axis runs over the examples (or a float, a
parameter). The table of operations (:mod:`autograd.ops`) serves it with the
same rows: the dual functions there (``exp``, ``sigmoid``, ``_step``, ...)
dispatch on arrays through :func:`namespace`, so each row's ``partials`` work
on arrays as written, and each row's ``forward_arrays`` is built here from the
row's float rule:

    checked(float_rule, refused, compute)

computes ``compute(xp, *operands)`` elementwise and, where ``refused`` holds
(``x <= 0`` for ``log``), raises the float rule's own error for the first such
entry, so that a batch refuses what graph mode refuses, with the same message.
The error carries the entry's index in its attribute ``where`` (its last item
is the example), which :mod:`autograd.batch` adds to the message.

An array names its own module (the array API's ``__array_namespace__``):
NumPy is reached through the arrays, never imported here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any


def namespace(x: Any) -> Any:
    """The array module of an array (NumPy for a NumPy array), or None for anything else."""
    return x.__array_namespace__() if hasattr(type(x), "__array_namespace__") else None


def is_array(x: Any) -> bool:
    return type(x) is not float and hasattr(type(x), "__array_namespace__")


def _module(operands: tuple) -> Any:
    return next(xp for xp in map(namespace, operands) if xp is not None)


def refuse(refused: Any, rule: Callable[..., float], *operands: Any) -> None:
    """Raise ``rule``'s own error at the first entry where ``refused`` holds (see the module docstring)."""
    xp = _module(operands)
    refused = xp.asarray(refused)
    if not refused.any():
        return
    where = tuple(int(i[0]) for i in refused.nonzero())
    at = [float(o[_index(o.shape, where)]) if is_array(o) else o for o in operands]
    try:
        rule(*at)
    except (ValueError, ZeroDivisionError) as error:
        error.where = where  # type: ignore[union-attr]  # an attribute added to the standard exception
        raise
    raise AssertionError(f"the float rule accepts {at!r}, which its array rule refuses")  # pragma: no cover


def _index(shape: tuple[int, ...], where: tuple[int, ...]) -> tuple[int, ...]:
    """``where`` (an index of the broadcast result) in an operand of ``shape`` (broadcast from the right)."""
    return tuple(0 if n == 1 else i for n, i in zip(shape, where[len(where) - len(shape) :]))


def checked(
    rule: Callable[..., float], refused: Callable[..., Any] | None, compute: Callable[..., Any]
) -> Callable[..., Any]:
    """A forward rule on arrays: ``compute(xp, *operands)``, refusing what ``rule`` refuses (see above)."""

    def forward_arrays(*operands: Any) -> Any:
        xp = _module(operands)
        if refused is not None:
            refuse(refused(xp, *operands), rule, *operands)
        return compute(xp, *operands)

    forward_arrays.__doc__ = f"{rule.__name__} elementwise over arrays of examples"
    return forward_arrays


def elementwise(name: str) -> Callable[..., Any]:
    """The array module's function ``name`` (``tanh``, ``sin``): IEEE results, NaN where :mod:`math` raises."""
    return lambda x: getattr(namespace(x), name)(x)


def where(x: Any, condition: Callable[[Any], Any], then: Any, otherwise: Any) -> Any:
    """``then`` where ``condition(x)`` holds, else ``otherwise``, elementwise over the array ``x``.

    Between two finite numbers (a derivative's 0 or 1 at a kink) the choice is
    ``then·c + otherwise·(1 - c)`` with c the condition as 0 or 1: exact
    (x·1 = x, x·0 + y = y for finite x, y) and several times faster than a
    select whose branch follows the signs of the data, as ReLU's does.
    """
    xp, mask = namespace(x), condition(x)
    if type(then) is float and type(otherwise) is float and math.isfinite(then) and math.isfinite(otherwise):
        chosen = mask * then
        chosen += xp.logical_not(mask) * otherwise
        return chosen
    return xp.where(mask, then, otherwise)
