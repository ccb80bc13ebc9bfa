r"""The backward pass: the chain rule applied node by node, in reverse topological order.

For each node, from the output back to the inputs, the gradient of the output
with respect to the node is complete when the node is reached (every node that
uses it came earlier), and is passed on to each operand ``u`` of the node
``v`` as

    dC/du += (∂v/∂u) · dC/dv,

with ∂v/∂u the local derivative from the node's row of the table of operations,
or, for an operation the learner defined by a closure (:mod:`autograd.custom`),
what that closure adds.
:meth:`autograd.Value.backward` calls :func:`backward_floats` with the output, or
:func:`backward_values` with the graph sorted by :func:`autograd.graph.topological_order`.
"""

from __future__ import annotations

import math
import threading
from typing import Any

from autograd import ops
from autograd.custom import Custom, run_closure
from autograd.graph import topological_order

ZERO: float = 0.0
"""The gradient a new node starts with. ``backward`` tells a node whose ``grad``
is this very object (``is``, not ``==``) from one with a gradient to keep."""

# Two more +0.0 objects, the marks of the running pass (see _visit).
_SEEN = float("0")
_DONE = float("0")

# backward() passes run one at a time (a pass marks the nodes it visits): a second
# thread waits for the first; a pass started from a closure, in the same thread, runs at once.
_ONE_AT_A_TIME = threading.RLock()


def backward_floats(root: Any, seed: float) -> None:
    r"""First-order backward: ``node.grad += dC/d(node)`` on every node below ``root``.

    Each node's gradient for this pass is summed in its own ``grad``, in the
    order of its consumers in reverse topological order, starting from 0.0:

        dC/du = 0.0 + (∂v₁/∂u) dC/dv₁ + (∂v₂/∂u) dC/dv₂ + ...

    and is complete when the node is reached (every consumer came earlier). A
    node whose ``grad`` held anything but :data:`ZERO` (a gradient of an earlier
    pass, a user's 0.0) has it put aside first and gets ``old + dC/du`` at the
    end, the same sums as ``grad += dC/du``. ``+``, ``*``, ReLU and the n-ary
    sums, most of any graph, are unrolled from their rows in the table of
    operations (tests check them against the rows).

    Raises:
        MissingBackward: A node has operands but neither a row nor a closure.
            Whatever is raised during the pass leaves every ``grad`` as it was.
    """
    # NOTE: speed: the gradients in progress are summed in the nodes' own ``grad``, which
    # also holds the visit marks, and leaves are marked where met, not listed: 0.30 -> 0.12 µs
    # per node (sort included) on benchmarks/engine.py's 800,000 nodes, against a set of
    # visited nodes and a dict of gradients in progress (a set and a dict operation per node).
    with _ONE_AT_A_TIME:
        kept: dict[Any, Any] = {}
        try:
            order = _visit(root, kept)
        except BaseException:
            _restore(root, kept, marked_only=True)
            raise
        kept.setdefault(root, ZERO)  # the root's gradient is old + seed, never the seed alone
        try:
            root.grad = seed
            _pass(order)
            for node, old in kept.items():
                node.grad = old + node.grad
        except BaseException:
            _restore(root, kept, marked_only=False)
            raise


