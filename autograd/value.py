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
      ``node._backward()`` is still there, as in micrograd: the node's own step
      of the chain rule, made from its row when asked for. Only an operation the
      learner defines the lecture's way (``Value(data, operands, "name")``, then
      ``out._backward = closure``) keeps a closure (:mod:`autograd.custom`).
    * ``copy.deepcopy`` and ``pickle`` take the whole graph below a value,
      without recursion: :mod:`autograd.copying` registers how, with
      :mod:`copyreg`, when :mod:`autograd` is imported.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from autograd import grad_mode, ops
from autograd.backward import ZERO as _ZERO
from autograd.backward import backward_floats, backward_values
from autograd.custom import Custom, probed_partials, recorded_rule, step
from autograd.grad_mode import TraceError, enable_grad, is_grad_enabled, no_grad, tracing
from autograd.graph import topological_order
from autograd.ops import Op

Number = int | float

# NOTE: speed: assigned, not imported: CPython compiles imported_name.get() to a slower load (+30 ns a node)
_recording = grad_mode.recording
_tracing = grad_mode.tracing_flag
_new = object.__new__
_ADD, _MUL = ops.ADD, ops.MUL


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
        raise TypeError(f"{what} must be a real number (int, float or NumPy scalar), got {type(x).__name__}: {x!r}{hint}")
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
    out = _new(Value)
    out.data, out.grad, out.label = data, _ZERO, ""
    if _recording.get():
        if len(children) == 2:
            out._a, out._b = children
        else:
            out._a, out._b = children, None
        out._rule = rule
    else:
        out._a, out._b, out._rule = (), None, None
    return out


