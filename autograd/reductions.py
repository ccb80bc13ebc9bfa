r"""Operations on many Values at once, each ONE node of the graph.

``sum(xs)`` is Σ_i x_i and ``weighted_sum(w, a, b)`` is a neuron's
z = Σ_k w_k a_k + b: one node with all the terms as operands, instead of a
chain of ``+`` and ``*`` nodes. The values and gradients are those of the
chain micrograd writes (the same left fold, so the same floats): Python's
``sum(xs)``, which starts from 0, and micrograd's neuron
``sum((wi*xi for wi, xi in zip(w, x)), b)``, which starts from the bias; the graph is
smaller, faster to build and to backpropagate through, and a drawing shows
the neuron's sum as one ``Σ`` node.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import reduce
from operator import add, attrgetter, mul

from autograd import ops
from autograd.value import Number, Value, apply, lift, node


def sum(values: Iterable[Value | Number]) -> Value:  # the name of torch.sum
    r"""Σ_i x_i as one node; ∂/∂x_i = 1.

    Args:
        values: At least one Value or number (numbers become constant leaves).

    Returns:
        The sum (a Value even for one term: the one-operand ``sum`` node).
    """
    operands = tuple(_operand(x, "sum", i) for i, x in enumerate(values))
    if not operands:
        raise ValueError("sum needs at least one value, got none")
    return apply(ops.SUM, *operands)


def weighted_sum(w: Sequence[Value | Number], a: Sequence[Value | Number], b: Value | Number | None = None) -> Value:
    r"""A neuron's weighted input z = Σ_k w_k a_k + b as one node (``Σ`` in drawings).

    ∂z/∂w_k = a_k, ∂z/∂a_k = w_k, ∂z/∂b = 1. The operands are stored as
    (w_1, ..., w_n, a_1, ..., a_n, b): ``z.parents[k]`` is w_k and
    ``z.parents[n + k]`` its input a_k.

    Args:
        w: The weights w_1 .. w_n.
        a: The inputs a_1 .. a_n (the previous layer's activations).
        b: The bias, or None for z = Σ_k w_k a_k.
    """
    if len(w) != len(a):
        raise ValueError(f"weighted_sum: {len(w)} weights for {len(a)} inputs; give one weight per input")
    if not w:
        raise ValueError("weighted_sum needs at least one weight and input, got none")
    operands = (*w, *a) if b is None else (*w, *a, b)
    try:
        # NOTE: speed: the row's forward rule inlined, in C (a test checks it against the row).
        start = 0.0 if b is None else b.data  # type: ignore[union-attr]
        z = reduce(add, map(mul, map(_data, w), map(_data, a)), start)
    except AttributeError:  # numbers among the operands: lift them to constant leaves
        values = tuple(_operand(x, "weighted_sum operand", i) for i, x in enumerate(operands))
        return apply(ops.WEIGHTED_SUM, *values)
    return node(z, operands, ops.WEIGHTED_SUM)


_data = attrgetter("data")


def _operand(x: object, what: str, i: int) -> Value:
    value = lift(x)
    if value is None:
        raise TypeError(f"{what} {i} must be a Value or a real number, got {type(x).__name__}: {x!r}")
    return value


__all__ = ["sum", "weighted_sum"]
