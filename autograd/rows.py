"""The row type of the table of operations, the registry, and rows added at run time.

:class:`Op` is one row (a name, the symbol a drawing shows, the forward rule
and the local derivatives); :func:`row` registers a row in :data:`OPS`, as
:mod:`autograd.ops` does for every built-in operation; :func:`register` and
:func:`unregister` add and remove rows at run time (``autograd.ops.register``:
:mod:`autograd.ops` re-exports every name of this module). This module imports
nothing of chainrule, so the table and the engine can both build on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

# ---------------------------------------------------------------------------
# The row type and the registry.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A constant an operation takes besides its operands (no gradient flows to it).

    Attributes:
        name: Its name as a keyword of the ``Value`` method (``alpha``).
        default: Its value when not given.
        shown: The symbol drawn for a given value (``LeakyReLU(0.2)``).
    """

    name: str
    default: float
    shown: Callable[[float], str]


@dataclass(frozen=True)
class Op:
    """One operation: its symbol, forward rule and local derivatives.

    Attributes:
        name: Key in :data:`OPS` and, for one-operand rows, the name of the
            ``Value`` method and of the expression function (``"tanh"``).
        symbol: What a drawing shows (``"+"``, ``"tanh"``, ``"**2"``).
        arity: Number of ``Value`` operands; ``None`` for any number of them
            (at least one).
        forward: ``forward(*operand_floats, *params) -> float``.
        partials: ``partials(out, *operands, *params) -> tuple``; one local
            derivative per operand, on floats or on Values alike.
        doc: The mathematics: the function and its derivative.
        param: The constant this operation takes, if any (``alpha`` of the
            leaky ReLU, the exponent of ``x**2``).
        aliases: Other names of the ``Value`` method and expression function.
        method: Whether one-operand rows get a ``Value`` method and an
            expression function (False where Python's operators reach them).
        params: The constants of this instance (see :meth:`bind`).
        forward_arrays: ``forward`` elementwise on arrays of examples (:mod:`autograd.array_rules`);
            None for ``sum`` and ``Σ``, which :mod:`autograd.batch` computes itself.
    """

    name: str
    symbol: str
    arity: int | None
    forward: Callable[..., float]
    partials: Callable[..., tuple]
    doc: str
    param: Param | None = None
    aliases: tuple[str, ...] = ()
    method: bool = True
    params: tuple = ()
    forward_arrays: Callable[..., Any] | None = None
    _bound: dict = field(default_factory=dict, compare=False, repr=False)

    def bind(self, value: float) -> Op:
        """This operation with its constant set to ``value`` (cached, one per value)."""
        if self.param is None:
            raise TypeError(f"operation {self.name!r} takes no constant")
        op = self._bound.get(value)
        if op is None:
            if len(self._bound) >= 256:
                self._bound.clear()
            op = replace(self, symbol=self.param.shown(value), params=(value,), _bound={})
            self._bound[value] = op
        return op


OPS: dict[str, Op] = {}
"""Every operation, by name, in the order of the table."""

SYMBOLS: dict[str, Op] = {}
"""Lookup by the symbol a drawing shows or by name (``"+"``, ``"add"``, ``"tanh"``)."""


def row(
    name: str,
    symbol: str,
    arity: int | None,
    forward: Callable[..., float],
    partials: Callable[..., tuple],
    doc: str,
    **options: Any,
) -> Op:
    """Define an operation and register it in :data:`OPS` (see :class:`Op` for the fields)."""
    if name in OPS:
        raise ValueError(f"operation {name!r} is defined twice")
    op = Op(name, symbol, arity, forward, partials, doc, **options)
    OPS[name] = op
    SYMBOLS.setdefault(symbol, op)
    SYMBOLS.setdefault(name, op)
    return op


# ---------------------------------------------------------------------------
# Rows added at run time.
# ---------------------------------------------------------------------------

REGISTERED: dict[str, Op] = {}
"""The rows added by :func:`register` (every other row is the built-in table above)."""

ON_CHANGE: list[Callable[[Op, bool], None]] = []
"""Called as ``f(op, added)`` when :func:`register` adds a row (``added`` True) or
:func:`unregister` removes one; ``autograd.value`` keeps the ``Value`` methods in step."""


def register(
    name: str,
    forward: Callable[..., float],
    partials: Callable[..., tuple],
    doc: str = "",
    *,
    arity: int = 1,
    symbol: str | None = None,
) -> Op:
    r"""Add an operation to the table at run time; it becomes the ``Value`` method ``name``.

    The row works as the built-in ones do: ``x.name()`` (``a.name(b, ...)`` for
    ``arity`` operands, numbers lifted to constants) records one node; drawings
    show ``symbol``; ``backward()``, ``backward(create_graph=True)``, replay
    (:func:`autograd.trace`), copying and pickling use its rules. Registering
    a name again replaces the row registered before (a notebook cell can be run
    twice); a built-in row cannot be replaced.

    Example (the cube, d/dx x^3 = 3x^2)::

        ops.register("cube", lambda x: x**3, lambda out, x: (3.0 * x * x,), "x^3;  d/dx = 3x^2")
        Value(2.0).cube()          # Value(data=8.0, ...)

    Args:
        name: The method's name (a Python identifier not starting with ``_``).
        forward: ``forward(*operand_floats) -> float``.
        partials: ``partials(out, *operands) -> tuple``, one local derivative
            per operand. Write it with arithmetic and the dual functions of
            :mod:`autograd.ops` (``exp``, ``log``, ...) so that it also works on
            Values (gradients of gradients).
        doc: The mathematics in one line (the method's docstring).
        arity: The number of Value operands (at least 1).
        symbol: What a drawing shows (default: ``name``).

    Raises:
        ValueError: A name that is not an identifier, a built-in row, or a
            name ``Value`` already has for something else; an arity below 1.
        TypeError: ``forward`` or ``partials`` is not callable.
    """
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        raise ValueError(f"register: name must be a Python identifier not starting with _, got {name!r}")
    if name in OPS and name not in REGISTERED:
        raise ValueError(f"register: {name!r} is a built-in operation of the table; choose another name")
    if not callable(forward) or not callable(partials):
        raise TypeError("register: forward and partials must be functions (see autograd.ops.Op)")
    if isinstance(arity, bool) or not isinstance(arity, int) or arity < 1:
        raise ValueError(f"register: arity must be an int >= 1, got {arity!r}")
    if name in REGISTERED:
        unregister(name)
    op = row(name, symbol or name, arity, forward, partials, doc or name)
    REGISTERED[name] = op
    try:
        for f in ON_CHANGE:
            f(op, True)
    except Exception:
        _remove(op)
        raise
    return op


def unregister(name: str) -> None:
    """Remove a row added by :func:`register` (and its ``Value`` method)."""
    op = REGISTERED.get(name)
    if op is None:
        raise KeyError(f"unregister: {name!r} was not added by autograd.ops.register")
    for f in ON_CHANGE:
        f(op, False)
    _remove(op)


def _remove(op: Op) -> None:
    del OPS[op.name], REGISTERED[op.name]
    for key in (op.name, op.symbol):
        if SYMBOLS.get(key) is op:
            del SYMBOLS[key]
