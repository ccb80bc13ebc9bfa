"""The bridge to PyTorch, for users who outgrow a scalar engine.

``to_torch(mlp)`` builds a ``torch.nn.Sequential`` of ``Linear`` layers and
activation modules in float64 with the same weights: ``Linear.weight[j, k]``
is ``w_jk`` (row = receiving neuron j, column = sending neuron k, the
curriculum's W^l) and ``Linear.bias[j]`` is ``b_j``. On the same inputs the
two models give the same outputs and, after the same loss, the same
gradients. ``from_torch(sequential)`` goes back. Both need the ``torch`` extra.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from nn.activations import ACTIVATIONS, Activation, registered
from nn.layers import MLP


def _torch() -> Any:
    try:
        import torch
    except ImportError as error:
        raise ImportError("the PyTorch bridge needs PyTorch: pip install 'chainrule[torch]'") from error
    return torch


def to_torch(model: MLP) -> Any:
    """A ``torch.nn.Sequential`` in float64 computing the same function as ``model``.

    Each layer becomes ``Linear(n_{l-1}, n_l)`` followed by its own activation
    module (so hidden layers with different activations stay different), the ``torch_module`` of its record in :data:`nn.activations.ACTIVATIONS`
    (none for a linear layer; ``LeakyReLU(0.01)`` with the record's slope, ``SiLU`` for swish).

    Raises:
        ImportError: PyTorch is missing (the ``torch`` extra).
        TypeError: ``model`` is not an ``MLP``.
        ValueError: An activation is a callable rather than a named one.
    """
    torch = _torch()
    if not isinstance(model, MLP):
        raise TypeError(f"to_torch converts an MLP, got {type(model).__name__}")
    modules = []
    weights, biases = model.weights(), model.biases()
    for i, layer in enumerate(model.layers):
        activation = registered(layer.neurons[0].f)
        if activation is None:
            raise ValueError(
                f"layers.{i}: an activation given as a function ({layer.activation!r}) has no "
                "PyTorch equivalent; use a named activation"
            )
        linear = torch.nn.Linear(layer.nin, layer.nout, bias=model.bias, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(weights[i], dtype=torch.float64))
            if biases is not None:
                linear.bias.copy_(torch.tensor(biases[i], dtype=torch.float64))
        modules.append(linear)
        if activation.torch_module is not None:
            modules.append(_torch_activation(activation, torch))
    return torch.nn.Sequential(*modules)


def _torch_activation(activation: Activation, torch: Any) -> Any:
    """The ``torch.nn`` module of a registered activation (with its slope, if it has one)."""
    cls = getattr(torch.nn, str(activation.torch_module))
    return cls() if activation.slope is None else cls(activation.slope)


def _activation_name(module: Any, torch: Any) -> str:
    """The registered activation a ``torch.nn`` module computes (``Identity``: linear)."""
    if type(module) is torch.nn.Identity:
        return "linear"
    for activation in ACTIVATIONS.values():
        if activation.torch_module is not None and type(module) is getattr(torch.nn, activation.torch_module):
            if activation.slope is not None and module.negative_slope != activation.slope:
                raise ValueError(
                    f"{activation.torch_module}(negative_slope={module.negative_slope}) is not supported: "
                    f"chainrule's named {activation.name} has slope {activation.slope}"
                )
            return activation.name
    modules = [a.torch_module for a in ACTIVATIONS.values() if a.torch_module is not None]
    supported = ", ".join(["Linear", "Identity", *modules])
    raise ValueError(f"from_torch: unsupported module {module!r}; expected only {supported}")


def from_torch(sequential: Any) -> MLP:
    """The ``MLP`` with the weights of a ``torch.nn.Sequential`` of ``Linear`` and activations.

    The Sequential must be ``Linear`` layers, each followed by at most one
    activation module (``ReLU``, ``LeakyReLU(0.01)``, ``Tanh``, ``Sigmoid``,
    ``SiLU``, ``Identity``: the ``torch_module`` of each record of
    :data:`nn.activations.ACTIVATIONS`), all layers with or all without biases.
    Hidden layers may have different activations: the model's ``activation``
    is then the list of their names.

    Raises:
        ImportError: PyTorch is missing.
        ValueError: A structure an ``MLP`` cannot represent.
    """
    torch = _torch()
    if not isinstance(sequential, torch.nn.Sequential):
        raise TypeError(f"from_torch expects a torch.nn.Sequential, got {type(sequential).__name__}")
    linears: list[Any] = []
    activations: list[str] = []
    for module in sequential:
        if isinstance(module, torch.nn.Linear):
            if linears and len(activations) < len(linears):
                activations.append("linear")
            linears.append(module)
        elif not linears or len(activations) == len(linears):
            raise ValueError(f"from_torch: {module!r} must follow a Linear layer (one activation per layer)")
        else:
            activations.append(_activation_name(module, torch))
    if not linears:
        raise ValueError("from_torch: the Sequential has no Linear layer")
    if len(activations) < len(linears):
        activations.append("linear")
    with_bias = {linear.bias is not None for linear in linears}
    if len(with_bias) > 1:
        raise ValueError("from_torch: either every Linear layer has a bias or none has")
    for before, after in pairwise(linears):
        if after.in_features != before.out_features:
            raise ValueError(
                f"from_torch: a Linear with {before.out_features} outputs feeds one with {after.in_features} inputs"
            )
    return MLP.from_weights(
        [linear.weight.detach().double() for linear in linears],
        [linear.bias.detach().double() for linear in linears] if with_bias.pop() else None,
        activations[:-1] if len(linears) > 1 else "relu",
        activations[-1],
    )
