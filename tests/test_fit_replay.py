"""fit by replay: the same losses, accuracies and weights as building every batch's graph."""

from __future__ import annotations

import random

import pytest

from nn import MLP
from nn.datasets import moons
from nn.losses import binary_cross_entropy
from nn.optim import SGD, Adam
from nn.train import fit


def _train(replay, loss, make_model, make_optimizer, X, y, **options):
    model = make_model()
    history = fit(model, X, y, loss=loss, optimizer=make_optimizer(model), replay=replay, progress=False, **options)
    return history, [p.data for p in model.parameters()]


def test_hinge_with_l2_and_momentum_trains_identically_by_replay_and_by_graphs():
    X, labels = moons(70, noise=0.1, seed=3)  # 70 = 2 batches of 32 and one of 6
    y = [2 * c - 1 for c in labels]
    runs = [
        _train(replay, "hinge", lambda: MLP(2, [8, 8, 1], seed=1),
               lambda m: SGD(m.parameters(), lr=0.05, momentum=0.9), X, y,
               epochs=4, batch_size=32, l2=1e-3, validation=(X[:20], y[:20]))
        for replay in (False, True)
    ]
    (graph_history, graph_weights), (replay_history, replay_weights) = runs
    assert replay_history.loss == graph_history.loss
    assert replay_history.accuracy == graph_history.accuracy
    assert replay_history.val_loss == graph_history.val_loss
    assert replay_weights == graph_weights
    assert graph_history.loss[-1] < graph_history.loss[0]


def test_quadratic_cost_with_vector_targets_and_adam_trains_identically_by_replay():
    rng = random.Random(0)
    X = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(20)]
    y = [[rng.random(), rng.random()] for _ in range(20)]
    make = lambda: MLP(3, [5, 2], activation=["tanh"], output_activation="sigmoid", seed=4)
    runs = [_train(replay, "quadratic", make, lambda m: Adam(m.parameters(), lr=0.01), X, y,
                   epochs=3, batch_size=8, threshold=0.5)
            for replay in (False, True)]
    assert runs[0] == runs[1]


def test_replay_true_says_why_a_run_cannot_be_replayed():
    X, labels = moons(20, seed=0)
    model = MLP(2, [4, 1], output_activation="sigmoid", seed=0)
    custom_loss = lambda outputs, targets: binary_cross_entropy(outputs, targets)
    with pytest.raises(ValueError, match=r"cannot replay: the loss '<lambda>' is not a cost of nn\.costs\.COSTS"):
        fit(model, X, labels, loss=custom_loss, optimizer=SGD(model.parameters(), lr=0.1), replay=True, epochs=1)
    with pytest.raises(ValueError, match="does not hold exactly the model's parameters"):
        fit(model, X, labels, loss="quadratic", optimizer=SGD(model.parameters()[:3], lr=0.1), replay=True,
            epochs=1)
    custom = MLP(2, [4, 1], activation=lambda z: z * z.sigmoid(), seed=0)
    with pytest.raises(ValueError, match="not an MLP of the registry's activations"):
        fit(custom, X, [2 * c - 1 for c in labels], loss="hinge", optimizer=SGD(custom.parameters(), lr=0.1),
            replay=True, epochs=1)


def test_automatic_replay_falls_back_to_graphs_for_a_custom_activation():
    X, labels = moons(20, seed=0)
    y = [2 * c - 1 for c in labels]
    make = lambda: MLP(2, [4, 1], activation=lambda z: z * z.sigmoid(), seed=0)
    auto = _train(None, "hinge", make, lambda m: SGD(m.parameters(), lr=0.1), X, y, epochs=2, batch_size=8)
    graphs = _train(False, "hinge", make, lambda m: SGD(m.parameters(), lr=0.1), X, y, epochs=2, batch_size=8)
    assert auto == graphs
