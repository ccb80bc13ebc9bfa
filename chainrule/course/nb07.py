r"""The checks of notebook 07 (digits): the parameters counted, backpropagation derived for a tanh network, accuracy.

* 7.1, ``n_parameters(sizes)``: Σ_l (n_l n_{l−1} + n_l) for sizes (n_0, …, n_L),
  checked against the parameters of :class:`nn.layers.MLP` for several sizes;
* 7.2, ``tanh_prime`` and ``tanh_network_gradients(d)``: BP1 to BP4 for a
  network with a tanh hidden layer and a sigmoid output under the binary
  cross-entropy, in the averaged convention,

      dZ2 = (A2 − Y)/m,  dW2 = dZ2 A1ᵀ,  db2 = Σ_i dZ2,
      dZ1 = (W2ᵀ dZ2) ⊙ tanh′(Z1),  dW1 = dZ1 Xᵀ,  db1 = Σ_i dZ1,

  checked quantity by quantity against the scalar engine (``backward()``) on
  the notebook's batch and on a fresh random network and batch;
* 7.3, ``accuracy_of(probabilities, labels)``: the share of (p > 0.5) == label,
  on the one-epoch network's test probabilities (it misclassifies some images)
  and on fresh random ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import pairwise
from typing import Any

import numpy as np

from chainrule.course.diagnose import ExerciseFailed, require
from chainrule.course.exercises import Namespace, exercise
from nn.analytic import Derivation, engine_gradients, forward, network_for
from nn.layers import MLP


def _callable(ns: Namespace, name: str, signature: str) -> Callable[..., Any]:
    f = ns[name]
    if not callable(f):
        raise ExerciseFailed(f"{name} must be a function {signature}")
    return f


def _counted(sizes: list[int]) -> int:
    return len(MLP(sizes[0], sizes[1:], seed=0).parameters())


def _weights_only(sizes: list[int]) -> int:
    return sum(n * k for k, n in pairwise(sizes))


def _one_bias_per_layer(sizes: list[int]) -> int:
    return _weights_only(sizes) + len(sizes) - 1


SIZES = ([64, 8, 4, 1], [3, 5, 2], [10, 1], [4, 7, 6, 3, 2])
"""The layer sizes 7.1 is tried on (the notebook's network first)."""


@exercise("7.1", answers=("n_parameters",), slips={
    "the biases are missing": lambda ns: {"n_parameters": _weights_only},
    "one bias per layer": lambda ns: {"n_parameters": _one_bias_per_layer},
})
def _parameters(ns: Namespace) -> None:
    count = _callable(ns, "n_parameters", "n_parameters(sizes)")
    for sizes in SIZES:
        require("n_parameters(sizes)", count(list(sizes)), _counted(list(sizes)),
                equation="Σ_l (n_l n_(l−1) + n_l): W^l is n_l × n_(l−1), b^l has n_l entries",
                slips={"the biases are missing (b^l has n_l entries)": _weights_only(list(sizes)),
                       "one bias per layer, where each neuron has its own": _one_bias_per_layer(list(sizes))})


def _tanh_prime(Z: np.ndarray) -> np.ndarray:
    return 1 - np.tanh(Z) ** 2


def _gradients(d: Derivation, *, variant: str = "") -> dict[str, np.ndarray]:
    """BP1 to BP4 of the tanh-sigmoid-bce network (averaged), or with the slip ``variant``."""
    X, A1, A2 = d.A
    W2, Z1 = d.W[1], d.Z[0]
    dZ2 = (A2 - d.Y) / d.m
    if variant == "sigma prime":
        dZ2 = dZ2 * A2 * (1 - A2)
    if variant == "per example":
        dZ2 = dZ2 * d.m
    over = 1 / d.m if variant == "twice" else 1.0
    f_prime = np.tanh(Z1) if variant == "tanh" else _tanh_prime(Z1)
    dZ1 = (W2.T @ dZ2) * f_prime
    return {"dZ2": dZ2, "dW2": over * dZ2 @ A1.T, "db2": over * dZ2.sum(axis=1, keepdims=True),
            "dZ1": dZ1, "dW1": over * dZ1 @ X.T, "db1": over * dZ1.sum(axis=1, keepdims=True)}


def _batches(ns: Namespace) -> list[tuple[MLP, np.ndarray, np.ndarray]]:
    """The notebook's tanh network and batch, then a fresh random network and batch."""
    rng = np.random.default_rng()
    n0, p, m = int(rng.integers(3, 7)), int(rng.integers(2, 6)), int(rng.integers(4, 9))
    fresh = MLP(n0, [p, 1], activation="tanh", output_activation="sigmoid", seed=int(rng.integers(1000)))
    X = rng.uniform(-1, 1, (n0, m))
    Y = rng.integers(0, 2, (1, m)).astype(float)
    Y[0, :2] = (0.0, 1.0)  # both classes
    return [(ns["tanh_model"], np.asarray(ns["batch_X"], dtype=float), np.asarray(ns["batch_Y"], dtype=float)),
            (fresh, X, Y)]


EQUATIONS = {
    "dZ2": "BP1 for a sigmoid output under BCE (averaged), δ^2 = (a^2 − y)/m",
    "dW2": "BP4, ∂C/∂W^2 = δ^2 (A^1)ᵀ",
    "db2": "BP3, ∂C/∂b^2 = Σ_i δ^2",
    "dZ1": "BP2, δ^1 = ((W^2)ᵀ δ^2) ⊙ tanh′(z^1)",
    "dW1": "BP4, ∂C/∂W^1 = δ^1 Xᵀ",
    "db1": "BP3, ∂C/∂b^1 = Σ_i δ^1",
}
SLIPS = {
    "sigma prime": "σ′(z^2) multiplied into δ^2, where the cross-entropy cancels it",
    "tanh": "tanh(z) where tanh′(z) = 1 − tanh²(z) is due",
}


@exercise("7.2", answers=("tanh_prime", "tanh_network_gradients"), slips={
    "tanh(z) where tanh′(z)": lambda ns: {"tanh_prime": np.tanh},
    "the square is missing": lambda ns: {"tanh_prime": lambda Z: 1 - np.tanh(Z)},
    "σ′(z^2) multiplied into δ^2": lambda ns: {"tanh_network_gradients": lambda d: _gradients(d, variant="sigma prime")},
    "tanh(z) where tanh′(z) = 1 − tanh²(z) is due": lambda ns: {
        "tanh_network_gradients": lambda d: _gradients(d, variant="tanh")},
    "m times too large": lambda ns: {"tanh_network_gradients": lambda d: _gradients(d, variant="per example")},
    "applied twice": lambda ns: {"tanh_network_gradients": lambda d: _gradients(d, variant="twice")},
})
def _tanh_network(ns: Namespace) -> None:
    f_prime = _callable(ns, "tanh_prime", "tanh_prime(Z) of a NumPy array")
    points = np.array([[-3.0, -0.7, 0.0], [0.4, 1.3, 2.5]])
    require("tanh_prime(Z)", f_prime(points), _tanh_prime(points), equation="tanh′(z) = 1 − tanh²(z)",
            slips={"tanh(z) where tanh′(z) is due": np.tanh(points),
                   "1 − tanh(z): the square is missing": 1 - np.tanh(points),
                   "1 − z²: tanh is left out": 1 - points**2})
    formula = _callable(ns, "tanh_network_gradients", "tanh_network_gradients(d) returning a dict")
    for model, X, Y in _batches(ns):
        net = network_for(model, "bce")
        fp = forward(net, X)
        d = Derivation(net.Ws, net.bs, fp.Z, fp.A, Y, X.shape[1], net.activations)
        engine = engine_gradients(model, X, Y, "bce")
        expected = {"dZ2": engine.delta[1], "dW2": engine.dW[1], "db2": engine.db[1],
                    "dZ1": engine.delta[0], "dW1": engine.dW[0], "db1": engine.db[0]}
        got = formula(d)
        if not isinstance(got, Mapping):
            raise ExerciseFailed("tanh_network_gradients(d) must return a dict of the six arrays")
        slipped = {words: _gradients(d, variant=variant) for variant, words in SLIPS.items()}
        for key, want in expected.items():
            if key not in got:
                raise ExerciseFailed(f"tanh_network_gradients(d) returned no {key!r}: return all of {', '.join(expected)}")
            require(key, got[key], want, equation=EQUATIONS[key], m=d.m,
                    slips={words: values[key] for words, values in slipped.items()})


def _accuracy(p: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean((p > 0.5).astype(int) == labels))


@exercise("7.3", answers=("accuracy_of",), slips={
    "the share of wrong": lambda ns: {"accuracy_of": lambda p, y: 1 - _accuracy(np.asarray(p), np.asarray(y))},
    "the number of right": lambda ns: {
        "accuracy_of": lambda p, y: len(y) * _accuracy(np.asarray(p), np.asarray(y))},
})
def _accuracy_by_hand(ns: Namespace) -> None:
    f = _callable(ns, "accuracy_of", "accuracy_of(probabilities, labels)")
    rng = np.random.default_rng()
    cases = [(np.asarray(ns["a_early"], dtype=float), np.asarray(ns["y_test"]))]
    for m in (7, 40):
        labels = rng.integers(0, 2, m)
        cases.append((np.clip(np.where(labels == 1, 0.65, 0.35) + rng.normal(0, 0.25, m), 0.01, 0.99), labels))
    for p, labels in cases:
        require("accuracy_of(probabilities, labels)", f(p, labels), _accuracy(p, labels),
                equation="the share of images whose class (1 when the probability is above 0.5) is their label",
                slips={"the share of wrong classes (1 − accuracy)": 1 - _accuracy(p, labels),
                       "the number of right classes, not their share": len(labels) * _accuracy(p, labels)})
