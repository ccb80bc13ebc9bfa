r"""The scalar engine on the same batch: a ``Value`` graph of the model, ``backward()``, arranged as matrices.

For each example (column i of ``X``) the model runs on ``Value`` objects and
records every neuron's pre-activation z^l_j; the cost is built with
its record's loss on Values (:mod:`nn.losses`) over the whole batch and differentiated once. After
``backward()``:

* the gradient of z^l_j for example i is δ^l_j of that example (with the
  batch's 1/m inside), the quantity of BP1 and BP2;
* the gradients of the weights and biases are ∂C/∂W^l and ∂C/∂b^l (BP4, BP3);
* the gradients of the output nodes are ∇_A C.

Nothing here knows the four equations: the engine only applies the chain rule
node by node, which is what makes it an independent check of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograd import Value
from nn.analytic.batch import check_batch
from nn.analytic.equations import Network, check_cost
from nn.costs import Cost
from nn.layers import MLP

Array = np.ndarray


@dataclass
class EngineGradients:
    r"""What ``backward()`` through a ``Value`` graph gives, arranged as the analytic results.

    ``delta[l-1][j, i]`` is the gradient of neuron j's recorded pre-activation
    z in layer l for example i; ``dA_L`` is ∂C/∂A^L from the output nodes.
    """

    cost: float
    A_L: Array
    dA_L: Array
    delta: list[Array]
    dW: list[Array]
    db: list[Array]


def _batch_cost(outputs: list[list[Value]], Y: Array, cost: Cost) -> Value:
    """C over the batch, the cost's loss on Values (:mod:`nn.losses`) of the engine's outputs."""
    return cost.function(outputs, [[float(y) for y in Y[:, i]] for i in range(Y.shape[1])])


def engine_gradients(model: MLP, X: object, Y: object, cost: str) -> EngineGradients:
    """Run the model on each column of ``X`` as Values, build the cost with ``nn.losses``, backward.

    Raises:
        TypeError: ``model`` is not an ``nn.MLP``.
        ValueError: A batch that does not fit the model or is not finite, or an unknown cost.
    """
    X, Y = check_batch(model, X, Y, "engine_gradients")
    record = check_cost(cost)
    record.check_output(Network.from_mlp(model).activations[-1])
    m = X.shape[1]
    outputs: list[list[Value]] = []
    zs: list[list[list[Value]]] = []  # zs[i][l-1][j]: z of neuron j, layer l, example i
    for i in range(m):
        outputs.append(model.forward([float(v) for v in X[:, i]]))
        zs.append([[n.z for n in layer.neurons if n.z is not None] for layer in model.layers])
    model.zero_grad()
    C = _batch_cost(outputs, Y, record)
    C.backward()
    delta = [
        np.array([[zs[i][l][j].grad for i in range(m)] for j in range(len(zs[0][l]))])
        for l in range(len(model.layers))
    ]
    dW = [np.array([[w.grad for w in row] for row in layer.W]) for layer in model.layers]
    db = [np.array([[0.0 if b is None else b.grad] for b in layer.b]) for layer in model.layers]
    n_L = Y.shape[0]
    A_L = np.array([[out[j].data for out in outputs] for j in range(n_L)])
    dA_L = np.array([[out[j].grad for out in outputs] for j in range(n_L)])
    return EngineGradients(C.data, A_L, dA_L, delta, dW, db)
