r"""Forward propagation and the four equations of backpropagation, vectorized in NumPy.

Notation and conventions (the curriculum's, used throughout chainrule):

* Layers l = 1..L; layer 0 is the input. ``W^l`` has shape (n_l, n_{l-1}):
  row j = receiving neuron, column k = sending neuron, so ``W[j, k]`` is
  w^l_jk, the weight from neuron k of layer l-1 to neuron j of layer l.
  ``b^l`` has shape (n_l, 1).
* A batch has ONE EXAMPLE PER COLUMN: ``X`` is (n_0, m), ``Y`` is (n_L, m),
  ``Z^l = W^l A^{l-1} + b^l`` is (n_l, m), ``b^l`` broadcast across the
  columns; ``A^l = f_l(Z^l)`` and ``A^0 = X``.
* Python lists are 0-based: ``Ws[0]`` is W^1, ``Z[0]`` is Z^1, but ``A[0]``
  is A^0 = X, so ``A[l]`` is A^l and ``Z[l - 1]`` is Z^l.

The equations, for one example (δ^l = ∂C/∂z^l, the error of layer l):

    BP1  δ^L = ∇_a C ⊙ f'(z^L)
    BP2  δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ f'(z^l)
    BP3  ∂C/∂b^l_j = δ^l_j
    BP4  ∂C/∂w^l_jk = a^{l-1}_k δ^l_j

Over a batch (δ^l = ∂C/∂Z^l, one column per example, the batch's 1/m inside
it), BP3 sums the columns, ∂C/∂b^l = row sums of δ^l, shape (n_l, 1), and BP4
becomes a matrix product, ∂C/∂W^l = δ^l (A^{l-1})^T, shape (n_l, n_{l-1}).
This is the averaged-cost convention. Many course notes use the per-example
one instead, dZ^l = ∂ℓ/∂Z^l = m δ^l, with the 1/m applied in dW and db
(dW^l = (1/m) dZ^l (A^{l-1})^T): the same gradients of W and b, see
:mod:`nn.analytic.conventions`.

Costs (C over a batch of m examples, n_L outputs each) come from the cost
registry (:data:`nn.costs.COSTS`, the records with ``arrays``): C, ∇_A C and,
for a cost paired with its output activation (bce on a sigmoid), the pair's
simplified δ^L = (A^L - Y)/m, which BP1 then uses instead of ∇_A C ⊙ f'(Z^L).
The quadratic cost has the 1/(2m) of the derivations, the mean squared error
the libraries' 1/(m n_L) (PyTorch's ``MSELoss``): for one output the second
is twice the first, and so is every gradient.

f and f' of each layer come from the activation registry
(:data:`nn.activations.ACTIVATIONS`: ``f_array``, ``df_array``).

A softmax output layer (:data:`nn.softmax.SOFTMAX`, a function of the
whole layer) is the last entry of ``Network.activations``; the MLP itself has
a linear output (its z^L are the logits), as ``nn`` trains with softmax, and
:func:`network_for` puts the softmax on top, from the cost's record
(cross_entropy) or as asked (``output_activation="softmax"``). BP1 is then
the pair's δ^L = (A^L − Y)/m for cross-entropy, and for any other cost goes
through the softmax's Jacobian J_i (∂a_j/∂z_k = a_j (δ_jk − a_k)) one example
at a time: δ^L_i = J_iᵀ ∇_a C_i (J is symmetric, so also J_i ∇_a C_i).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn.activations import ACTIVATIONS, registered
from nn.costs import Cost, CostArrays, lookup_cost
from nn.layers import MLP
from nn.softmax import array_activation

Array = np.ndarray


def check_cost(cost: object) -> Cost:
    """The record of ``cost``, a cost with an array side, else a ValueError listing them."""
    return lookup_cost(cost, arrays=True)


def _arrays(cost: object) -> CostArrays:
    return check_cost(cost).on_arrays()


def cost_value(cost: str, A_L: Array, Y: Array) -> float:
    r"""C for the batch, (1/m) Σ_i ℓ_i (the cost's record: :data:`nn.costs.COSTS`)."""
    return _arrays(cost).value(A_L, Y, np)


def cost_gradient(cost: str, A_L: Array, Y: Array) -> Array:
    r"""∇_A C, the gradient of the batch cost with respect to the output activations A^L."""
    return _arrays(cost).gradient(A_L, Y, np)


# -- the network as matrices ----------------------------------------------------


@dataclass
class Network:
    r"""An MLP as matrices: ``Ws[l-1]`` = W^l (n_l, n_{l-1}), ``bs[l-1]`` = b^l (n_l, 1).

    Attributes:
        Ws: Weight matrices, w_jk from neuron k (layer l-1) to neuron j (layer l).
        bs: Bias columns (zeros for a model without biases).
        activations: The activation name of each layer l = 1..L (keys of
            :data:`nn.activations.ACTIVATIONS`).
        has_bias: Whether the model has biases (whose gradients are then reported).
    """

    Ws: list[Array]
    bs: list[Array]
    activations: list[str]
    has_bias: bool = True

    def __post_init__(self) -> None:
        for l, name in enumerate(self.activations[:-1], start=1):
            if not array_activation(name).elementwise:
                raise ValueError(
                    f"layer {l} has activation {name!r}, a function of the whole layer: "
                    "it is only an output layer (layer L)"
                )

    @classmethod
    def from_mlp(cls, model: MLP) -> Network:
        """The matrices of an ``nn.MLP``: ``W[j, k]`` = ``layers[l-1].neurons[j].w[k]``.

        Raises:
            TypeError: ``model`` is not an ``nn.MLP``.
            ValueError: A layer's activation is a callable, not a registered one.
        """
        if not isinstance(model, MLP):
            raise TypeError(f"expected an nn.MLP, got {type(model).__name__}")
        names = []
        for l, layer in enumerate(model.layers, start=1):
            record = registered(layer.neurons[0].f)
            if record is None:
                raise ValueError(
                    f"layer {l} has activation {layer.activation!r}, a function the analytic equations "
                    f"do not know; use a named one: {', '.join(ACTIVATIONS)}"
                )
            names.append(record.name)
        Ws = [np.array([[w.data for w in row] for row in layer.W]) for layer in model.layers]
        bs = [
            np.array([[0.0 if b is None else b.data] for b in layer.b]) for layer in model.layers
        ]
        return cls(Ws, bs, names, has_bias=model.bias)


@dataclass
class ForwardPass:
    r"""Every Z^l and A^l of one batch: ``Z[l-1]`` = Z^l, ``A[l]`` = A^l, ``A[0]`` = X."""

    Z: list[Array]
    A: list[Array]


@dataclass
class LayerGradients:
    r"""BP results for one layer l: δ^l (n_l, m), ∂C/∂W^l (n_l, n_{l-1}), ∂C/∂b^l (n_l, 1)."""

    delta: Array
    dW: Array
    db: Array


def forward(net: Network, X: Array) -> ForwardPass:
    r"""Forward propagation: Z^l = W^l A^{l-1} + b^l, A^l = f_l(Z^l), A^0 = X (columns = examples)."""
    Z: list[Array] = []
    A: list[Array] = [X]
    for W, b, name in zip(net.Ws, net.bs, net.activations):
        Z.append(W @ A[-1] + b)  # b (n_l, 1) broadcast across the m columns
        A.append(array_activation(name).f_array(Z[-1], np))
    return ForwardPass(Z, A)


def network_for(model: MLP, cost: str, output_activation: str | None = None) -> Network:
    r"""The model as the matrices the equations use with ``cost``, its output layer included.

    A layer-wise output (softmax) goes on top of the model's linear output
    layer, whose z^L are then the logits: the cost's (cross_entropy's
    ``arrays.output``) or ``output_activation``.

    Raises:
        ValueError: ``output_activation`` is not layer-wise, or the model's
            output layer is not linear under one; an output the cost cannot take.
    """
    record = check_cost(cost)
    net = Network.from_mlp(model)
    output = output_activation or record.on_arrays().output
    if output is not None:
        layer = array_activation(output)
        if layer.elementwise:
            raise ValueError(
                f"output_activation={output!r} is elementwise: give it to the MLP "
                "(output_activation is for a function of the whole layer, softmax)"
            )
        if net.activations[-1] != "linear":
            raise ValueError(
                f"a {layer.name} output goes over the logits z^L of a linear output layer, but the "
                f"model's output layer is {net.activations[-1]!r}: build it with output_activation='linear'"
            )
        net.activations[-1] = layer.name
    record.check_output(net.activations[-1])
    return net


def output_error(net: Network, fp: ForwardPass, Y: Array, cost: str) -> Array:
    r"""BP1: δ^L = ∇_A C ⊙ f_L'(Z^L), or the pair's simplified δ^L (sigmoid + bce, softmax +
    cross-entropy: (A^L - Y)/m); for a layer-wise output (softmax) with another cost,
    δ^L_i = J_iᵀ ∇_a C_i with the Jacobian J_i of example i."""
    record = check_cost(cost)
    arrays = _arrays(cost)
    A_L, Z_L, output = fp.A[-1], fp.Z[-1], net.activations[-1]
    if record.pairs_with(output) and arrays.paired_delta is not None:
        return arrays.paired_delta(A_L, Y, np) / A_L.shape[1]
    record.check_output(output)
    f = array_activation(output)
    gradient = arrays.gradient(A_L, Y, np)
    if f.elementwise or f.jacobian_array is None:
        return gradient * f.df_array(Z_L, np)
    J = f.jacobian_array(Z_L, np)  # J[i, j, k] = ∂a_j/∂z_k of example i
    return np.einsum("ijk,ji->ki", J, gradient)  # δ_{k,i} = Σ_j J[i, j, k] ∂C/∂a_{j,i}


def backpropagate(net: Network, X: Array, Y: Array, cost: str) -> tuple[ForwardPass, list[LayerGradients]]:
    r"""The backpropagation algorithm: forward pass, BP1, BP2 backwards, BP3 and BP4.

    Returns:
        The forward pass and, per layer l = 1..L (list index l-1), δ^l, ∂C/∂W^l, ∂C/∂b^l.
    """
    check_cost(cost)
    fp = forward(net, X)
    L = len(net.Ws)
    delta = output_error(net, fp, Y, cost)  # BP1
    grads: list[LayerGradients] = []
    for l in range(L, 0, -1):  # l is the curriculum's layer number
        nabla_w = delta @ fp.A[l - 1].T  # BP4: δ^l (A^{l-1})^T
        nabla_b = delta.sum(axis=1, keepdims=True)  # BP3: row sums of δ^l
        grads.append(LayerGradients(delta, nabla_w, nabla_b))
        if l > 1:
            f_prime = array_activation(net.activations[l - 2]).df_array(fp.Z[l - 2], np)
            delta = (net.Ws[l - 1].T @ delta) * f_prime  # BP2: ((W^l)^T δ^l) ⊙ f'(Z^{l-1})
    grads.reverse()
    return fp, grads


def per_example_weight_gradients(fp: ForwardPass, grads: list[LayerGradients]) -> list[Array]:
    r"""Σ_i δ^l_i (a^{l-1}_i)^T: BP4 one example at a time, summed over the batch.

    Each example's δ^l_i is column i of the batch's δ^l (whose 1/m is already
    inside), and the outer product with that example's a^{l-1}_i is its share of
    ∂C/∂W^l; their sum equals the vectorized δ^l (A^{l-1})^T.

    Args:
        fp: The forward pass returned by :func:`backpropagate`.
        grads: The per-layer gradients returned with it.
    """
    sums = []
    for l, g in enumerate(grads, start=1):
        total = np.zeros_like(g.dW)
        for i in range(g.delta.shape[1]):
            total += np.outer(g.delta[:, i], fp.A[l - 1][:, i])
        sums.append(total)
    return sums
