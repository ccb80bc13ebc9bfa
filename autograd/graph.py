"""Traversal of a computation graph: the one walker every other module uses.

A node is anything with a ``_prev`` tuple of operands (``autograd.Value``).
The walk is iterative, so graphs of any depth (a chain a million nodes long)
work at Python's default recursion limit, and deterministic: operands are
visited in argument order, so the same graph always gives the same order.
"""

from __future__ import annotations

from typing import Any


def topological_order(root: Any) -> list[Any]:
    """Every node of ``root``'s graph once, each after all of its operands.

    The root comes last; reversed, the list is the order in which backward
    visits the nodes. A node reached by several paths (``x * x``, a reused
    subexpression) appears once.

    Args:
        root: The output node.

    Returns:
        The nodes in topological order (operands before results).
    """
    order: list[Any] = []
    visited = {root}
    stack = [(root, iter(root._prev))]
    while stack:
        node, operands = stack[-1]
        for child in operands:
            if child not in visited:
                visited.add(child)
                stack.append((child, iter(child._prev)))
                break
        else:
            stack.pop()
            order.append(node)
    return order
