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
Each module holding neurons (a layer) is a cluster around them.

The drawing speaks the notation of the notes, counting from 1 where Python
counts from 0: the cluster of ``layers.0`` is titled ``layer 1``, the box of
``layers.0.neurons.2`` is ``neuron 3`` of it, with rows ``z¹₃`` (its gradient
captioned ``δ¹₃``) and ``a¹₃ = σ(z)``; the inputs ``x.0 … x.{n-1}`` are shown
as ``x₁ … xₙ``. The groups keep the module names (``layers.0.neurons.2``), so
code can find them; only what is drawn is renamed.

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

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SYMBOLS = {"sigmoid": "σ"}
"""Activations drawn with the notes' symbol rather than their name."""


def indexed(symbol: str, layer: int | None, neuron: int | None) -> str:
    """``symbol`` with the layer as a superscript and the neuron as a subscript: ``z¹₃``."""
    up = "" if layer is None else str(layer).translate(_SUPERSCRIPT)
    down = "" if neuron is None else str(neuron).translate(_SUBSCRIPT)
    return symbol + up + down


def _counted(name: str, kind: str) -> int | None:
    """l or j counted from 1 for a module named ``...<kind>.<k>`` (k counted from 0), else None."""
    parts = name.split(".")
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == kind and parts[i + 1].isdigit():
            return int(parts[i + 1]) + 1
    return None


def _summary(neuron: Neuron, z: Value, a: Value, name: str) -> tuple[SummaryRow, ...]:
    """``z^l_j`` with its gradient δ^l_j, and ``a^l_j = f(z)``; one row for a linear neuron."""
    l, j = _counted(name, "layers"), _counted(name, "neurons")
    delta = indexed("δ", l, j) + " = grad"
    if a is z:
        return (SummaryRow(indexed("z", l, j) + " = a (linear)", z, delta),)
    symbol = a.op if a.parents == (z,) else neuron.activation
    symbol = _SYMBOLS.get(symbol, symbol)
    return (SummaryRow(indexed("z", l, j), z, delta), SummaryRow(f"{indexed('a', l, j)} = {symbol}(z)", a))


def _neuron_group(neuron: Neuron, z: Value, a: Value, name: str, parent: str | None) -> NodeGroup:
    j = _counted(name, "neurons")
    return NodeGroup(
        name=name,
        output=a,
        sources=frozenset(p for _, p in neuron.own_parameters()),
        parent=parent,
        title=None if j is None else f"neuron {j}",
        summary=_summary(neuron, z, a, name),
    )


def _container_title(name: str) -> str | None:
    """``layer l`` for a module named ``...layers.<l-1>``; None (its name) for any other."""
    l = _counted(name, "layers")
    return f"layer {l}" if l is not None and name.split(".")[-2] == "layers" else None


def input_labels(model: Module) -> dict[Value, str]:
    """The model's latest inputs (``x.0``, ``x.1``, ...) as the notes name them, ``x₁ … xₙ``."""
    inputs = getattr(model, "inputs", None) or []
    return {
        x: indexed("x", None, k) for k, x in enumerate(inputs, start=1)
        if isinstance(x, Value) and x.label == f"x.{k - 1}"
    }


def _subscript(*indices: int) -> str:
    """``j k`` as the notes write it, ``₁₂`` (``₁₂,₃`` once an index has two digits)."""
    parts = [str(i).translate(_SUBSCRIPT) for i in indices]
    return ("," if any(i > 9 for i in indices) else "").join(parts)


def parameter_labels(model: Module) -> dict[Value, str]:
    """Each weight and bias of ``model``'s neurons as the notes name it: ``w²₁₂`` (from neuron 2
    of layer 1 to neuron 1 of layer 2) and ``b²₁``; each called neuron's z and a as ``z²₁``, ``a²₁``.

    Python counts the modules from 0 (``layers.1.neurons.0.w.1``); the labels count from 1.
    """
    labels: dict[Value, str] = {}
    for name, parameter in model.named_parameters():
        l, j = _counted(name, "layers"), _counted(name, "neurons")
        if l is None or j is None:
            continue
        up = str(l).translate(_SUPERSCRIPT)
        kind, _, k = name.rpartition(".")
        if k.isdigit() and kind.endswith(".w"):
            labels[parameter] = "w" + up + _subscript(j, int(k) + 1)
        elif k == "b":
            labels[parameter] = "b" + up + _subscript(j)
    stack: list[Module] = [model]
    while stack:
        module = stack.pop()
        if isinstance(module, Neuron) and module.z is not None and module.a is not None:
            l, j = _counted(module.name.rstrip("."), "layers"), _counted(module.name.rstrip("."), "neurons")
            labels[module.z] = indexed("z", l, j)
            if module.a is not module.z:
                labels[module.a] = indexed("a", l, j)
        stack.extend(child for _, child in module.named_children())
    return labels


def neuron_groups(model: Module) -> list[NodeGroup]:
    r"""One group per neuron that has been called, inside one group per module holding it.

    Args:
        model: A :class:`~nn.module.Module` (an ``MLP``, a ``Layer``, a
            ``Neuron``, or a module of your own holding them).

    Returns:
        The groups for :func:`autograd.render.draw_dot` (``groups=``): a
        container per module with children (``layers.0``, titled ``layer 1``),
        a group with a summary per neuron (``layers.0.neurons.2``, titled
        ``neuron 3``: rows z¹₃ with δ¹₃ its gradient, and a¹₃). A lone neuron
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
            groups.append(NodeGroup(name=name, parent=parent, title=_container_title(name)))
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

    The model's parameters are coloured as parameters with ``color_by_role``;
    its inputs are shown as ``x₁ … xₙ``, its weights and biases as ``w^l_jk`` and
    ``b^l_j``, each neuron's z and a as ``z^l_j`` and ``a^l_j``, counted from 1
    (see the module docstring).

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
    labels = {**input_labels(model), **parameter_labels(model), **draw_options.pop("labels", {})}
    return draw_dot(root, groups=chosen, parameters=model.parameters(), labels=labels, **draw_options)


__all__ = ["draw_model", "indexed", "input_labels", "neuron_groups", "parameter_labels"]
