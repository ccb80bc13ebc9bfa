"""The checks of notebook 09: right answers pass; constants and every named slip fail, named, with no number told."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from chainrule.course import ExerciseFailed, audit, check


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def deltas_by_hand(Ws, bs, x, y):
    """BP1 and BP2 written independently of the check (the notebook's solution)."""
    a, zs = np.reshape(x, (-1, 1)), []
    for W, b in zip(Ws, bs):
        zs.append(W @ a + np.reshape(b, (-1, 1)))
        a = _sigmoid(zs[-1])
    deltas = [(a - np.reshape(y, (-1, 1))) * a * (1 - a)]
    for W, z in zip(reversed(Ws[1:]), reversed(zs[:-1])):
        s = _sigmoid(z)
        deltas.insert(0, (W.T @ deltas[0]) * s * (1 - s))
    return deltas


def _namespace():
    rng = np.random.default_rng(9)
    sizes = [3, 4, 4, 2]
    Ws = [rng.uniform(-1, 1, (n, k)) for k, n in itertools.pairwise(sizes)]
    bs = [np.zeros((n, 1)) for n in sizes[1:]]
    return {
        "Ws": Ws, "bs": bs, "x": rng.uniform(-1, 1, (3, 1)), "y": np.array([[1.0], [0.0]]),
        "deltas_by_hand": deltas_by_hand,
        "gain": lambda n, r: n * r**2 / 6,
        "r_for_gain_one": lambda n: math.sqrt(6 / n),
    }


@pytest.mark.parametrize("key", ["9.1", "9.2"])
def test_exercise_fails_with_constants_and_each_named_slip_and_never_tells_the_answer(key):
    report = audit(key, _namespace())
    assert report.ok, str(report)
    assert report.trials >= 4


def test_deltas_against_the_engine_on_a_network_of_nn():
    from nn.layers import MLP
    from nn.losses import quadratic_cost

    ns = _namespace()
    model = MLP.from_weights([W.tolist() for W in ns["Ws"]], [b.ravel().tolist() for b in ns["bs"]],
                             "sigmoid", "sigmoid")
    out = model(ns["x"].ravel().tolist())
    quadratic_cost([out], [ns["y"].ravel().tolist()]).backward()
    for layer, delta in zip(model.layers, deltas_by_hand(ns["Ws"], ns["bs"], ns["x"], ns["y"])):
        np.testing.assert_allclose([n.z.grad for n in layer.neurons], delta.ravel(), rtol=1e-12)


def test_a_slip_in_bp2_is_named_at_the_layer_where_it_starts():
    ns = _namespace()

    def without_prime(Ws, bs, x, y):
        deltas = deltas_by_hand(Ws, bs, x, y)
        right_last = deltas[-1]
        out = [right_last]
        for W in reversed(Ws[1:]):
            out.insert(0, W.T @ out[0])
        return out

    with pytest.raises(ExerciseFailed, match=r"δ\^2 .*BP2 without the factor σ'\(z\^l\)"):
        check("9.1", {**ns, "deltas_by_hand": without_prime})


def test_the_gain_transposed_or_hard_coded_is_refused():
    ns = _namespace()
    with pytest.raises(ExerciseFailed, match="gain"):
        check("9.2", {**ns, "gain": lambda n, r: 2.6666666666666665})
    check("9.2", ns)
