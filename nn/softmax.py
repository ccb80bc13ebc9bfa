r"""Softmax, a function of the whole layer: its record :data:`SOFTMAX`, and :func:`array_activation`.

    a_j = e^{z_j} / Σ_k e^{z_k},        ∂a_j/∂z_k = a_j (δ_jk − a_k).

A neuron cannot apply softmax (it needs the whole layer's z), so it is not in
:data:`nn.activations.ACTIVATIONS`, which the MLP, its serialization, the
PyTorch bridge and the command line's ``--activation`` read. It is an
:class:`nn.activations.Activation` with ``elementwise=False`` in
:data:`LAYERWISE`, for the output layer of the equations (:mod:`nn.analytic`)
and the worksheets, over a model whose output layer is linear (its z^L are
the logits): see :mod:`nn.activations` for the decision, and
:mod:`nn.costs` for its pair with cross-entropy.

:func:`array_activation` finds an activation of either kind by name: what the
equations and worksheets use for the activations of their layers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import autograd
from autograd import Value
from nn.activations import ACTIVATIONS, Activation, lookup


def softmax_values(z: Sequence[Value]) -> list[Value]:
    r"""a_j = e^{z_j} / Σ_k e^{z_k} on a layer's Values (the engine differentiates it).

    # NOTE: numerical stability: e^{z_j − M} / Σ_k e^{z_k − M} with M = max_k z_k
    (a constant): no exponent is positive, nothing overflows, the value and the
    gradient are unchanged.
    """
    shift = max(z_k.data for z_k in z)
    e = [(z_k - shift).exp() for z_k in z]
    total = autograd.sum(e)
    return [e_j / total for e_j in e]


def _softmax_array(z: Any, xp: Any) -> Any:
    r"""Softmax of each column of z (n, m), shifted by the column's largest z (no overflow)."""
    e = xp.exp(z - xp.max(z, axis=0, keepdims=True))
    return e / xp.sum(e, axis=0, keepdims=True)


def _softmax_jacobian_array(z: Any, xp: Any) -> Any:
    r"""J[i, j, k] = ∂a_j/∂z_k = a_j (δ_jk − a_k) of column i: shape (m, n, n)."""
    a = _softmax_array(z, xp).T  # (m, n): row i is example i's a
    return a[:, :, None] * (xp.eye(a.shape[1])[None, :, :] - a[:, None, :])


def _layerwise_refusal(name: str, what: str) -> Callable[..., Any]:
    def refuse(*args: Any) -> Any:
        raise ValueError(
            f"{name} is a function of the whole layer, not of one z: it has no {what}; "
            f"use f_layer (Values) or f_array and jacobian_array (arrays), in the output layer only"
        )

    return refuse


def _typeset_softmax(t: Any, z: tuple, zs: Sequence[tuple] | None = None) -> tuple:
    """exp(z_j) / (exp(z_1) + ... + exp(z_n)), or / Σ_k exp(z_k) without ``zs``."""
    if zs is None:
        den = (t.Op("Σ_k"), t.Call("exp", (t.Sym("z", "", "k"),)))
    else:
        den = tuple(node for k, z_k in enumerate(zs) for node in ((t.Op("+"),) if k else ()) + (t.Call("exp", z_k),))
    return (t.Frac((t.Call("exp", z),), den),)


def _typeset_softmax_jacobian(t: Any, z: tuple, a: tuple) -> tuple:
    """∂a_j/∂z_k = a_j (δ_jk − a_k)."""
    return (*a, t.Op("("), t.Sym("δ", "", "jk"), t.Op("−"), t.Sym("a", "", "k"), t.Op(")"))


SOFTMAX = Activation(
    "softmax", _layerwise_refusal("softmax", "f of one Value"),
    _softmax_array, _layerwise_refusal("softmax", "f′ per neuron (its derivative is the Jacobian)"),
    "Softmax", None, "softmax", _typeset_softmax, _typeset_softmax_jacobian, (0.0, 1.0),
    elementwise=False, jacobian_array=_softmax_jacobian_array, f_layer=softmax_values,
)
"""Softmax over a layer (see the module docstring): only an output layer, of the equations and worksheets."""

LAYERWISE: dict[str, Activation] = {SOFTMAX.name: SOFTMAX}
"""The functions of a whole layer, by name: softmax. Not in :data:`ACTIVATIONS` (a neuron cannot apply them)."""


def array_activation(name: str) -> Activation:
    """The record of ``name`` for the equations on arrays: an elementwise one or a layer-wise one (softmax).

    Raises:
        ValueError: An unknown name (the message lists both kinds).
    """
    key = name.lower() if isinstance(name, str) else name
    if key in LAYERWISE:
        return LAYERWISE[key]
    try:
        return lookup(name)
    except ValueError:
        raise ValueError(
            f"unknown activation {name!r}; expected one of: {', '.join([*ACTIVATIONS, *LAYERWISE])}"
        ) from None
