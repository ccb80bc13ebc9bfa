"""micrograd's demo task, the same for every engine: data, weights and one training step.

The task (micrograd's ``demo.ipynb``): 100 two-moons points, labels y = ±1, the
network ``MLP(2, [16, 16, 1])`` with ReLU hidden layers and a linear output,
the max-margin loss with L2 regularisation

    C = (1/m) Σ_i relu(1 - y_i s_i) + α Σ_θ θ²,   α = 1e-4,

and one full-batch step: forward, zero the gradients, backward, SGD update.
Every engine starts from the same weights (drawn here), so their losses agree.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

ALPHA = 1e-4
LR = 0.1


def moons(n: int, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """``n`` two-moons points (noise 0.1) and labels ±1, from chainrule's own data set."""
    from nn.datasets import moons as make_moons

    X, labels = make_moons(n, noise=0.1, seed=seed)
    return X, [2.0 * label - 1.0 for label in labels]


def initial_weights(sizes: list[int], seed: int = 1) -> list[tuple[list[list[float]], list[float]]]:
    """(W^l, b^l) per layer: W^l[j][k] = w^l_jk uniform in [-1, 1], b^l = 0, as micrograd."""
    rng = random.Random(seed)
    return [
        ([[rng.uniform(-1, 1) for _ in range(n_in)] for _ in range(n_out)], [0.0] * n_out)
        for n_in, n_out in itertools.pairwise(sizes)
    ]


# -- micrograd ------------------------------------------------------------------------------


def micrograd_model(weights: list) -> Any:
    from micrograd.engine import Value
    from micrograd.nn import MLP

    model = MLP(2, [len(b) for _, b in weights])
    for layer, (W, b) in zip(model.layers, weights):
        for neuron, row, b_j in zip(layer.neurons, W, b):
            neuron.w = [Value(w) for w in row]
            neuron.b = Value(b_j)
    return model


def micrograd_step(model: Any, X: list, y: list) -> float:
    """One step of micrograd's demo, written as in its notebook."""
    scores = [model(x) for x in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    for p in model.parameters():
        p.data -= LR * p.grad
    return total.data


# -- chainrule, graph mode ------------------------------------------------------------------


def chainrule_model(weights: list) -> Any:
    from nn import MLP

    model = MLP(2, [len(b) for _, b in weights], activation="relu")
    for layer, (W, b) in zip(model.layers, weights):
        for neuron, row, b_j in zip(layer.neurons, W, b):
            for w, value in zip(neuron.w, row):
                w.data = value
            neuron.b.data = b_j
    return model


def chainrule_loss(model: Any, X: list, y: list) -> Any:
    from nn.losses import hinge_loss, l2_penalty

    return hinge_loss([model(x) for x in X], y) + l2_penalty(model.parameters(), ALPHA)


def chainrule_step(model: Any, X: list, y: list) -> float:
    total = chainrule_loss(model, X, y)
    params = model.parameters()
    for p in params:
        p.grad = 0.0
    total.backward()
    for p in params:
        p.data -= LR * p.grad
    return total.data


# -- chainrule, replay mode -----------------------------------------------------------------


def chainrule_tape(model: Any, X: list, y: list) -> Any:
    """The demo loss traced once, with the parameters, the inputs and the labels as the tape's inputs."""
    from autograd import Value, trace

    params = model.parameters()
    xs = [[Value(v) for v in row] for row in X]
    ys = [Value(v) for v in y]

    def loss(*_: Value) -> Value:
        from autograd import sum as vsum

        scores = [model(x) for x in xs]
        margins = vsum([(s * -t + 1.0).relu() for s, t in zip(scores, ys)]) * (1.0 / len(ys))
        return margins + vsum([p * p for p in params]) * ALPHA

    return trace(loss, *params, *[v for row in xs for v in row], *ys)


def chainrule_replay_step(tape: Any, weights: list[float], X: list, y: list) -> float:
    """One step by replay: the tape's value and gradient, then the SGD update of ``weights`` in place."""
    n = len(weights)
    value, grads = tape.value_and_grad(*weights, *[v for row in X for v in row], *y)
    for i in range(n):
        weights[i] -= LR * grads[i]
    return value


# -- chainrule, batch replay ----------------------------------------------------------------


def chainrule_batch_tape(model: Any) -> Any:
    """ONE example's demo cost traced (the parameters, then x_1, x_2 and y as inputs), for batch replay.

    The cost of example i is relu(1 - y_i s_i) + α Σ_θ θ²; the mean over the batch is the demo loss.
    """
    from autograd import Value, trace
    from autograd import sum as vsum
    from autograd.batch import BatchTape

    params = model.parameters()
    x, t = [Value(0.0), Value(0.0)], Value(1.0)

    def cost(*_: Value) -> Value:
        return (model(x) * -t + 1.0).relu() + vsum([p * p for p in params]) * ALPHA

    tape = trace(cost, *params, *x, t)
    return BatchTape(tape, batched=range(len(params), tape.n_inputs))


def chainrule_batch_step(batch: Any, weights: Any, rows: Any) -> float:
    """One step by batch replay: every example at once, then the SGD update of ``weights`` in place.

    ``weights`` is a NumPy array of the parameters and ``rows`` an (m, 3) array of (x_1, x_2, y), as the
    hand-written NumPy step keeps its W and b: the data stay arrays between steps.
    """
    values, grads, _ = batch.value_and_grad_rows(weights, rows, seed=1.0 / len(rows))
    weights -= LR * grads
    return float(values.mean())
