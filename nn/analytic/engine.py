r"""The scalar engine on the same batch: a ``Value`` graph of the model, ``backward()``, arranged as matrices.

For each example (column i of ``X``) the model runs on ``Value`` objects and
records every neuron's pre-activation z^l_j; the cost is built with
its record's loss on Values (:mod:`nn.losses`) over the whole batch and differentiated once. After
``backward()``:

* the gradient of z^l_j for example i is δ^l_j of that example (with the
  batch's 1/m inside), the quantity of BP1 and BP2;
* the gradients of the weights and biases are ∂C/∂W^l and ∂C/∂b^l (BP4, BP3);
* the gradients of the output nodes are ∇_A C.

With a softmax output (a function of the whole layer, :data:`nn.softmax.SOFTMAX`)
the model's output layer is linear and its outputs are the logits z^L. Paired
with cross-entropy, the graph is the one training builds: the cost's loss on
Values takes the logits (:func:`nn.losses.softmax_cross_entropy`, a
log-sum-exp), so it holds no a^L node and ∂C/∂A^L is not reported
(``dA_L`` is None). With any other cost the graph applies softmax on Values
(``exp``, a sum, divisions) to the logits and the cost to its outputs.

Nothing here knows the four equations: the engine only applies the chain rule
node by node, which is what makes it an independent check of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograd import Value
from nn.analytic.batch import check_batch
from nn.analytic.equations import check_cost, network_for
from nn.costs import Cost
from nn.layers import MLP
from nn.softmax import array_activation

Array = np.ndarray


@dataclass
class EngineGradients:
    r"""What ``backward()`` through a ``Value`` graph gives, arranged as the analytic results.

    ``delta[l-1][j, i]`` is the gradient of neuron j's recorded pre-activation
    z in layer l for example i; ``dA_L`` is ∂C/∂A^L from the output nodes
    (None when the cost's loss takes the logits of a softmax output: no a^L node).
    """

    cost: float
    A_L: Array
    dA_L: Array | None
    delta: list[Array]
    dW: list[Array]
    db: list[Array]


def batch_cost(outputs: list[list[Value]], Y: Array, cost: Cost, output: str) -> tuple[Value, list[list[Value]], bool]:
    r"""C over the batch from the model's outputs, the cost's loss on Values (:mod:`nn.losses`).

    Args:
        outputs: The model's outputs per example (the logits z^L under a layer-wise ``output``).
        Y: The targets, (n_L, m) (one-hot columns for cross_entropy).
        cost: The cost's record.
        output: The output layer on arrays (``"softmax"``, or the model's own f_L).

    Returns:
        C; the a^L Values of each example (softmax's on Values over the logits
        under a layer-wise output); and whether C was built from them (False:
        the loss took the logits, the pair's graph, and the a^L are off it).
    """
    targets = cost.on_arrays().targets_on_values(Y)
    f = array_activation(output)
    if f.elementwise or f.f_layer is None:
        return cost.function(outputs, targets), outputs, True
    probabilities = [f.f_layer(z) for z in outputs]
    if cost.pairs_with(output):  # the pair's loss on Values takes the logits, as training does
        return cost.function(outputs, targets), probabilities, False
    return cost.function(probabilities, targets), probabilities, True


def engine_gradients(
    model: MLP, X: object, Y: object, cost: str, output_activation: str | None = None
) -> EngineGradients:
    """Run the model on each column of ``X`` as Values, build the cost with ``nn.losses``, backward.

    ``output_activation``: a layer-wise output (``"softmax"``) over the model's
    logits, as :func:`nn.analytic.equations.network_for` takes it.

    Raises:
        TypeError: ``model`` is not an ``nn.MLP``.
        ValueError: A batch that does not fit the model or is not finite, or an unknown cost.
    """
    X, Y = check_batch(model, X, Y, "engine_gradients", cost)
    record = check_cost(cost)
    output = network_for(model, cost, output_activation).activations[-1]
    m = X.shape[1]
    logits: list[list[Value]] = []
    zs: list[list[list[Value]]] = []  # zs[i][l-1][j]: z of neuron j, layer l, example i
    for i in range(m):
        logits.append(model.forward([float(v) for v in X[:, i]]))
        zs.append([[n.z for n in layer.neurons if n.z is not None] for layer in model.layers])
    model.zero_grad()
    C, outputs, on_outputs = batch_cost(logits, Y, record, output)
    C.backward()
    delta = [
        np.array([[zs[i][l][j].grad for i in range(m)] for j in range(len(zs[0][l]))])
        for l in range(len(model.layers))
    ]
    dW = [np.array([[w.grad for w in row] for row in layer.W]) for layer in model.layers]
    db = [np.array([[0.0 if b is None else b.grad] for b in layer.b]) for layer in model.layers]
    n_L = Y.shape[0]
    A_L = np.array([[out[j].data for out in outputs] for j in range(n_L)])
    dA_L = np.array([[out[j].grad for out in outputs] for j in range(n_L)]) if on_outputs else None
    return EngineGradients(C.data, A_L, dA_L, delta, dW, db)
