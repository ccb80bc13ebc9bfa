r"""The checks of notebook 03 (neuron, layer, forward pass): each reference comes from the engine.

* 3.1 ``forward(W1, b1, W2, b2, x)``: a^2 of a tanh-sigmoid network, against
  ``MLP.from_weights`` on weights the check draws (a square W^1 first, so that
  W^T in place of W gives an answer of the right shape);
* 3.2 ``tanh_steps(z)``: the derivation of tanh' in steps, tanh = n/p with
  n = e^z - e^{-z}, p = e^z + e^{-z}, returning (dn/dz, dp/dz, d tanh/dz),
  each against ``backward()`` through the engine's graph of that expression;
* 3.3 ``swish_prime(z)``: the product rule on z σ(z), against ``grad``.

The functions are called on inputs the check chooses, some drawn afresh at
each check, so a typed number cannot pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd import Value, grad
from chainrule.course.diagnose import ExerciseFailed, require
from chainrule.course.exercises import Namespace, exercise
from nn import MLP

Array = np.ndarray


def calls(name: str, f: Any, *args: Any) -> Any:
    """``f(*args)``, or ExerciseFailed naming the error ``f`` raised (NotImplementedError passes through)."""
    if not callable(f):
        raise ExerciseFailed(f"{name.split('(')[0]} is a {type(f).__name__}, not a function: define it with def")
    try:
        return f(*args)
    except (NotImplementedError, ExerciseFailed):
        raise
    except Exception as error:  # the student's function failed: say how, not where the reference is
        raise ExerciseFailed(f"{name} raised {type(error).__name__}: {error}") from None


def _sigma(t: Array) -> Array:
    return 1 / (1 + np.exp(-t))


# ---- 3.1: a forward pass ------------------------------------------------------------------

def _forward_slips() -> dict[str, Callable[..., Array]]:
    """Wrong forward passes, by the slip each makes."""
    return {
        "the sigmoid in the hidden layer, where tanh is due": (
            lambda W1, b1, W2, b2, x: _sigma(W2 @ _sigma(W1 @ x + b1) + b2)),
        "no activation in the hidden layer (a^1 = z^1)": (
            lambda W1, b1, W2, b2, x: _sigma(W2 @ (W1 @ x + b1) + b2)),
        "the biases left out": (
            lambda W1, b1, W2, b2, x: _sigma(W2 @ np.tanh(W1 @ x))),
        "W^T a where W a is due (row j of W^l receives, column k sends)": (
            lambda W1, b1, W2, b2, x: _sigma(W2 @ np.tanh(W1.T @ x + b1) + b2)),
    }


FORWARD_SLIPS = _forward_slips()


def _forward_cases() -> list[tuple[Array, ...]]:
    """(W1, b1, W2, b2, x) to try: a 3-3-2 network first (W^1 square), then 3-4-2 and 2-5-3, one drawn afresh."""
    cases: list[tuple[Array, ...]] = []
    for seed, (n0, n1, n2) in [(31, (3, 3, 2)), (32, (3, 4, 2)), (None, (2, 5, 3))]:
        rng = np.random.default_rng(seed)
        cases.append((rng.normal(size=(n1, n0)), rng.normal(size=n1), rng.normal(size=(n2, n1)),
                      rng.normal(size=n2), rng.normal(size=n0)))
    return cases


@exercise("3.1", answers=("forward",), slips={
    phrase: (lambda ns, _f=f: {"forward": _f}) for phrase, f in FORWARD_SLIPS.items()
})
def _check_forward(ns: Namespace) -> None:
    name = "forward(W1, b1, W2, b2, x)"
    for W1, b1, W2, b2, x in _forward_cases():
        net = MLP.from_weights([W1, W2], [b1, b2], activation="tanh", output_activation="sigmoid")
        expected = np.array([o.data for o in net.forward(list(x))])
        slips = {}
        for phrase, slip in FORWARD_SLIPS.items():
            try:
                slips[phrase] = slip(W1, b1, W2, b2, x)
            except ValueError:  # W^T does not fit a layer that is not square
                continue
        got = calls(name, ns["forward"], W1, b1, W2, b2, x)
        require(name, got, expected, equation="z^l = W^l a^(l-1) + b^l, a^1 = tanh(z^1), a^2 = σ(z^2)",
                slips=slips)


# ---- 3.2: tanh' in steps -----------------------------------------------------------------

STEP_NAMES = ("dn_dz", "dp_dz", "dt_dz")


def _steps_by_the_engine(t: float) -> dict[str, float]:
    """dn/dz, dp/dz and d tanh/dz at z = t, from backward() through n = e^z - e^{-z}, p = e^z + e^{-z}, n/p."""
    found = {}
    for name, build in (("dn_dz", lambda z: z.exp() - (-z).exp()),
                        ("dp_dz", lambda z: z.exp() + (-z).exp()),
                        ("dt_dz", lambda z: (z.exp() - (-z).exp()) / (z.exp() + (-z).exp()))):
        z = Value(t)
        build(z).backward()
        found[name] = float(z.grad)  # a float: backward() without create_graph
    return found


def _step_slips(t: float) -> dict[str, dict[str, float]]:
    """Slipped steps at z = t: the description -> {step name: its slipped value}."""
    n, p = math.exp(t) - math.exp(-t), math.exp(t) + math.exp(-t)
    return {
        "the inner derivative of e^{-z} is -1: its minus sign is lost in dn/dz": {"dn_dz": n},
        "the inner derivative of e^{-z} is -1: its minus sign is lost in dp/dz": {"dp_dz": p},
        "tanh(z) where tanh'(z) is due": {"dt_dz": n / p},
        "1 - tanh(z): the square of tanh is lost": {"dt_dz": 1 - n / p},
        "the quotient rule without its denominator p^2 (n' p - n p')": {"dt_dz": p * p - n * n},
    }


def _right_steps(t: float) -> dict[str, float]:
    return {"dn_dz": math.exp(t) + math.exp(-t), "dp_dz": math.exp(t) - math.exp(-t),
            "dt_dz": 1 - math.tanh(t) ** 2}


def _steps_with(phrase: str) -> Callable[[float], tuple[float, float, float]]:
    def slipped(t: float) -> tuple[float, float, float]:
        steps = {**_right_steps(t), **_step_slips(t)[phrase]}
        dn_dz, dp_dz, dt_dz = (steps[k] for k in STEP_NAMES)
        return dn_dz, dp_dz, dt_dz
    return slipped


def _fresh_z() -> float:
    return float(np.random.default_rng().uniform(-2.5, 2.5))


@exercise("3.2", answers=("tanh_steps",), slips={
    phrase: (lambda ns, _p=phrase: {"tanh_steps": _steps_with(_p)}) for phrase in _step_slips(1.0)
})
def _check_tanh_steps(ns: Namespace) -> None:
    equations = {"dn_dz": "the derivative of n = e^z - e^{-z}",
                 "dp_dz": "the derivative of p = e^z + e^{-z}",
                 "dt_dz": "the quotient rule, (n/p)' = (n' p - n p')/p^2"}
    for t in (-1.3, 0.6, _fresh_z()):
        got = calls("tanh_steps(z)", ns["tanh_steps"], t)
        if not isinstance(got, Sequence) or isinstance(got, str) or len(got) != 3:
            raise ExerciseFailed("tanh_steps(z) returns the three numbers dn_dz, dp_dz, dt_dz, as a tuple")
        engine = _steps_by_the_engine(t)
        slips = _step_slips(t)
        for name, value in zip(STEP_NAMES, got):
            require(f"{name} of tanh_steps(z)", value, engine[name], equation=equations[name],
                    slips={p: s[name] for p, s in slips.items() if name in s})


# ---- 3.3: the derivative of Swish ---------------------------------------------------------

def _swish_slips(t: float) -> dict[str, float]:
    s = 1 / (1 + math.exp(-t))
    return {
        "σ'(z) left out of the second term of the product rule (σ(z) + z σ(z))": s + t * s,
        "only the first term of the product rule (σ(z)); (z σ(z))' = z' σ(z) + z σ'(z)": s,
        "only the second term of the product rule (z σ'(z)); (z σ(z))' = z' σ(z) + z σ'(z)": t * s * (1 - s),
    }


@exercise("3.3", answers=("swish_prime",), slips={
    phrase: (lambda ns, _p=phrase: {"swish_prime": lambda t: _swish_slips(t)[_p]}) for phrase in _swish_slips(1.0)
})
def _check_swish_prime(ns: Namespace) -> None:
    for t in (-3.0, 1.5, _fresh_z()):
        (expected,) = grad(lambda v: v.swish())(t)
        got = calls("swish_prime(z)", ns["swish_prime"], t)
        require("swish_prime(z)", got, expected, equation="the product rule on z σ(z)", slips=_swish_slips(t))
