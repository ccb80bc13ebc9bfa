r"""The checks of notebook 08 (softmax and cross-entropy): the Jacobian, δ^L through it, the confusion matrix.

* 8.1, ``softmax_jacobian(z)``: ∂a_j/∂z_k = a_j (δ_jk − a_k) of a = softmax(z),
  checked against :func:`autograd.jacobian` of :func:`nn.softmax.softmax_values`
  on the notebook's z and fresh ones;
* 8.2, ``cross_entropy_gradients(Z, labels)``: for logits Z (K × m, one example
  per column) and class indices, the dict of ``"dA"`` = ∂C/∂A^L = −Y/(m A^L)
  and ``"dZ"`` = δ^L = Σ_j ∂C/∂a_j ∂a_j/∂z_k, column by column through the
  Jacobian, which is (A^L − Y)/m; the engine's gradient of
  :func:`nn.losses.softmax_cross_entropy` with respect to the logits is the reference of dZ;
* 8.3, ``confusion(labels, predicted, K)``: counts[i, j] = the number of
  examples of class i predicted as j, on the notebook's test set and fresh labels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from autograd import Value, jacobian
from chainrule.course.diagnose import ExerciseFailed, require
from chainrule.course.exercises import Namespace, exercise
from nn.losses import softmax_cross_entropy
from nn.softmax import softmax_values


def _callable(ns: Namespace, name: str, signature: str) -> Callable[..., Any]:
    f = ns[name]
    if not callable(f):
        raise ExerciseFailed(f"{name} must be a function {signature}")
    return f


def _softmax(Z: np.ndarray) -> np.ndarray:
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _diagonal_only(z: np.ndarray) -> np.ndarray:
    a = _softmax(z)
    return np.diag(a * (1 - a))


def _delta_as_one(z: np.ndarray) -> np.ndarray:
    a = _softmax(z)
    return a[:, None] * (1 - a[None, :])


def _without_delta(z: np.ndarray) -> np.ndarray:
    a = _softmax(z)
    return -np.outer(a, a)


def _logits(rng: np.random.Generator, K: int) -> np.ndarray:
    return rng.normal(0, 1.5, K)


@exercise("8.1", answers=("softmax_jacobian",), slips={
    "only the diagonal": lambda ns: {"softmax_jacobian": _diagonal_only},
    "δ_jk taken as 1": lambda ns: {"softmax_jacobian": _delta_as_one},
    "the δ_jk term is missing": lambda ns: {"softmax_jacobian": _without_delta},
})
def _softmax_jacobian(ns: Namespace) -> None:
    f = _callable(ns, "softmax_jacobian", "softmax_jacobian(z) of a 1-D NumPy array")
    rng = np.random.default_rng()
    for z in (np.asarray(ns["z"], dtype=float), _logits(rng, 3), _logits(rng, 6)):
        engine = np.array(jacobian(softmax_values)(list(z)))
        require("softmax_jacobian(z)", f(z.copy()), engine, equation="∂a_j/∂z_k = a_j (δ_jk − a_k)",
                slips={"only the diagonal a_j (1 − a_j): softmax is not elementwise, every a_j "
                       "depends on every z_k": _diagonal_only(z),
                       "δ_jk taken as 1 everywhere: it is 1 only where j = k": _delta_as_one(z),
                       "the δ_jk term is missing: a_j δ_jk is the derivative of e^(z_j) itself":
                       _without_delta(z)})


def _one_hot(labels: np.ndarray, K: int) -> np.ndarray:
    Y = np.zeros((K, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def _slipped(Z: np.ndarray, labels: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """The slips of 8.2 by description: dA and dZ as each gives them."""
    A, Y, m = _softmax(Z), _one_hot(labels, Z.shape[0]), Z.shape[1]
    dA = -Y / (m * A)
    return {
        "−1/a for every class: the y_j of ∂ℓ/∂a_j = −y_j/a_j is left out":
            {"dA": -1 / (m * A), "dZ": np.zeros_like(Z)},
        "dA ⊙ a(1 − a), only the Jacobian's diagonal: the softmax is not elementwise, sum over j":
            {"dA": dA, "dZ": dA * A * (1 - A)},
    }


def _engine_delta(Z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """∂C/∂Z of the mean cross-entropy on Values (the engine's backward)."""
    logits = [[Value(float(v)) for v in column] for column in Z.T]
    softmax_cross_entropy(logits, [int(c) for c in labels]).backward()
    return np.array([[v.grad for v in column] for column in logits]).T


def _batches(ns: Namespace) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng()
    fresh = []
    for K, m in ((3, 5), (5, 7)):
        labels = rng.integers(0, K, m)
        labels[:2] = (0, K - 1)
        fresh.append((rng.normal(0, 1.5, (K, m)), labels))
    return [(np.asarray(ns["Z_batch"], dtype=float), np.asarray(ns["labels_batch"])), *fresh]


def _slip_function(words: str) -> Callable[[np.ndarray, np.ndarray], dict[str, np.ndarray]]:
    return lambda Z, labels: _slipped(np.asarray(Z), np.asarray(labels))[words]


@exercise("8.2", answers=("cross_entropy_gradients",), slips={
    "y_j of ∂ℓ/∂a_j = −y_j/a_j is left out": lambda ns: {"cross_entropy_gradients": _slip_function(
        "−1/a for every class: the y_j of ∂ℓ/∂a_j = −y_j/a_j is left out")},
    "only the Jacobian's diagonal": lambda ns: {"cross_entropy_gradients": _slip_function(
        "dA ⊙ a(1 − a), only the Jacobian's diagonal: the softmax is not elementwise, sum over j")},
    "wrong sign": lambda ns: {"cross_entropy_gradients": lambda Z, labels: {
        key: -value for key, value in _right(np.asarray(Z), np.asarray(labels)).items()}},
    "m times too large": lambda ns: {"cross_entropy_gradients": lambda Z, labels: {
        key: np.shape(Z)[1] * value for key, value in _right(np.asarray(Z), np.asarray(labels)).items()}},
})
def _output_error(ns: Namespace) -> None:
    f = _callable(ns, "cross_entropy_gradients", "cross_entropy_gradients(Z, labels) returning a dict")
    for Z, labels in _batches(ns):
        got = f(Z.copy(), labels.copy())
        if not isinstance(got, Mapping) or not {"dA", "dZ"} <= set(got):
            raise ExerciseFailed("cross_entropy_gradients(Z, labels) must return a dict with 'dA' and 'dZ'")
        m, slipped = Z.shape[1], _slipped(Z, labels)
        require("dA", got["dA"], _right(Z, labels)["dA"], m=m,
                equation="∂C/∂a_j = −(1/m) y_j/a_j of C = −(1/m) Σ_i Σ_j y_j,i ln a_j,i",
                slips={words: values["dA"] for words, values in slipped.items()})
        require("dZ", got["dZ"], _engine_delta(Z, labels), m=m,
                equation="δ^L_k = Σ_j ∂C/∂a_j · a_j (δ_jk − a_k), which is (a_k − y_k)/m",
                slips={words: values["dZ"] for words, values in slipped.items()})


def _right(Z: np.ndarray, labels: np.ndarray) -> dict[str, np.ndarray]:
    A, Y, m = _softmax(Z), _one_hot(labels, Z.shape[0]), Z.shape[1]
    return {"dA": -Y / (m * A), "dZ": (A - Y) / m}


def _counts(labels: np.ndarray, predicted: np.ndarray, K: int) -> np.ndarray:
    counts = np.zeros((K, K))
    np.add.at(counts, (labels, predicted), 1)
    return counts


def _row_shares(labels: np.ndarray, predicted: np.ndarray, K: int) -> np.ndarray:
    counts = _counts(labels, predicted, K)
    return counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)


@exercise("8.3", answers=("confusion",), slips={
    "transposed": lambda ns: {"confusion": lambda y, p, K: _counts(np.asarray(p), np.asarray(y), K)},
    "shares of each row": lambda ns: {"confusion": lambda y, p, K: _row_shares(np.asarray(y), np.asarray(p), K)},
})
def _confusion(ns: Namespace) -> None:
    f = _callable(ns, "confusion", "confusion(labels, predicted, K)")
    rng = np.random.default_rng()
    fresh_labels = rng.integers(0, 4, 30)
    fresh_predicted = np.where(rng.random(30) < 0.6, fresh_labels, rng.integers(0, 4, 30))
    cases = [(np.asarray(ns["y_test"]), np.asarray(ns["test_predicted"]), 10), (fresh_labels, fresh_predicted, 4)]
    for labels, predicted, K in cases:
        require("confusion(labels, predicted, K)", f(labels.copy(), predicted.copy(), K),
                _counts(labels, predicted, K),
                equation="counts[i, j] = the number of examples of class i (row) predicted as class j (column)",
                slips={"shares of each row, not counts": _row_shares(labels, predicted, K)})
