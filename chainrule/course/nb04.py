r"""The checks of notebook 04 (costs): each reference comes from the engine.

* 4.1 ``C_bce``, ``C_quad``: the binary cross-entropy and the quadratic cost
  (with 1/(2m)) of the batch ``a_ex``, ``y_ex``, against ``nn.losses`` on Values;
* 4.2 ``dC_dA2``, ``sigma_prime_Z2``, ``delta2``: δ^L of a sigmoid output with
  the cross-entropy in three steps (∂C/∂a^L, σ'(z^L), their product), against
  the engine's gradients of the batch cost (``engine_gradients``) and its
  derivative of the sigmoid node;
* 4.3 ``mse_dA(A, Y)``: ∂C/∂A of the mean squared error with 1/(m n_L), called
  on batches the check draws, against ``backward()`` through ``mean_squared_error``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from autograd import Value, grad
from chainrule.course.diagnose import ExerciseFailed, require
from chainrule.course.exercises import Namespace, exercise
from chainrule.course.nb03 import calls
from nn.analytic import Network, engine_gradients, forward
from nn.losses import binary_cross_entropy, mean_squared_error, quadratic_cost

Array = np.ndarray

# ---- 4.1: two costs by hand ---------------------------------------------------------------


def _batch(ns: Namespace) -> tuple[list[float], list[float]]:
    a, y = [float(v) for v in ns["a_ex"]], [float(v) for v in ns["y_ex"]]
    if len(a) != len(y) or not a:
        raise ExerciseFailed("a_ex and y_ex are one output and one label per example: keep them as given")
    return a, y


def _cost_slips(ns: Namespace) -> dict[str, dict[str, float]]:
    """Each slip's (answer name -> value)."""
    a, y = _batch(ns)
    m = len(a)
    return {
        "the (1 - y) log(1 - a) term left out": {
            "C_bce": -sum(yi * math.log(ai) for ai, yi in zip(a, y)) / m},
        "log base 10 where the natural log is due": {
            "C_bce": -sum(yi * math.log10(ai) + (1 - yi) * math.log10(1 - ai) for ai, yi in zip(a, y)) / m},
        "the minus sign covers only the first term, -y log a + (1 - y) log(1 - a)": {
            "C_bce": sum(-yi * math.log(ai) + (1 - yi) * math.log(1 - ai) for ai, yi in zip(a, y)) / m},
        "1/m where 1/(2m) is due: that is the mean squared error": {
            "C_quad": sum((yi - ai) ** 2 for ai, yi in zip(a, y)) / m},
        "m times too large: the 1/m of the averaged cost is missing": {
            "C_bce": -sum(yi * math.log(ai) + (1 - yi) * math.log(1 - ai) for ai, yi in zip(a, y))},
    }


@exercise("4.1", answers=("C_bce", "C_quad"), slips={
    phrase: (lambda ns, _p=phrase: _cost_slips(ns)[_p]) for phrase in (
        "the (1 - y) log(1 - a) term left out", "log base 10 where the natural log is due",
        "the minus sign covers only the first term, -y log a + (1 - y) log(1 - a)",
        "1/m where 1/(2m) is due: that is the mean squared error",
        "m times too large: the 1/m of the averaged cost is missing")
})
def _check_costs(ns: Namespace) -> None:
    a, y = _batch(ns)
    slips = _cost_slips(ns)
    expected = {
        "C_bce": binary_cross_entropy([Value(v) for v in a], y).data,
        "C_quad": quadratic_cost([Value(v) for v in a], y).data,
    }
    equations = {"C_bce": "C = -(1/m) Σ_i [y_i log a_i + (1 - y_i) log(1 - a_i)]",
                 "C_quad": "C = (1/(2m)) Σ_i (y_i - a_i)^2"}
    for name in ("C_bce", "C_quad"):
        require(name, ns[name], expected[name], equation=equations[name], m=len(a),
                slips={p: s[name] for p, s in slips.items() if name in s})


# ---- 4.2: δ^L of sigmoid + cross-entropy, in three steps ---------------------------------

DELTA_STEPS = ("dC_dA2", "sigma_prime_Z2", "delta2")


def _reference_steps(ns: Namespace) -> tuple[dict[str, Array], Array, Array, int]:
    """The engine's ∂C/∂A^2, σ'(Z^2) and δ^2 of the batch; and A^2, Y, m."""
    model, X, Y = ns["bce_net"], np.asarray(ns["Xe"], dtype=float), np.asarray(ns["Ye"], dtype=float)
    eng = engine_gradients(model, X, Y, "bce")
    Z = forward(Network.from_mlp(model), X).Z[-1]
    slope = grad(lambda v: v.sigmoid())
    sigma_prime = np.vectorize(lambda t: slope(float(t))[0])(Z)
    return {"dC_dA2": eng.dA_L, "sigma_prime_Z2": sigma_prime, "delta2": eng.delta[-1]}, eng.A_L, Y, X.shape[1]


