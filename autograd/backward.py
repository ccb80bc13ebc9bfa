r"""The backward pass: the chain rule applied node by node, in reverse topological order.

For each node, from the output back to the inputs, the gradient of the output
with respect to the node is complete when the node is reached (every node that
uses it came earlier), and is passed on to each operand ``u`` of the node
``v`` as

    dC/du += (∂v/∂u) · dC/dv,

with ∂v/∂u the local derivative from the node's row of the table of operations,
or, for an operation the learner defined by a closure (:mod:`autograd.custom`),
what that closure adds.
:meth:`autograd.Value.backward` sorts the graph (:func:`autograd.graph.topological_order`)
and calls one of the two loops here.
"""

from __future__ import annotations

import math
from typing import Any

from autograd import ops
from autograd.custom import Custom, run_closure


def backward_floats(order: list[Any], seed: float) -> None:
    """First-order backward: local derivatives and gradients as floats.

    ``upstream`` holds each node's gradient for this pass until the node is
    reached (then it is final: every consumer came earlier). ``+`` and ``*``,
    most of any graph, and the n-ary sums (a neuron's Σ, a loss's sum) are
    unrolled from their rows in the table of operations (a test checks them
    against the rows).

    Two loops stay, this one and :func:`backward_values`, because one loop for
    both made every first-order backward 3% slower (0.298 against 0.288 µs per
    node on a million-node graph), the cost of a branch on every node.
    """
    upstream: dict[Any, float] = {order[-1]: seed}
    get = upstream.get
    add, mul, weighted_sum, total = ops.ADD, ops.MUL, ops.WEIGHTED_SUM, ops.SUM
    for node in reversed(order):
        g = upstream.pop(node)
        node.grad += g
        rule = node._rule
        if rule is None:
            continue
        prev = node._prev
        if rule is add:  # local derivatives (1, 1)
            x, y = prev
            upstream[x] = get(x, 0.0) + g
            upstream[y] = get(y, 0.0) + g
        elif rule is mul:  # local derivatives (y, x)
            x, y = prev
            upstream[x] = get(x, 0.0) + y.data * g
            upstream[y] = get(y, 0.0) + x.data * g
        elif rule is weighted_sum:  # local derivatives (a_1, ..., a_n, w_1, ..., w_n[, 1])
            n = len(prev) >> 1
            for w, a in zip(prev[:n], prev[n : 2 * n]):
                upstream[w] = get(w, 0.0) + a.data * g
                upstream[a] = get(a, 0.0) + w.data * g
            if len(prev) & 1:
                b = prev[-1]
                upstream[b] = get(b, 0.0) + g
        elif rule is total:  # local derivatives (1, ..., 1)
            for x in prev:
                upstream[x] = get(x, 0.0) + g
        elif rule.__class__ is Custom:
            run_closure(node, g, upstream)
        else:
            local = rule.partials(node.data, *[p.data for p in prev], *rule.params)
            for i, child in enumerate(prev):
                upstream[child] = get(child, 0.0) + local[i] * g


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
