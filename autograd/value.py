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

import math
import numbers
from collections.abc import Iterator
from contextlib import contextmanager

from autograd import ops
from autograd.graph import topological_order
from autograd.ops import Op

Number = int | float


class _GradMode:
    """Whether operations record a graph (see :func:`no_grad`)."""

    enabled = True


@contextmanager
def no_grad() -> Iterator[None]:
    """Context manager: operations inside record no graph (results are leaves).

    Like ``torch.no_grad()``: use it for parameter updates and evaluation.
    """
    previous = _GradMode.enabled
    _GradMode.enabled = False
    try:
        yield
    finally:
        _GradMode.enabled = previous


def is_grad_enabled() -> bool:
    """True unless inside :func:`no_grad`."""
    return _GradMode.enabled


def _as_float(x: object, what: str) -> float:
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


def _lift(x: object) -> Value | None:
    """A constant leaf for a number operand; None when ``x`` is not a number."""
    if isinstance(x, Value):
        return x
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return None
    return _node(float(x), (), None)


def _node(data: float, children: tuple, rule: Op | None) -> Value:
    """Make a result without ``__init__``'s checks (the hot path)."""
    out = object.__new__(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if _GradMode.enabled:
        out._prev = children
        out._rule = rule
    else:
        out._prev = ()
        out._rule = None
    return out


def _apply(rule: Op, *operands: Value) -> Value:
    """Apply a primitive: forward on the operands' data, record the node."""
    return _node(rule.forward(*(v.data for v in operands), *rule.params), operands, rule)


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
        self.data = _as_float(data, "Value data")
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
            if rule is None or rule.arity != len(children):
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
        other_v = _lift(other)
        if other_v is None:
            return NotImplemented
        return _node(self.data + other_v.data, (self, other_v), ops.ADD)

    def __radd__(self, other: Number) -> Value:
        other_v = _lift(other)
        if other_v is None:
            return NotImplemented
        return _node(other_v.data + self.data, (other_v, self), ops.ADD)

    def __mul__(self, other: Value | Number) -> Value:
        other_v = _lift(other)
        if other_v is None:
            return NotImplemented
        return _node(self.data * other_v.data, (self, other_v), ops.MUL)

    def __rmul__(self, other: Number) -> Value:
        other_v = _lift(other)
        if other_v is None:
            return NotImplemented
        return _node(other_v.data * self.data, (other_v, self), ops.MUL)

    def __pow__(self, other: Value | Number) -> Value:
        if isinstance(other, Value):
            return _apply(ops.POW, self, other)
        if isinstance(other, bool) or not isinstance(other, numbers.Real):
            return NotImplemented
        return _apply(ops.pow_const(float(other)), self)

    def __rpow__(self, other: Number) -> Value:
        base = _lift(other)
        if base is None:
            return NotImplemented
        return _apply(ops.POW, base, self)

    def __neg__(self) -> Value:  # -x = x * -1
        return self * -1.0

    def __sub__(self, other: Value | Number) -> Value:  # x - y = x + (-y)
        if _lift(other) is None:
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other: Number) -> Value:  # y - x = y + (-x)
        if _lift(other) is None:
            return NotImplemented
        return other + (-self)

    def __truediv__(self, other: Value | Number) -> Value:  # x / y = x * y**-1
        divisor = _lift(other)
        if divisor is None:
            return NotImplemented
        if divisor.data == 0:
            raise ZeroDivisionError(f"division: {self!r} / {divisor.data!r} divides by zero")
        return self * divisor**-1

    def __rtruediv__(self, other: Number) -> Value:  # y / x = y * x**-1
        if _lift(other) is None:
            return NotImplemented
        if self.data == 0:
            raise ZeroDivisionError(f"division: {other!r} / {self!r} divides by zero")
        return other * self**-1

    def __abs__(self) -> Value:
        return _apply(ops.ABS, self)

    # -- functions -----------------------------------------------------------

    def exp(self) -> Value:
        r"""e^x (``inf`` on overflow)."""
        return _apply(ops.EXP, self)

    def log(self) -> Value:
        r"""Natural logarithm; ValueError unless x > 0."""
        return _apply(ops.LOG, self)

    def sqrt(self) -> Value:
        r"""√x; ValueError for x < 0; its derivative at 0 is ``inf``."""
        return _apply(ops.SQRT, self)

    def tanh(self) -> Value:
        r"""tanh x, with derivative 1 - tanh^2 x."""
        return _apply(ops.TANH, self)

    def sigmoid(self) -> Value:
        r"""σ(x) = 1 / (1 + e^{-x}), stable for any x."""
        return _apply(ops.SIGMOID, self)

    def relu(self) -> Value:
        r"""max(0, x); derivative 1 if x > 0 else 0."""
        return _apply(ops.RELU, self)

    def leaky_relu(self, alpha: float = 0.01) -> Value:
        r"""x if x > 0 else αx; derivative 1 if x > 0 else α."""
        return _apply(ops.leaky_relu(_as_float(alpha, "leaky_relu alpha")), self)

    def swish(self) -> Value:
        r"""Swish / SiLU: x σ(x)."""
        return _apply(ops.SWISH, self)

    silu = swish

    def softplus(self) -> Value:
        r"""log(1 + e^x), stable for any x; derivative σ(x)."""
        return _apply(ops.SOFTPLUS, self)

    def sin(self) -> Value:
        return _apply(ops.SIN, self)

    def cos(self) -> Value:
        return _apply(ops.COS, self)

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
            with _enable_grad():
                _backward_values(order, seed)
        else:
            _backward_floats(order, _as_float(grad, "backward grad"))

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on every node of this value's graph."""
        for node in topological_order(self):
            node.grad = 0.0

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut off from the graph."""
        return Value(self.data, label=self.label)

    # -- Python protocol -----------------------------------------------------

    def __float__(self) -> float:
        return self.data

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


def _compared(other: object) -> float:
    if isinstance(other, Value):
        return other.data
    return _as_float(other, "comparison operand")


@contextmanager
def _enable_grad() -> Iterator[None]:
    previous = _GradMode.enabled
    _GradMode.enabled = True
    try:
        yield
    finally:
        _GradMode.enabled = previous


def _backward_floats(order: list[Value], seed: float) -> None:
    """First-order backward: local derivatives and gradients as floats.

    ``upstream`` holds each node's gradient for this pass until the node is
    reached (then it is final: every consumer came earlier). ``+`` and ``*``,
    most of any graph, are unrolled from their rows in the table of operations.
    """
    upstream: dict[Value, float] = {order[-1]: seed}
    get = upstream.get
    add, mul = ops.ADD, ops.MUL
    for node in reversed(order):
        g = upstream.pop(node)
        node.grad += g
        rule = node._rule
        if rule is None:
            continue
        if rule is add:  # local derivatives (1, 1)
            x, y = node._prev
            upstream[x] = get(x, 0.0) + g
            upstream[y] = get(y, 0.0) + g
        elif rule is mul:  # local derivatives (y, x)
            x, y = node._prev
            upstream[x] = get(x, 0.0) + y.data * g
            upstream[y] = get(y, 0.0) + x.data * g
        else:
            prev = node._prev
            local = rule.partials(node.data, *[p.data for p in prev], *rule.params)
            for i, child in enumerate(prev):
                upstream[child] = get(child, 0.0) + local[i] * g


def _backward_values(order: list[Value], seed: Value) -> None:
    """Backward that builds the gradients as Values (``create_graph=True``)."""
    upstream: dict[Value, Value] = {order[-1]: seed}
    for node in reversed(order):
        g = upstream.pop(node)
        node.grad = g if _is_zero(node.grad) else node.grad + g
        rule = node._rule
        if rule is None:
            continue
        local = rule.partials(node, *node._prev, *rule.params)
        for child, d in zip(node._prev, local):
            contribution = g if (isinstance(d, float) and d == 1.0) else d * g
            previous = upstream.get(child)
            upstream[child] = contribution if previous is None else previous + contribution


def _is_zero(x: float | Value) -> bool:
    return not isinstance(x, Value) and x == 0.0 and not math.isnan(x)
