r"""Drawing the graph of a model: its neurons and layers as groups of nodes.

The renderer (:mod:`autograd.render`) draws any graph and knows nothing of
models; this module tells it where the neurons are. Neuron ``j`` of layer
``l`` computes

    z^l_j = Σ_k w^l_{jk} a^{l-1}_k + b^l_j,        a^l_j = f(z^l_j),

and keeps its latest ``z`` and ``a``. Its group is every node on a path from
one of its parameters (``w^l_{jk}``, ``b^l_j``) to its ``a``: the weights, the
products, the partial sums, ``z`` and ``a``, but not the inputs
``a^{l-1}_k``, which belong to the layer before. Collapsed, the group is one
box showing ``z``, ``a = f(z)`` and their gradients; the gradient of ``z`` is
the neuron's error δ^l_j = ∂C/∂z^l_j of the four equations of backpropagation.
Each module holding neurons (a layer) is a cluster around them, named as the
module is named in the model (``layers.0``, ``layers.0.neurons.2``).

    from nn.graph_view import draw_model
    loss.backward()
    draw_model(model, loss, collapse=True, edge_labels=True)   # a graphviz.Digraph
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import graphviz

from autograd import Value
from autograd.groups import NodeGroup, SummaryRow
from autograd.render import draw_dot
from nn.layers import Neuron
from nn.module import Module


def _summary(neuron: Neuron, z: Value, a: Value) -> tuple[SummaryRow, ...]:
    """``z`` and ``a = f(z)`` with the symbol of f's node; one row for a linear neuron."""
    if a is z:
        return (SummaryRow("z = a (linear)", z),)
    symbol = a.op if a.parents == (z,) else neuron.activation
    return (SummaryRow("z", z), SummaryRow(f"a = {symbol}(z)", a))


def _neuron_group(neuron: Neuron, z: Value, a: Value, name: str, parent: str | None) -> NodeGroup:
    return NodeGroup(
        name=name,
        output=a,
        sources=frozenset(p for _, p in neuron.own_parameters()),
        parent=parent,
        summary=_summary(neuron, z, a),
    )


def neuron_groups(model: Module) -> list[NodeGroup]:
    r"""One group per neuron that has been called, inside one group per module holding it.

    Args:
        model: A :class:`~nn.module.Module` (an ``MLP``, a ``Layer``, a
            ``Neuron``, or a module of your own holding them).

    Returns:
        The groups for :func:`autograd.render.draw_dot` (``groups=``): a
        container per module with children (``layers.0``), a group with a
        summary per neuron (``layers.0.neurons.2``: z and a). A lone neuron
        is the group ``neuron``. Neurons never called are left out.

    Raises:
        TypeError: ``model`` is not a Module.
    """
    if not isinstance(model, Module):
        raise TypeError(f"neuron_groups: model must be an nn Module, got {type(model).__name__}")
    groups: list[NodeGroup] = []
    stack: list[tuple[Module, str | None]] = [(model, None)]
    while stack:
        module, parent = stack.pop()
        name = module.name.rstrip(".") or type(module).__name__.lower()
        if isinstance(module, Neuron):
            if module.z is not None and module.a is not None:
                groups.append(_neuron_group(module, module.z, module.a, name, parent))
            continue
        inner = parent
        if module is not model:
            groups.append(NodeGroup(name=name, parent=parent))
            inner = name
        stack.extend((child, inner) for _, child in reversed(module.named_children()))
    return groups


def draw_model(
    model: Module,
    root: Value,
    *,
    groups: Iterable[NodeGroup] | None = None,
    **draw_options: Any,
) -> graphviz.Digraph:
    r"""The graph of ``root`` (an output or a loss of ``model``) with its neurons grouped.

    The model's parameters are coloured as parameters with ``color_by_role``.

    Args:
        model: The model whose latest call made ``root``.
        root: The value to draw from.
        groups: Groups to draw instead of :func:`neuron_groups` of ``model``.
        **draw_options: Passed to :func:`autograd.render.draw_dot`
            (``collapse=True``, ``edge_labels=True``, ``options=``, ...).

    Returns:
        The ``graphviz.Digraph``.
    """
    chosen = neuron_groups(model) if groups is None else list(groups)
    return draw_dot(root, groups=chosen, parameters=model.parameters(), **draw_options)


__all__ = ["draw_model", "neuron_groups"]
