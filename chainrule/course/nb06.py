r"""The checks of notebook 06 (gradient descent): one step by hand, the Hessian and 2/λ_max derived, momentum.

The notebook's linear neuron ŷ = w x + b on the points ``xs``, ``ys`` has the cost

    C(w, b) = 1/(2m) Σ_i (w x_i + b − y_i)²,
    ∂C/∂w = (1/m) Σ_i (w x_i + b − y_i) x_i,     ∂C/∂b = (1/m) Σ_i (w x_i + b − y_i),
    H = [[mean x², mean x], [mean x, 1]],          H θ* = (mean x y, mean y),

and gradient descent converges from every start exactly when α < 2/λ_max(H).
Each check recomputes these from ``xs`` and ``ys``; the momentum check runs
:class:`nn.optim.SGD` on inputs of its own.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd import Value
from chainrule.course.diagnose import ExerciseFailed, require
from chainrule.course.exercises import Namespace, exercise
from nn.optim import SGD

START, RATE = (0.0, 0.0), 0.1
"""Exercise 6.1's start (w, b) and learning rate α."""

STEP = "w ← w − α ∂C/∂w, b ← b − α ∂C/∂b with ∂C/∂w = (1/m) Σ_i (w x_i + b − y_i) x_i"


def _data(ns: Namespace) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(ns["xs"], dtype=float), np.asarray(ns["ys"], dtype=float)


def _one_step(ns: Namespace, with_x: bool = True) -> tuple[float, float]:
    """(w1, b1) after one step from START; ``with_x=False``: the x_i of ∂C/∂w forgotten."""
    xs, ys = _data(ns)
    w, b = START
    residual = w * xs + b - ys
    dw = np.mean(residual * xs) if with_x else np.mean(residual)
    return w - RATE * dw, b - RATE * np.mean(residual)


@exercise("6.1", answers=("w1", "b1"), slips={
    "the x_i of ∂C/∂w is missing": lambda ns: dict(zip(("w1", "b1"), _one_step(ns, with_x=False))),
    "wrong sign": lambda ns: {"w1": -_one_step(ns)[0], "b1": -_one_step(ns)[1]},
    "1/m of the averaged cost is missing": lambda ns: {
        "w1": len(ns["xs"]) * _one_step(ns)[0], "b1": len(ns["xs"]) * _one_step(ns)[1]},
})
def _step_by_hand(ns: Namespace) -> None:
    w1, b1 = _one_step(ns)
    m = len(ns["xs"])
    forgot_x = _one_step(ns, with_x=False)[0]
    require("w1", ns["w1"], w1, equation=STEP, m=m,
            slips={"the x_i of ∂C/∂w is missing (that is ∂C/∂b's sum)": forgot_x})
    require("b1", ns["b1"], b1, equation="b ← b − α (1/m) Σ_i (w x_i + b − y_i)", m=m)


def _curvature(ns: Namespace) -> tuple[np.ndarray, np.ndarray, float]:
    """H, θ* and 2/λ_max of the notebook's quadratic cost, from xs and ys."""
    xs, ys = _data(ns)
    H = np.array([[np.mean(xs**2), np.mean(xs)], [np.mean(xs), 1.0]])
    theta_star = np.linalg.solve(H, [np.mean(xs * ys), np.mean(ys)])
    return H, theta_star, 2 / np.linalg.eigvalsh(H).max()


def _eigenvalues(ns: Namespace) -> np.ndarray:
    return np.linalg.eigvalsh(_curvature(ns)[0])


