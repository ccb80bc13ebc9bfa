r"""Activation functions f(z) of a neuron, by name.

Each is a function of one ``Value``; the engine knows its derivative:

========== =============================== =========================================
name       f(z)                            f'(z)
========== =============================== =========================================
linear     z                               1
relu       max(0, z)                       1 if z > 0 else 0 (0 at z = 0, as PyTorch)
leaky_relu z if z > 0 else 0.01 z          1 if z > 0 else 0.01
tanh       tanh z                          1 - tanh^2 z
sigmoid    1 / (1 + e^{-z})                f(z) (1 - f(z))
swish      z σ(z)  (also called SiLU)      σ(z) + z σ(z)(1 - σ(z))
========== =============================== =========================================

A model may also be given any callable from ``Value`` to ``Value``
(``lambda z: z.leaky_relu(0.2)``); such a model cannot be saved to JSON or
converted to PyTorch, which need a name.
"""

from __future__ import annotations

from collections.abc import Callable

from autograd import Value

Activation = Callable[[Value], Value]
ActivationLike = str | Activation


def linear(z: Value) -> Value:
    r"""The identity f(z) = z, f'(z) = 1: returns ``z`` itself (no new node)."""
    return z


def relu(z: Value) -> Value:
    r"""ReLU f(z) = max(0, z)."""
    return z.relu()


def leaky_relu(z: Value) -> Value:
    r"""Leaky ReLU f(z) = z if z > 0 else 0.01 z."""
    return z.leaky_relu(0.01)


def tanh(z: Value) -> Value:
    r"""f(z) = tanh z."""
    return z.tanh()


def sigmoid(z: Value) -> Value:
    r"""The logistic function f(z) = σ(z) = 1 / (1 + e^{-z})."""
    return z.sigmoid()


def swish(z: Value) -> Value:
    r"""Swish / SiLU f(z) = z σ(z)."""
    return z.swish()


ACTIVATIONS: dict[str, Activation] = {
    "linear": linear,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "tanh": tanh,
    "sigmoid": sigmoid,
    "swish": swish,
}
"""Activation functions by name (``silu`` is accepted as another name for ``swish``)."""

_ALIASES = {"silu": "swish", "identity": "linear"}


def resolve(activation: ActivationLike) -> tuple[str, Activation]:
    """The ``(name, function)`` of an activation given by name or as a callable.

    Args:
        activation: A name from :data:`ACTIVATIONS` (or ``"silu"``, ``"identity"``),
            or a callable from ``Value`` to ``Value``.

    Returns:
        The canonical name (for a callable: its ``__name__``) and the function.

    Raises:
        ValueError: An unknown name.
        TypeError: Neither a string nor a callable.
    """
    if isinstance(activation, str):
        name = _ALIASES.get(activation.lower(), activation.lower())
        if name not in ACTIVATIONS:
            known = ", ".join(ACTIVATIONS)
            raise ValueError(f"unknown activation {activation!r}; expected one of: {known}")
        return name, ACTIVATIONS[name]
    if callable(activation):
        return getattr(activation, "__name__", type(activation).__name__), activation
    raise TypeError(
        "activation must be a name (str) or a callable Value -> Value, "
        f"got {type(activation).__name__}: {activation!r}"
    )


def is_named(activation: Activation) -> bool:
    """True when ``activation`` is one of the named functions of :data:`ACTIVATIONS`."""
    return any(activation is f for f in ACTIVATIONS.values())
