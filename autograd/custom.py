r"""Operations defined the micrograd lecture's way, and one node's own step of the chain rule.

The lecture defines an operation by making its result and giving it a closure
that passes the gradient back to the operands:

    out = Value(t, (x,), "tanh")
    def _backward():
        x.grad += (1 - t**2) * out.grad
    out._backward = _backward

chainrule accepts the same. ``Value(data, operands, name)`` with a name that
is a row of the table of operations (with that many operands) records that
row; any other name records a :class:`Custom` rule carrying only the name.
Assigning ``out._backward = fn`` stores the learner's closure in the node's
:class:`Custom` rule (replacing a table row, if the node had one), and
``backward()`` calls it at that node. A node with operands but neither a row
nor a closure makes ``backward()`` raise :class:`MissingBackward`, naming it.

``node._backward()`` (see :func:`step`) is the node's own step,

    u.grad += (∂node/∂u) · node.grad   for each operand u,

exactly the sums ``backward()`` does at that node, so calling it by hand on
every node in reverse topological order after ``root.grad = 1.0`` gives
``backward()``'s gradients, float for float. For a table row no closure is
stored: the step is made from the row's local derivatives when it is asked
for, so graphs stay free of reference cycles.

This module imports only the table's registry (:mod:`autograd.rows`) from
``autograd`` (nodes are duck-typed), so the backward loops can import it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd.rows import SYMBOLS, Op


class MissingBackward(TypeError):
    """A node with operands has neither a row of the table nor a ``_backward`` closure."""


class Custom:
    """The rule of ONE node whose operation the learner defined: its name and closure.

    It stands where a node holds its row of the table (``node.rule``) and has
    the fields the rest of chainrule reads from a row (``name``, ``symbol``,
    ``params``), but no forward rule and no local-derivative formula: only
    the closure, which adds to the operands' ``grad`` from ``out.grad``.

    Attributes:
        name: The operation's name, as given to ``Value(data, operands, name)``;
            also what drawings show.
        closure: The ``_backward`` function assigned, or None before it is.
    """

    __slots__ = ("closure", "name")
    params: tuple = ()
    param = None
    arity = None

    def __init__(self, name: str, closure: Callable[[], Any] | None = None) -> None:
        self.name = name
        self.closure = closure

    @property
    def symbol(self) -> str:
        """What a drawing shows: the name."""
        return self.name

    def __repr__(self) -> str:
        return f"Custom({self.name!r}, closure={self.closure!r})"


def recorded_rule(name: str, operands: tuple) -> Op | Custom | None:
    """The rule ``Value(data, operands, name)`` records: the row named ``name`` with that many operands, else a :class:`Custom`.

    None for a leaf (no operands, no name). A row that takes a constant gets its default.
    """
    if not isinstance(name, str):
        raise TypeError(f"Value _op must be a str (the operation's name), got {type(name).__name__}")
    if not operands:
        if name:
            raise ValueError(f"Value _op {name!r} given without operands (_children): a leaf has no operation")
        return None
    if not name:
        raise ValueError("Value children given without an operation: name it, as in Value(data, (a, b), 'myop')")
    rule = SYMBOLS.get(name)
    if rule is not None and rule.param is not None and not rule.params:
        rule = rule.bind(rule.param.default)
    if rule is None or len(operands) != (rule.arity or len(operands)):
        return Custom(name)  # the learner's own operation: its step is a closure
    return rule


def missing(node: Any) -> MissingBackward:
    """The error for a node with operands and no way to pass its gradient back."""
    return MissingBackward(
        f"the operation {node._rule.name!r} (a node with {len(node._prev)} operands, "
        f"data {node.data!r}) has no _backward: it is not a row of the table of operations "
        "with that many operands. Assign its closure (out._backward = _backward, the "
        "lecture's way), or add the operation to the table with autograd.ops.register(...)."
    )


def step(node: Any) -> None:
    r"""``node._backward()``: add (∂node/∂u) · node.grad to ``u.grad`` for each operand u.

    A no-op on a leaf; the learner's closure for a :class:`Custom` node.
    """
    rule = node._rule
    if rule is None:
        return
    if rule.__class__ is Custom:
        if rule.closure is None:
            raise missing(node)
        rule.closure()
        return
    g = node.grad
    prev = node._prev
    local = rule.partials(node.data, *[p.data for p in prev], *rule.params)
    for i, child in enumerate(prev):
        child.grad += local[i] * g


def run_closure(node: Any, g: float) -> tuple[list[Any], list[Any]]:
    """Run the node's closure for ``g`` = dC/d(node): the distinct operands, and what it added to each.

    The closure reads ``out.grad`` and adds to each operand's ``grad``. For it
    to pass ``g`` alone, it runs with ``node.grad = g`` and every operand's
    ``grad`` at 0.0; what it added is read off and every ``grad`` restored. An
    operand given twice receives both additions.
    """
    closure = node._rule.closure
    if closure is None:
        raise missing(node)
    operands = list(dict.fromkeys(node._prev))
    saved = [u.grad for u in operands]
    total = node.grad
    for u in operands:
        u.grad = 0.0
    node.grad = g
    try:
        closure()
        added = [u.grad for u in operands]
    finally:
        node.grad = total
        for u, grad in zip(operands, saved):
            u.grad = grad
    return operands, added


def probed_partials(node: Any) -> tuple[float, ...]:
    """The local derivatives of a :class:`Custom` node, read off its closure run with ``out.grad = 1``.

    An operand given twice has its whole derivative in its first slot (the
    closure adds both shares to one ``grad``) and 0.0 in the others.
    """
    added = dict(zip(*run_closure(node, 1.0)))
    seen: set = set()
    local = []
    for u in node._prev:
        local.append(0.0 if u in seen else float(0.0 + added[u]))  # 0.0 +: a -0.0 added reads 0.0
        seen.add(u)
    return tuple(local)


__all__ = ["Custom", "MissingBackward", "probed_partials", "recorded_rule", "run_closure", "step"]