@exercise("6.2", answers=("H_by_hand", "theta_star", "alpha_max"), slips={
    "the smallest eigenvalue": lambda ns: {"alpha_max": 2 / _eigenvalues(ns).min()},
    "the 2 of 2/λ_max is missing": lambda ns: {"alpha_max": 1 / _eigenvalues(ns).max()},
    "λ_max/2": lambda ns: {"alpha_max": _eigenvalues(ns).max() / 2},
    "cross term ∂²C/∂w∂b taken as 0": lambda ns: {"H_by_hand": np.diag(np.diag(_curvature(ns)[0]))},
    "1/m of the averaged cost is missing": lambda ns: {"theta_star": _curvature(ns)[1] * len(ns["xs"])},
})
def _largest_rate(ns: Namespace) -> None:
    H, theta_star, alpha_max = _curvature(ns)
    m = len(ns["xs"])
    lam = np.linalg.eigvalsh(H)
    require("H_by_hand", ns["H_by_hand"], H, m=m,
            equation="H = [[∂²C/∂w², ∂²C/∂w∂b], [∂²C/∂b∂w, ∂²C/∂b²]] of C = 1/(2m) Σ_i (w x_i + b − y_i)²",
            slips={"the cross term ∂²C/∂w∂b taken as 0 (it is (1/m) Σ_i x_i)": np.diag(np.diag(H))})
    require("theta_star", ns["theta_star"], theta_star, m=m,
            equation="∇C(θ*) = 0, that is H θ* = ((1/m) Σ_i x_i y_i, (1/m) Σ_i y_i)")
    require("alpha_max", ns["alpha_max"], alpha_max, equation="α_max = 2/λ_max",
            slips={"2 over the smallest eigenvalue: the largest one, λ_max, sets the limit": 2 / lam.min(),
                   "the 2 of 2/λ_max is missing: |1 − αλ| < 1 holds up to α = 2/λ": 1 / lam.max(),
                   "λ_max/2 in place of 2/λ_max": lam.max() / 2})


def _sgd_momentum(theta: float, gradients: Sequence[float], lr: float, mu: float) -> float:
    """θ after one SGD step with momentum per gradient, by :class:`nn.optim.SGD`."""
    param = Value(theta)
    optimizer = SGD([param], lr=lr, momentum=mu)
    for g in gradients:
        param.grad = g
        optimizer.step()
    return param.data


def _without_memory(theta: float, gradients: Sequence[float], lr: float, mu: float) -> float:
    """The slip: v not kept between steps (plain gradient descent)."""
    for g in gradients:
        theta -= lr * g
    return theta


def _step_before_update(theta: float, gradients: Sequence[float], lr: float, mu: float) -> float:
    """The slip: θ moved by the old v, then v updated (each step one gradient late)."""
    v = 0.0
    for g in gradients:
        theta -= lr * v
        v = mu * v + g
    return theta


def _cases() -> list[tuple[float, list[float], float, float]]:
    """The notebook's three gradients, then fresh ones (a new draw at each check)."""
    rng = random.Random()
    fresh = [(rng.uniform(-2, 2), [rng.uniform(-1, 1) for _ in range(rng.randint(3, 6))],
              rng.uniform(0.01, 0.3), rng.uniform(0.5, 0.95)) for _ in range(3)]
    return [(1.0, [0.5, 0.2, -0.3], 0.1, 0.9), *fresh]


MomentumStep = Callable[[float, Sequence[float], float, float], Any]


@exercise("6.3", answers=("momentum_steps",), slips={
    "v is not kept between steps": lambda ns: {"momentum_steps": _without_memory},
    "moved by the old v": lambda ns: {"momentum_steps": _step_before_update},
})
def _momentum(ns: Namespace) -> None:
    steps: MomentumStep = ns["momentum_steps"]
    if not callable(steps):
        raise ExerciseFailed("momentum_steps must be a function momentum_steps(theta, gradients, lr, mu)")
    for theta, gradients, lr, mu in _cases():
        require("momentum_steps(theta, gradients, lr, mu)", steps(theta, list(gradients), lr, mu),
                _sgd_momentum(theta, gradients, lr, mu),
                equation="v ← μ v + g (v = g at the first step), θ ← θ − α v, once per gradient",
                slips={"v is not kept between steps: that is plain gradient descent":
                       _without_memory(theta, gradients, lr, mu),
                       "θ is moved by the old v before v takes in the new gradient":
                       _step_before_update(theta, gradients, lr, mu)})