def _visit(root: Any, kept: dict) -> list[Any]:
    """The operation nodes below ``root`` in topological order, and every node's ``grad`` set to 0.0.

    A ``grad`` that is not :data:`ZERO` goes into ``kept`` first. The walk is
    :func:`autograd.graph.topological_order`'s (the same order), with two marks
    in the ``grad`` fields in place of its set: ``_SEEN`` while a node's operands
    are being listed, ``_DONE`` (the 0.0 the pass sums from) once it is listed
    or, for a leaf, once it is met (no leaf is listed). From each node the walk
    goes straight on to its first operand still to list, without the stack.
    """
    order: list[Any] = []
    if root._rule is None:  # backward on a leaf: its own gradient alone
        kept[root] = root.grad
        return order
    stack: list[Any] = [root]
    push, pop, emit = stack.append, stack.pop, order.append
    zero, seen, done = ZERO, _SEEN, _DONE
    while stack:
        node = pop()
        g = node.grad
        if g is seen:  # popped again, after its operands: listed
            emit(node)
            node.grad = done
            continue
        if g is done:
            continue
        while True:  # expand node, then go straight on to its first operand still to expand
            if g is not zero:
                kept[node] = g
            y = node._b
            if y is None:  # operands in a tuple (see autograd.value.Value)
                node.grad = seen
                push(node)
                for child in reversed(node._a):
                    g = child.grad
                    if g is not done:
                        if child._rule is not None:
                            push(child)
                        else:
                            if g is not zero:
                                kept[child] = g
                            child.grad = done
                break
            x = node._a
            g = x.grad
            if g is not done and x._rule is not None:
                node.grad = seen
                push(node)
                g = y.grad
                if g is not done:
                    if y._rule is not None:
                        push(y)
                    else:
                        if g is not zero:
                            kept[y] = g
                        y.grad = done
                node = x
                g = x.grad
                continue
            if g is not done:
                if g is not zero:
                    kept[x] = g
                x.grad = done
            g = y.grad
            if g is not done:
                if y._rule is not None:
                    node.grad = seen
                    push(node)
                    node = y
                    continue
                if g is not zero:
                    kept[y] = g
                y.grad = done
            emit(node)  # NOTE: speed: both operands listed already: listed now, not pushed and popped
            node.grad = done
            break
    return order


def _pass(order: list[Any]) -> None:
    """The chain rule at each operation node, from the output back: each operand's ``grad`` += ∂v/∂u · v.grad."""
    add, mul, weighted_sum, relu, total = ops.ADD, ops.MUL, ops.WEIGHTED_SUM, ops.RELU, ops.SUM
    for node in reversed(order):
        g = node.grad
        rule = node._rule
        x = node._a
        y = node._b
        if rule is add:  # local derivatives (1, 1)
            x.grad += g
            y.grad += g
            continue
        if rule is mul:  # local derivatives (y, x)
            x.grad += y.data * g
            y.grad += x.data * g
            continue
        prev: tuple[Any, ...] = x if y is None else (x, y)
        if rule is weighted_sum:  # local derivatives (a_1, ..., a_n, w_1, ..., w_n[, 1])
            n = len(prev) >> 1
            for w, a in zip(prev, prev[n : n + n]):  # zip stops at w_n
                w.grad += a.data * g
                a.grad += w.data * g
            if len(prev) & 1:
                prev[-1].grad += g
        elif rule is relu:  # local derivative 0 if x <= 0 else 1 (NaN passes, as the row's)
            (x,) = prev
            x.grad += (0.0 if x.data <= 0 else 1.0) * g
        elif rule is total:  # local derivatives (1, ..., 1)
            for x in prev:
                x.grad += g
        elif rule.__class__ is Custom:
            for u, added in zip(*run_closure(node, g)):
                u.grad += added
        else:
            local = rule.partials(node.data, *[p.data for p in prev], *rule.params)
            for i, child in enumerate(prev):
                child.grad += local[i] * g


def _restore(root: Any, kept: dict, marked_only: bool) -> None:
    """Every ``grad`` below ``root`` back to its value before the pass (only those marked, if ``marked_only``)."""
    for node in topological_order(root):
        if not marked_only or node.grad is _SEEN or node.grad is _DONE:
            node.grad = kept.get(node, ZERO)


def backward_values(order: list[Any], seed: Any) -> None:
    """Backward that builds the gradients as Values (``create_graph=True``).

    Raises:
        TypeError: An operation of the graph is defined by a closure, which adds
            floats (nothing is changed): its derivative cannot be differentiated.
    """
    custom = next((v for v in order if v._rule.__class__ is Custom), None)
    if custom is not None:
        raise TypeError(
            f"backward(create_graph=True) needs every operation's local derivatives as "
            f"formulas; {custom.op!r} is defined by a closure (_backward), which adds floats. "
            "Add it to the table with autograd.ops.register(...) to differentiate through it twice."
        )
    upstream: dict[Any, Any] = {order[-1]: seed}
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


def _is_zero(x: Any) -> bool:
    """True for the float 0.0 a gradient starts at (not for a Value, nor NaN)."""
    return isinstance(x, (int, float)) and x == 0.0 and not math.isnan(x)