def apply(rule: Op, *operands: Value) -> Value:
    """Apply an operation of the table: its forward rule on the operands' data, and record the node.

    Every operation goes through here, except ``+``, ``*`` and the one-operand
    methods, which inline the same two steps for speed (tests check them against their rows).

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
        _op: Symbol or name of that operation (``"+"``, ``"tanh"``): a row of
            :data:`autograd.ops.OPS` with that many operands, or the learner's
            own operation, whose step is the closure assigned to :attr:`_backward`.
        label: A name shown when the graph is drawn (can be set later).

    Attributes:
        data: The float value.
        grad: dC/d(this value), accumulated by :meth:`backward`; a float, or a
            ``Value`` after ``backward(create_graph=True)``.
        label: A display name.
        _prev: Operands, in argument order (a tuple; duplicates kept).
        _backward: This node's own step of the chain rule (assign a closure to define it).
    """

    # NOTE: speed, memory: a node of two operands holds them in _a and _b (no tuple: 20 ns and
    # 48 bytes less per node, and one object fewer to reach in backward); any other holds the
    # tuple of its operands in _a, and None in _b. _prev and parents make the tuple.
    __slots__ = ("_a", "_b", "_rule", "data", "grad", "label")

    def __init__(self, data: Number, _children: tuple = (), _op: str = "", label: str = "") -> None:
        self.data = as_float(data, "Value data")
        self.grad: float | Value = _ZERO
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__}")
        self.label = label
        children = tuple(_children)
        for child in children:
            if not isinstance(child, Value):
                raise TypeError(f"Value children must be Values, got {type(child).__name__}: {child!r}")
        rule = recorded_rule(_op, children)
        if len(children) == 2:
            self._a, self._b = children
        else:
            self._a, self._b = children, None
        self._rule: Op | Custom | None = rule

    # -- the public, read-only view of the graph -----------------------------

    @property
    def _op(self) -> str:
        """Symbol of the operation that made this value ('' for a leaf)."""
        return "" if self._rule is None else self._rule.symbol

    op = _op

    @property
    def rule(self) -> Op | Custom | None:
        """The row of the table that made this value (None for a leaf; :class:`Custom` for a closure's)."""
        return self._rule

    @property
    def parents(self) -> tuple[Value, ...]:
        """The operands this value was computed from, in argument order."""
        b = self._b
        return self._a if b is None else (self._a, b)

    _prev = parents

    @property
    def is_leaf(self) -> bool:
        """True for inputs, parameters and constants (no recorded operation)."""
        return self._rule is None

    def partials(self) -> tuple[float, ...]:
        r"""Local derivatives ∂self/∂operand_i, one per entry of :attr:`parents`."""
        rule = self._rule
        if rule is None:
            return ()
        if isinstance(rule, Custom):  # read off the closure, run with out.grad = 1
            return probed_partials(self)
        return tuple(float(d) for d in rule.partials(self.data, *(p.data for p in self._prev), *rule.params))

    # -- arithmetic ----------------------------------------------------------

    def __add__(self, other: Value | Number) -> Value:
        if other.__class__ is not Value and (other := lift(other)) is None:  # type: ignore[assignment]
            return NotImplemented
        # NOTE: speed: node() inlined in + and * and the one-operand methods (224 -> 144 ns per node)
        out = _new(Value)
        out.data, out.grad, out.label = self.data + other.data, _ZERO, ""  # type: ignore[union-attr]
        if _recording.get():
            out._a, out._b, out._rule = self, other, _ADD
        else:
            out._a, out._b, out._rule = (), None, None
        return out

    def __radd__(self, other: Number) -> Value:
        other_v = lift(other)
        if other_v is None:
            return NotImplemented
        return node(other_v.data + self.data, (other_v, self), ops.ADD)

    def __mul__(self, other: Value | Number) -> Value:
        if other.__class__ is not Value and (other := lift(other)) is None:  # type: ignore[assignment]
            return NotImplemented
        out = _new(Value)
        out.data, out.grad, out.label = self.data * other.data, _ZERO, ""  # type: ignore[union-attr]
        if _recording.get():
            out._a, out._b, out._rule = self, other, _MUL
        else:
            out._a, out._b, out._rule = (), None, None
        return out

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

    @property
    def _backward(self) -> Callable[[], None]:
        r"""This node's own step of the chain rule, micrograd's ``_backward`` (see :func:`autograd.custom.step`).

        Calling it adds (∂self/∂u) · ``self.grad`` to ``u.grad`` for each operand u,
        as :meth:`backward` does at this node (nothing on a leaf); for an operation
        the learner defined, it is the closure assigned.
        """
        rule = self._rule
        if rule.__class__ is Custom and rule.closure is not None:
            return rule.closure
        return partial(step, self)

    @_backward.setter
    def _backward(self, closure: Callable[[], None]) -> None:
        """Define this node's operation's gradient step by a closure (the lecture's way)."""
        if not callable(closure):
            raise TypeError(f"_backward must be a function of no arguments, got {type(closure).__name__}")
        if not self._prev:
            raise ValueError(
                "_backward assigned to a leaf: a leaf has no operands to pass its gradient to "
                "(make the result with Value(data, (operands...), 'name') first)"
            )
        self._rule = Custom(self._op, closure)

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

        Raises:
            MissingBackward: A node has operands but neither a row of the table
                nor a ``_backward`` closure (no ``grad`` has been changed).
            TypeError: ``create_graph=True`` through an operation defined by a
                closure (nothing has been changed).
        """
        if create_graph:
            seed = grad if isinstance(grad, Value) else Value(grad)
            with enable_grad():
                backward_values(topological_order(self), seed)
        else:
            backward_floats(self, as_float(grad, "backward grad"))

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on every node of this value's graph."""
        for node in topological_order(self):
            node.grad = _ZERO

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut off from the graph."""
        return Value(self.data, label=self.label)

    # -- Python protocol -----------------------------------------------------

    def __float__(self) -> float:  # also behind math.exp(v), math.floor(v), complex(v), ...
        if _tracing.get():
            raise grad_mode.frozen_number("float(v) (or a math function of v, such as math.exp(v))")
        return self.data

    def _not_an_integer(self, *_: object) -> int:  # int(v), round(v), math.trunc(v), v as an index
        if _tracing.get():
            raise grad_mode.frozen_number("int(v), round(v), math.trunc(v) or v as an index")
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


def _compared(other: object) -> float:
    if _tracing.get():
        raise TraceError(
            "a comparison of Values while tracing: the branch it takes would be frozen "
            "into the tape for every later input. Write it with an operation of the "
            "table (relu, abs, ...), or do not trace this function."
        )
    if isinstance(other, Value):
        return other.data
    return as_float(other, "comparison operand")


def _method(op: Op) -> object:
    """The ``Value`` method of a row: ``x.tanh()``, ``x.leaky_relu(alpha=0.2)``, ``a.f(b)`` (two operands)."""
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)]
    more = (op.arity or 1) - 1
    if more:  # a row added by autograd.ops.register: a.f(b, ...)

        def method(self: Value, *others: Value | Number) -> Value:
            operands = [lift(x) for x in others]
            if len(operands) != more or None in operands:
                raise TypeError(f"{op.name} takes {more} more operand(s), Values or numbers; got {others!r}")
            return apply(op, self, *operands)  # type: ignore[arg-type]

        parameters.append(inspect.Parameter("others", inspect.Parameter.VAR_POSITIONAL))
    elif op.param is None:
        forward = op.forward

        def method(self: Value) -> Value:  # type: ignore[misc]  # apply(op, self), node() inlined
            out = _new(Value)
            out.data, out.grad, out.label = forward(self.data), _ZERO, ""
            if _recording.get():
                out._a, out._b, out._rule = (self,), None, op
            else:
                out._a, out._b, out._rule = (), None, None
            return out

    else:
        param = op.param

        def method(self: Value, value: float = param.default) -> Value:  # type: ignore[misc]
            return apply(op.bind(as_float(value, f"{op.name} {param.name}")), self)

        parameters.append(
            inspect.Parameter(param.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=param.default)
        )
    method.__name__, method.__qualname__ = op.name, f"Value.{op.name}"
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


def _follow_registry(op: Op, added: bool) -> None:
    """Give a row added by :func:`autograd.ops.register` its ``Value`` method (or take it away)."""
    if added:
        if hasattr(Value, op.name):
            raise ValueError(f"register: Value already has an attribute {op.name!r}; choose another name")
        setattr(Value, op.name, _method(op))
    else:
        delattr(Value, op.name)


_install_methods()
ops.ON_CHANGE.append(_follow_registry)

__all__ = ["TraceError", "Value", "apply", "as_float", "enable_grad", "is_grad_enabled", "lift", "no_grad", "node", "tracing"]
