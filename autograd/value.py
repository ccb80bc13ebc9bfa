r"""``Value``: one number, the operation that made it, and its gradient.

A ``Value`` wraps a Python float. Arithmetic on Values records a computation
graph: each result keeps its operands (``_prev``, a tuple in argument order,
duplicates kept: ``x * x`` has two children) and the :class:`~autograd.ops.Op`
that made it. ``backward()`` walks that graph once in reverse topological order
and applies the chain rule node by node,

    dC/d(operand) += (d result / d operand) * dC/d(result),

so a leaf's gradient is the sum, over every path from the output to the leaf,
of the products of local derivatives along the path.

Design decisions (documented here, checked in ``tests/``):
    * ``data`` accepts ``int``, ``float`` and NumPy real scalars, stored as
      ``float``. ``bool`` is refused: ``Value(True)`` is almost always a
      comparison passed by mistake; write ``1.0`` or ``0.0``.
    * Gradients accumulate, as in PyTorch: a second ``backward()`` on the same
      graph adds the same gradients again (every gradient doubles). Call
      ``zero_grad()`` between passes. Every node keeps its gradient, not only
      the leaves: the gradient of a neuron's ``z`` is its error δ.
    * Overflow follows IEEE 754 and PyTorch: ``Value(1000.0).exp()`` is
      ``inf``; domain errors (log of 0, division by zero, ...) raise at the
      operation that caused them.
    * ``<``, ``<=``, ``>``, ``>=`` compare ``data`` and return a plain ``bool``
      (not differentiable, as comparisons in PyTorch). ``==`` and ``hash`` are
      by identity, so a Value can be a dict key or a set member; compare
      numbers with ``a.data == b.data``.
    * No closure is stored on a node: a node refers only to its operands and to
      a shared ``Op``, so a dropped graph is freed by reference counting alone.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from autograd import ops
from autograd.backward import backward_floats, backward_values
from autograd.graph import topological_order
from autograd.ops import Op

Number = int | float

_recording: ContextVar[bool] = ContextVar("chainrule_grad_enabled", default=True)
"""Whether operations record a graph. A context variable, so each thread (and each
asyncio task) has its own: ``no_grad()`` in one thread never stops another's recording.
A new thread starts with recording on, as in PyTorch."""


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
    return _setting(_recording, False)


def enable_grad() -> AbstractContextManager[None]:
    """Context manager: operations inside record a graph, even within :func:`no_grad`."""
    return _setting(_recording, True)


_tracing: ContextVar[bool] = ContextVar("chainrule_tracing", default=False)
"""Whether :func:`autograd.trace` is recording (comparisons of Values are then an error)."""


def tracing() -> AbstractContextManager[None]:
    """Context manager used by :func:`autograd.trace`: comparisons of Values raise inside it."""
    return _setting(_tracing, True)


def is_grad_enabled() -> bool:
    """True unless inside :func:`no_grad` (in this thread or asyncio task)."""
    return _recording.get()


def as_float(x: object, what: str) -> float:
    """The float of a real number, or a TypeError naming ``what`` and the type."""
    if type(x) is float:
        return x
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        hint = ""
        if isinstance(x, Value):
            hint = " (it is already a Value: use it directly, or its .data)"
        elif isinstance(x, bool):
            hint = " (bool is refused: write 1.0 or 0.0)"
        raise TypeError(
            f"{what} must be a real number (int, float or NumPy scalar), "
            f"got {type(x).__name__}: {x!r}{hint}"
        )
    return float(x)


def lift(x: object) -> Value | None:
    """A constant leaf for a number operand; None when ``x`` is not a number."""
    if isinstance(x, Value):
        return x
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return None
    return node(float(x), (), None)


def node(data: float, children: tuple, rule: Op | None) -> Value:
    """Make a result without ``__init__``'s checks (the hot path)."""
    out = object.__new__(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if _recording.get():
        out._prev = children
        out._rule = rule
    else:
        out._prev = ()
        out._rule = None
    return out


def apply(rule: Op, *operands: Value) -> Value:
    """Apply an operation of the table: its forward rule on the operands' data, and record the node.

    Every operation goes through here, except ``+`` and ``*``, which inline the
    same two steps for speed (a test checks them against their rows).

    Args:
        rule: A row of :data:`autograd.ops.OPS` (or one of its bound instances).
        operands: One ``Value`` per operand of the row.
    """
    return node(rule.forward(*[v.data for v in operands], *rule.params), operands, rule)


class Value:
    """A scalar in a computation graph.

    Args:
        data: The number (int, float or NumPy real scalar; stored as float).
        _children: Operands of the operation that made this value (micrograd's
            signature; normally left empty and filled by the operators).
        _op: Symbol or name of that operation (``"+"``, ``"*"``, ``"tanh"``);
            it must be a primitive of :data:`autograd.ops.OPS` with a matching
            number of children.
        label: A name shown when the graph is drawn (can be set later).

    Attributes:
        data: The float value.
        grad: dC/d(this value), accumulated by :meth:`backward`; a float, or a
            ``Value`` after ``backward(create_graph=True)``.
        label: A display name.
        _prev: Operands, in argument order (a tuple; duplicates kept).
    """

    __slots__ = ("_prev", "_rule", "data", "grad", "label")

    def __init__(self, data: Number, _children: tuple = (), _op: str = "", label: str = "") -> None:
        self.data = as_float(data, "Value data")
        self.grad: float | Value = 0.0
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__}")
        self.label = label
        children = tuple(_children)
        for child in children:
            if not isinstance(child, Value):
                raise TypeError(
                    f"Value children must be Values, got {type(child).__name__}: {child!r}"
                )
        rule = None
        if _op:
            rule = ops.SYMBOLS.get(_op)
            if rule is not None and rule.param is not None and not rule.params:
                rule = rule.bind(rule.param.default)
            if rule is None or len(children) != (rule.arity or max(1, len(children))):
                known = ", ".join(sorted(ops.SYMBOLS))
                raise ValueError(
                    f"Value _op {_op!r} with {len(children)} children is not a primitive "
                    f"with that many operands; known operations: {known}"
                )
        elif children:
            raise ValueError("Value children given without an operation (_op)")
        self._prev: tuple[Value, ...] = children
        self._rule: Op | None = rule

    # -- the public, read-only view of the graph -----------------------------

    @property
    def _op(self) -> str:
        """Symbol of the operation that made this value ('' for a leaf)."""
        return "" if self._rule is None else self._rule.symbol

    @property
    def op(self) -> str:
        """Symbol of the operation that made this value ('' for a leaf)."""
        return self._op

    @property
    def rule(self) -> Op | None:
        """The row of the table of operations that made this value (None for a leaf)."""
        return self._rule

    @property
    def parents(self) -> tuple[Value, ...]:
        """The operands this value was computed from, in argument order."""
        return self._prev

    @property
    def is_leaf(self) -> bool:
        """True for inputs, parameters and constants (no recorded operation)."""
        return self._rule is None

    def partials(self) -> tuple[float, ...]:
        r"""Local derivatives ∂self/∂operand_i, one per entry of :attr:`parents`."""
        if self._rule is None:
            return ()
        rule = self._rule
        return tuple(
            float(d) for d in rule.partials(self.data, *(p.data for p in self._prev), *rule.params)
        )

    # -- arithmetic ----------------------------------------------------------

    def __add__(self, other: Value | Number) -> Value:
        other_v = lift(other)
        if other_v is None:
            return NotImplemented
        return node(self.data + other_v.data, (self, other_v), ops.ADD)

    def __radd__(self, other: Number) -> Value:
        other_v = lift(other)
        if other_v is None:
            return NotImplemented
        return node(other_v.data + self.data, (other_v, self), ops.ADD)

    def __mul__(self, other: Value | Number) -> Value:
        other_v = lift(other)
        if other_v is None:
            return NotImplemented
        return node(self.data * other_v.data, (self, other_v), ops.MUL)

    def __rmul__(self, other: Number) -> Value:
        other_v = lift(other)
        if other_v is None:
            return NotImplemented
        return node(other_v.data * self.data, (other_v, self), ops.MUL)

    def __pow__(self, other: Value | Number) -> Value:
        if isinstance(other, Value):
            return apply(ops.POW, self, other)
        if isinstance(other, bool) or not isinstance(other, numbers.Real):
            return NotImplemented
        return apply(ops.POW_CONST.bind(float(other)), self)

    def __rpow__(self, other: Number) -> Value:
        base = lift(other)
        if base is None:
            return NotImplemented
        return apply(ops.POW, base, self)

    def __neg__(self) -> Value:  # -x = x * -1
        return self * -1.0

    def __sub__(self, other: Value | Number) -> Value:  # x - y = x + (-y)
        if lift(other) is None:
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other: Number) -> Value:  # y - x = y + (-x)
        if lift(other) is None:
            return NotImplemented
        return other + (-self)

    def __truediv__(self, other: Value | Number) -> Value:
        divisor = lift(other)
        if divisor is None:
            return NotImplemented
        return apply(ops.DIV, self, divisor)

    def __rtruediv__(self, other: Number) -> Value:
        dividend = lift(other)
        if dividend is None:
            return NotImplemented
        return apply(ops.DIV, dividend, self)

    def __abs__(self) -> Value:
        return apply(ops.ABS, self)

    # The one-operand functions (exp, log, tanh, relu, ...) are methods made
    # from the rows of the table of operations: see _install_methods below.
    if TYPE_CHECKING:  # for type checkers only: at run time an unknown name is an AttributeError

        def __getattr__(self, name: str) -> Callable[..., Value]: ...

    # -- gradients -------------------------------------------------------------

    def backward(self, grad: Number | Value = 1.0, *, create_graph: bool = False) -> None:
        r"""Accumulate dself/dnode into ``node.grad`` for every node of the graph.

        Visits the graph once, in reverse topological order (an iterative sort:
        graphs of any depth work at the default recursion limit). Each node's
        gradient for this pass is complete before it is passed on; it is then
        added to ``node.grad``, so repeated calls accumulate as in PyTorch.

        Args:
            grad: dC/dself, the seed (1.0 for the output itself).
            create_graph: If True, gradients are computed as ``Value`` objects,
                themselves differentiable (gradients of gradients). Each
                ``.grad`` is then a Value whose graph refers to this one; call
                :meth:`zero_grad` to release it.
        """
        order = topological_order(self)
        if create_graph:
            seed = grad if isinstance(grad, Value) else Value(grad)
            with enable_grad():
                backward_values(order, seed)
        else:
            backward_floats(order, as_float(grad, "backward grad"))

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on every node of this value's graph."""
        for node in topological_order(self):
            node.grad = 0.0

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut off from the graph."""
        return Value(self.data, label=self.label)

    # -- Python protocol -----------------------------------------------------

    def __float__(self) -> float:  # also behind math.exp(v), math.floor(v), complex(v), ...
        if _tracing.get():
            from autograd.replay import frozen_number

            raise frozen_number("float(v) (or a math function of v, such as math.exp(v))")
        return self.data

    def _not_an_integer(self, *_: object) -> int:  # int(v), round(v), math.trunc(v), v as an index
        if _tracing.get():
            from autograd.replay import frozen_number

            raise frozen_number("int(v), round(v), math.trunc(v) or v as an index")
        raise TypeError("int(v), round(v), math.trunc(v) or v as an index: a Value is a real number (convert v.data)")

    __int__ = __index__ = __round__ = __trunc__ = _not_an_integer

    def __repr__(self) -> str:
        grad = self.grad.data if isinstance(self.grad, Value) else self.grad
        return f"Value(data={self.data!r}, grad={grad!r})"

    def __lt__(self, other: Value | Number) -> bool:
        return self.data < _compared(other)

    def __le__(self, other: Value | Number) -> bool:
        return self.data <= _compared(other)

    def __gt__(self, other: Value | Number) -> bool:
        return self.data > _compared(other)

    def __ge__(self, other: Value | Number) -> bool:
        return self.data >= _compared(other)

    __hash__ = object.__hash__

    # -- copying and pickling, without recursion ------------------------------

    def __reduce__(self) -> tuple:
        """Pickle the whole graph below this value as a flat table (no recursion).

        Rows are ``(data, grad, label, operation name, constants, operand
        indices)`` in topological order, so graphs of any depth pickle at the
        default recursion limit. A gradient that is itself a Value
        (``create_graph=True``) is not kept: it would drag a second graph along.
        """
        from autograd.copying import flatten, rebuild

        return (rebuild, (flatten(self),))

    def __deepcopy__(self, memo: dict) -> Value:
        """A copy of the whole graph below this value (iterative, any depth)."""
        from autograd.copying import flatten, rebuild

        copy = rebuild(flatten(self))
        memo[id(self)] = copy
        return copy


def _compared(other: object) -> float:
    if _tracing.get():
        from autograd.replay import TraceError

        raise TraceError(
            "a comparison of Values while tracing: the branch it takes would be frozen "
            "into the tape for every later input. Write it with an operation of the "
            "table (relu, abs, ...), or do not trace this function."
        )
    if isinstance(other, Value):
        return other.data
    return as_float(other, "comparison operand")


def _method(op: Op) -> object:
    """The ``Value`` method of a one-operand row: ``x.tanh()``, ``x.leaky_relu(alpha=0.2)``."""
    if op.param is None:
        forward = op.forward

        def method(self: Value) -> Value:  # apply(op, self), for one operand
            return node(forward(self.data), (self,), op)

        parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)]
    else:
        param = op.param

        def method(self: Value, value: float = param.default) -> Value:  # type: ignore[misc]
            return apply(op.bind(as_float(value, f"{op.name} {param.name}")), self)

        parameters = [
            inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY),
            inspect.Parameter(param.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=param.default),
        ]
    method.__name__ = method.__qualname__ = op.name
    method.__qualname__ = f"Value.{op.name}"
    method.__doc__ = op.doc
    method.__signature__ = inspect.Signature(parameters, return_annotation="Value")  # type: ignore[attr-defined]
    return method


def _install_methods() -> None:
    """Give ``Value`` one method per one-operand row of the table (and its aliases)."""
    for op in ops.OPS.values():
        if op.arity == 1 and op.method:
            method = _method(op)
            for name in (op.name, *op.aliases):
                setattr(Value, name, method)


_install_methods()