def _delta_slips(ns: Namespace) -> dict[str, dict[str, Array]]:
    """Each slip's answers (the other answers right)."""
    right, A, Y, m = _reference_steps(ns)
    dA = right["dC_dA2"]
    return {
        "a - y taken for ∂C/∂a (that is δ^L, after σ' has cancelled)": {
            "dC_dA2": (A - Y) / m, "delta2": (A - Y) / m * A * (1 - A)},
        "the minus sign covers only the first term of the loss": {
            "dC_dA2": (-Y / A - (1 - Y) / (1 - A)) / m, "delta2": (-Y / A - (1 - Y) / (1 - A)) / m * A * (1 - A)},
        "the 1/m of the averaged cost is missing": {"dC_dA2": m * dA, "delta2": m * right["delta2"]},
        "σ(z) where σ'(z) is due": {"sigma_prime_Z2": A, "delta2": dA * A},
        "σ' taken at a^L where z^L is due": {"sigma_prime_Z2": _sigma(A) * (1 - _sigma(A))},
        "∂C/∂a^L without the factor σ'(z^L) of BP1": {"delta2": dA},
    }


def _sigma(t: Array) -> Array:
    return 1 / (1 + np.exp(-t))


@exercise("4.2", answers=DELTA_STEPS, slips={
    phrase: (lambda ns, _p=phrase: _delta_slips(ns)[_p]) for phrase in (
        "a - y taken for ∂C/∂a (that is δ^L, after σ' has cancelled)",
        "the minus sign covers only the first term of the loss",
        "the 1/m of the averaged cost is missing", "σ(z) where σ'(z) is due",
        "σ' taken at a^L where z^L is due", "∂C/∂a^L without the factor σ'(z^L) of BP1")
})
def _check_delta(ns: Namespace) -> None:
    right, _, _, m = _reference_steps(ns)
    slips = _delta_slips(ns)
    equations = {
        "dC_dA2": "∂C/∂a^L = (1/m) (-y/a + (1 - y)/(1 - a))",
        "sigma_prime_Z2": "σ'(z) = σ(z)(1 - σ(z)), at z^L",
        "delta2": "BP1, δ^L = ∂C/∂a^L ⊙ σ'(z^L)",
    }
    for name in DELTA_STEPS:
        require(name, ns[name], right[name], equation=equations[name], m=m,
                slips={p: s[name] for p, s in slips.items() if name in s})


# ---- 4.3: the gradient of the mean squared error ------------------------------------------

def _mse_gradient_by_the_engine(A: Array, Y: Array) -> Array:
    """∂C/∂A from backward() through ``mean_squared_error`` (one example per column)."""
    outputs = [[Value(float(v)) for v in column] for column in A.T]
    C = mean_squared_error(outputs, [list(column) for column in Y.T])
    C.backward()
    return np.array([[v.grad for v in column] for column in outputs]).T


MSE_SLIPS: dict[str, Callable[[Array, Array], Array]] = {
    "1/m where 1/(m n_L) is due: the mean runs over all m n_L entries": (
        lambda A, Y: 2 * (A - Y) / A.shape[1]),
    "the 1/(m n_L) of the mean is missing": (lambda A, Y: 2 * (A - Y)),
    "the 2 from differentiating a square is missing": (lambda A, Y: (A - Y) / A.size),
    "the wrong sign: y - a where a - y is due": (lambda A, Y: 2 * (Y - A) / A.size),
}


def _mse_cases() -> list[tuple[Array, Array]]:
    """(A, Y) to try: (3, 5) first (where each slip shows), (2, 4), and a (3, 6) drawn afresh."""
    cases = []
    for seed, shape in [(41, (3, 5)), (42, (2, 4)), (None, (3, 6))]:
        rng = np.random.default_rng(seed)
        cases.append((rng.uniform(0.05, 0.95, size=shape), rng.uniform(0, 1, size=shape)))
    return cases


@exercise("4.3", answers=("mse_dA",), slips={
    phrase: (lambda ns, _f=f: {"mse_dA": _f}) for phrase, f in MSE_SLIPS.items()
})
def _check_mse(ns: Namespace) -> None:
    for A, Y in _mse_cases():
        name = "mse_dA(A, Y)"
        got = calls(name, ns["mse_dA"], A.copy(), Y.copy())
        require(name, got, _mse_gradient_by_the_engine(A, Y),
                equation="∂C/∂a_ji of C = (1/(m n_L)) Σ_i Σ_j (y_ji - a_ji)^2", m=A.shape[1],
                slips={p: f(A, Y) for p, f in MSE_SLIPS.items()})
