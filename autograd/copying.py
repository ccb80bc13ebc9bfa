r"""Copying and pickling a graph without recursion: the graph as a flat table.

``copy.deepcopy`` and ``pickle`` of a ``Value`` take the whole graph below it.
Walking it recursively, as they would by default, fails near depth 1,000;
instead :func:`flatten` lists the nodes in topological order, each row naming
its operands by their index in the list, and :func:`rebuild` makes the nodes
again in that order. A gradient that is itself a Value (``create_graph=True``)
is not kept: it would drag a second graph along.

This module registers :func:`reduce_value` with :mod:`copyreg` for ``Value``
when it is imported (``import autograd`` imports it): both ``pickle`` and
``copy.deepcopy`` consult that registry, so ``Value`` itself needs no import of
this module (imports run one way: this module imports ``autograd.value``).
An operation defined by a closure (:mod:`autograd.custom`) cannot be copied:
the closure refers to the original nodes.
"""

from __future__ import annotations

import copyreg

from autograd import ops
from autograd.graph import topological_order
from autograd.ops import Op
from autograd.value import Value, enable_grad, node


class Rows(list):
    """The rows of :func:`flatten`: numbers, strings and tuples of them, never changed after.

    ``copy.deepcopy`` copies a reducer's arguments before rebuilding; copying
    these would cost as much as the rebuild itself, so they are their own copy.
    """

    def __deepcopy__(self, memo: dict) -> Rows:
        return self


def reduce_value(value: Value) -> tuple:
    """How ``pickle`` and ``copy.deepcopy`` take a Value: :func:`rebuild` of :func:`flatten`."""
    return (rebuild, (Rows(flatten(value)),))


def flatten(root: Value) -> list[tuple]:
    """The graph below ``root`` as rows (data, grad, label, operation name, constants, operand indices)."""
    order = topological_order(root)
    index = {node: i for i, node in enumerate(order)}
    for v in order:
        if v.rule is not None and not isinstance(v.rule, Op):
            raise TypeError(
                f"cannot copy or pickle a graph with the operation {v.op!r} defined by a closure "
                "(_backward): the closure refers to the original nodes. Add the operation to the "
                "table with autograd.ops.register(...) instead."
            )
    return [
        (
            node.data,
            node.grad if isinstance(node.grad, float) else 0.0,
            node.label,
            None if node.rule is None else node.rule.name,
            () if node.rule is None else node.rule.params,
            tuple(index[p] for p in node.parents),
        )
        for node in order
    ]


def rebuild(rows: list[tuple]) -> Value:
    """The inverse of :func:`flatten`: the graph's nodes, rebuilt in order; the root is last."""
    nodes: list[Value] = []
    with enable_grad():  # a copy made inside no_grad() keeps its graph too
        for data, grad, label, name, params, operands in rows:
            rule = None
            if name is not None:
                rule = ops.OPS.get(name)
                if rule is None:
                    raise ValueError(
                        f"the graph uses the operation {name!r}, which is not in the table of "
                        "operations: register it (autograd.ops.register) before unpickling"
                    )
                if params:
                    rule = rule.bind(*params)
            copy = node(data, tuple(nodes[i] for i in operands), rule)
            copy.grad, copy.label = grad, label
            nodes.append(copy)
    return nodes[-1]


copyreg.pickle(Value, reduce_value)
