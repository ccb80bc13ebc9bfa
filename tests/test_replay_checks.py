"""fit checks every batch in every mode: replay refuses what graph mode refuses, with the same message."""

from __future__ import annotations

import math
import random

import pytest

from autograd import Value
from nn import MLP
from nn.datasets import moons
from nn.optim import SGD
from nn.train import fit

BATCH = 4


def _later_position(n: int, seed: int = 0) -> int:
    """An example outside the first batch of fit's first epoch (fit shuffles with random.Random(seed))."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return order[-1]


def _outcome(replay, X, y, loss="hinge", sizes=(4, 1), **options):
    """What fit does: the exception (type and message), or the history and the weights."""
    model = MLP(2, list(sizes), seed=0, **options)
    try:
        history = fit(model, X, y, loss=loss, optimizer=SGD(model.parameters(), lr=0.1), epochs=2,
                      batch_size=BATCH, replay=replay, progress=False)
    except (TypeError, ValueError) as error:
        return type(error), str(error)
    return history.loss, [p.data for p in model.parameters()]


def _data(n=12):
    X, labels = moons(n, noise=0.1, seed=1)
    return [list(x) for x in X], [2 * c - 1 for c in labels]


@pytest.mark.parametrize("label", [0, math.nan, 0.5, True, "1"], ids=["zero", "nan", "half", "bool", "text"])
def test_an_invalid_hinge_label_in_a_later_batch_is_refused_by_replay_as_by_graphs(label):
    X, y = _data()
    y[_later_position(len(X))] = label
    graphs = _outcome(False, X, y)
    assert graphs[0] in (TypeError, ValueError), graphs
    assert _outcome(None, X, y) == graphs
    assert _outcome(True, X, y) == graphs


@pytest.mark.parametrize(
    "bad_row",
    [[0.1, 0.2, 0.3], [0.1], [0.1, "x"], [0.1, True], 0.5],
    ids=["too-long", "too-short", "text", "bool", "not-a-list"],
)
def test_a_bad_input_in_a_later_batch_is_refused_by_replay_as_by_graphs(bad_row):
    X, y = _data()
    X[_later_position(len(X))] = bad_row
    graphs = _outcome(False, X, y)
    assert graphs[0] in (TypeError, ValueError), graphs
    assert _outcome(None, X, y) == graphs
    assert _outcome(True, X, y) == graphs


def test_rows_whose_wrong_lengths_add_up_are_refused_by_replay_as_by_graphs():
    X, y = _data()
    order = list(range(len(X)))
    random.Random(0).shuffle(order)
    X[order[-2]], X[order[-1]] = [0.4], [0.1, 0.2, 0.3]  # in the last batch: 1 + 3 numbers, as many as 2 + 2
    graphs = _outcome(False, X, y)
    assert graphs == (ValueError, "MLP(2, [4, 1]) expects an input of size 2, got 1 values")
    assert _outcome(None, X, y) == graphs


@pytest.mark.parametrize("target", [[0.5, 0.5, 0.5], [0.5], "ab", [0.5, None], True])
def test_a_bad_vector_target_in_a_later_batch_is_refused_by_replay_as_by_graphs(target):
    X, labels = _data()
    y = [[c, 1 - c] for c in labels]
    y[_later_position(len(X))] = target
    graphs = _outcome(False, X, y, loss="quadratic", sizes=(4, 2))
    assert graphs[0] in (TypeError, ValueError), graphs
    assert _outcome(None, X, y, loss="quadratic", sizes=(4, 2)) == graphs


def test_a_nan_quadratic_target_trains_the_same_in_both_modes():
    X, y = _data()
    y[_later_position(len(X))] = math.nan  # graph mode accepts it (nan in, nan out): so does replay
    graphs = _outcome(False, X, y, loss="quadratic")
    assert math.isnan(graphs[0][-1])
    replayed = _outcome(True, X, y, loss="quadratic")
    assert str(replayed) == str(graphs)  # as text: nan == nan


def test_values_as_inputs_and_targets_train_by_replay_as_by_graphs():
    X, y = _data()
    XV = [[Value(v) for v in row] for row in X]
    yV = [Value(float(label)) for label in y]
    graphs = _outcome(False, XV, yV)
    assert isinstance(graphs[0], list)
    assert _outcome(True, XV, yV) == graphs
    assert _outcome(True, X, y) == graphs  # the same numbers as plain floats
    losses, weights = _outcome("batch", XV, yV)  # batch replay: graph mode's numbers up to rounding
    assert losses == pytest.approx(graphs[0], rel=1e-12)
    assert weights == pytest.approx(graphs[1], rel=1e-12, abs=1e-15)


class DropoutMLP(MLP):
    """An MLP whose forward pass zeroes each hidden activation with probability 1/2 (a dropout)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rng = random.Random(7)
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        a = super().forward(x)  # the model's own input check, the layers
        return [v * (2.0 if self.rng.random() < 0.5 else 0.0) for v in a]


def test_a_forward_pass_drawing_random_numbers_is_trained_by_graphs_not_frozen():
    X, _ = _data()
    model = DropoutMLP(2, [4, 3], seed=0)
    with pytest.raises(ValueError, match=r"fit\(replay=True\): cannot replay: .*different computations"):
        fit(model, X, [[1.0, 0.0, 0.5]] * len(X), loss="mse", optimizer=SGD(model.parameters(), lr=0.1),
            epochs=1, batch_size=BATCH, replay=True, progress=False)
    model = DropoutMLP(2, [4, 3], seed=0)
    fit(model, X, [[1.0, 0.0, 0.5]] * len(X), loss="mse", optimizer=SGD(model.parameters(), lr=0.1),
        epochs=3, batch_size=BATCH, progress=False)
    # every example of every epoch, after the two traces of batch replay's one example
    assert model.calls == 3 * len(X) + 2
