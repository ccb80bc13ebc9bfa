r"""The checks of notebook 2's exercises: a Jacobian by hand, an elementwise tanh's, a layer's.

Each answer is asked exactly (worked out, then evaluated): a central-difference
Jacobian agrees to a few digits only and is named.

* 2.1 :math:`\mathbf{f}(x, y) = (x^2 y, 5x + \sin y)` at (1, 2): rows are
  outputs, columns inputs; a transposed J and a dropped factor or sign are named.
* 2.2 ``tanh_jacobian(x)`` at vectors of 1, 3 and 5 entries (some fresh):
  diagonal, with 1 - tanh² on it.
* 2.3 :math:`\tanh(W\mathbf{x})` at ``x0`` (the notebook's ``W`` and ``x0``):
  :math:`\operatorname{diag}(1 - \tanh^2(W\mathbf{x}_0))\,W`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from chainrule.course.diagnose import NUMERICAL, require
from chainrule.course.exercises import Namespace, exercise

Vector = Callable[[np.ndarray], np.ndarray]


def _numeric_jacobian(func: Vector, x: Any, h: float = 1e-6) -> np.ndarray:
    """Central differences, one column (input) at a time."""
    x = np.asarray(x, dtype=float)
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = h
        columns.append((func(x + step) - func(x - step)) / (2 * h))
    return np.stack(columns, axis=1)


def _f(v: np.ndarray) -> np.ndarray:
    return np.array([v[0] ** 2 * v[1], 5 * v[0] + np.sin(v[1])])


def _jacobian_of_f(x: float, y: float) -> np.ndarray:
    """Row 1: (2xy, x²); row 2: (5, cos y)."""
    return np.array([[2 * x * y, x**2], [5.0, math.cos(y)]])


BY_HAND_SLIPS: dict[str, Callable[[float, float], np.ndarray]] = {
    "rows are outputs and columns inputs: this J is transposed": lambda x, y: _jacobian_of_f(x, y).T,
    "y is a constant factor of x² y and stays in ∂/∂x: 2xy, not 2x":
        lambda x, y: np.array([[2 * x, x**2], [5.0, math.cos(y)]]),
    "the derivative of sin y is cos y, not -cos y": lambda x, y: np.array([[2 * x * y, x**2], [5.0, -math.cos(y)]]),
    NUMERICAL: lambda x, y: _numeric_jacobian(_f, [x, y]),
}


@exercise("2.1", answers=("J",), slips={
    phrase: (lambda ns, slip=slip: {"J": slip(1.0, 2.0).tolist()}) for phrase, slip in BY_HAND_SLIPS.items()
})
def _jacobian_by_hand(ns: Namespace) -> None:
    require("J", ns["J"], _jacobian_of_f(1.0, 2.0), equation="J_ij = ∂f_i/∂x_j at (1, 2)",
            slips={phrase: slip(1.0, 2.0) for phrase, slip in BY_HAND_SLIPS.items()}, exact=True)


def _tanh_jacobian(x: Any) -> np.ndarray:
    return np.diag(1 - np.tanh(np.asarray(x, dtype=float)) ** 2)


TANH_SLIPS: dict[str, Callable[[np.ndarray], Any]] = {
    "the diagonal holds tanh(x), where its derivative 1 - tanh²(x) is due": lambda x: np.diag(np.tanh(x)),
    "1 - x² where 1 - tanh²(x) is due": lambda x: np.diag(1 - x**2),
    "output i depends on input i only: the Jacobian of an elementwise function is diagonal":
        lambda x: np.tile(1 - np.tanh(x) ** 2, (x.size, 1)),
    NUMERICAL: lambda x: _numeric_jacobian(np.tanh, x),
}


@exercise("2.2", answers=("tanh_jacobian",), slips={
    phrase: (lambda ns, slip=slip: {"tanh_jacobian": slip}) for phrase, slip in TANH_SLIPS.items()
})
def _elementwise_tanh(ns: Namespace) -> None:
    rng = np.random.default_rng()
    for x in (np.array([0.5, -1.0, 2.0]), rng.normal(size=5), rng.normal(size=1)):
        require(f"tanh_jacobian(x) for {x.size} inputs", ns["tanh_jacobian"](x.copy()), _tanh_jacobian(x),
                equation="the Jacobian of y = tanh(x), J_ij = ∂y_i/∂x_j",
                slips={phrase: slip(x) for phrase, slip in TANH_SLIPS.items()}, exact=True)


def _layer_slips(W: np.ndarray, x0: np.ndarray) -> dict[str, np.ndarray]:
    z = W @ x0
    return {
        "the tanh's Jacobian is missing: W alone is the Jacobian of g(x) = W x only": W.copy(),
        "tanh(W x0) where its derivative 1 - tanh²(W x0) is due": np.diag(np.tanh(z)) @ W,
        "1 - (W x0)² where 1 - tanh²(W x0) is due": np.diag(1 - z**2) @ W,
        "the tanh's Jacobian is taken at x0 and after W: it is J_tanh(W x0) @ W, at g(x0) = W x0":
            W @ np.diag(1 - np.tanh(x0) ** 2),
        NUMERICAL: _numeric_jacobian(lambda v: np.tanh(W @ v), x0),
    }


@exercise("2.3", answers=("J_layer",), slips={
    phrase: (lambda ns, phrase=phrase: {"J_layer": _layer_slips(ns["W"], ns["x0"])[phrase]})
    for phrase in _layer_slips(np.eye(2, 3), np.ones(3))
})
def _layer_by_the_chain_rule(ns: Namespace) -> None:
    W, x0 = np.asarray(ns["W"], dtype=float), np.asarray(ns["x0"], dtype=float)
    require("J_layer", ns["J_layer"], np.diag(1 - np.tanh(W @ x0) ** 2) @ W,
            equation="the Jacobian chain rule for tanh(W x) at x0", slips=_layer_slips(W, x0), exact=True)
