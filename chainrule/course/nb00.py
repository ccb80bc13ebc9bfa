r"""The checks of notebook 0's exercises: the central difference, a gradient by hand, the chain rule.

* 0.1 ``central_difference(func, x, h)`` is called on functions, points and
  steps of the check's choosing (some drawn afresh each time), with steps large
  enough that a forward difference, a step of h instead of 2h, ``/ 2 * h`` and
  a step of the function's own choosing each give visibly different numbers.
* 0.2 ``dfdx``, ``dfdy`` for :math:`f(x, y) = x^2 y + \sin y` at (1, 2), asked
  exactly: a finite difference agrees to a few digits only and is named.
* 0.3 ``h_prime(x)`` for :math:`h(x) = e^{\sin x}`, asked exactly, at fixed
  and fresh points: a numerical derivative, a missing inner derivative, the
  outer derivative taken at x instead of at u = sin x, and a wrong sign are
  each named.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from chainrule.course.diagnose import NUMERICAL, require
from chainrule.course.exercises import Namespace, exercise

Call = tuple[Callable[[float], float], float, float]
"""A function, a point and a step."""


def _cube(t: float) -> float:
    return t**3


def _wave(t: float) -> float:
    return math.sin(3 * t) + t**3


def _calls() -> list[Call]:
    """Where 0.1 is tried: curved functions (f'' and f''' nonzero) with large steps, three of them fresh."""
    rng = np.random.default_rng()
    fresh = [(_wave, float(x), float(h)) for x, h in zip(rng.uniform(-2, 2, 3), rng.uniform(0.05, 0.5, 3))]
    return [(_cube, 2.0, 0.1), (math.exp, 0.0, 0.5), (math.sin, 1.0, 0.3), *fresh]


def _central(func: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    return (func(x + h) - func(x - h)) / (2 * h)


def _forward(func: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    return (func(x + h) - func(x)) / h


def _over_h(func: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    return (func(x + h) - func(x - h)) / h


def _precedence(func: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    return (func(x + h) - func(x - h)) / 2 * h


def _own_step(func: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    return _central(func, x, 1e-5)


CENTRAL_SLIPS: dict[str, Callable[..., float]] = {
    "a forward difference (f(x + h) - f(x)) / h, where the central one steps to both sides": _forward,
    "the step from x - h to x + h is 2h: divide by 2h, not by h": _over_h,
    "/ 2 * h divides by 2 and then multiplies by h: write / (2 * h)": _precedence,
    "the step h passed in is not used: step by h": _own_step,
}


def _results(func: Callable[..., Any], calls: Sequence[Call]) -> list[Any]:
    return [func(f, x, h) for f, x, h in calls]


@exercise("0.1", answers=("central_difference",), slips={
    phrase: (lambda ns, slip=slip: {"central_difference": slip}) for phrase, slip in CENTRAL_SLIPS.items()
})
def _central_difference(ns: Namespace) -> None:
    calls = _calls()
    require(
        "central_difference(f, x, h)",
        _results(ns["central_difference"], calls),
        _results(_central, calls),
        equation="the central difference (f(x + h) - f(x - h)) / (2h)",
        slips={phrase: _results(slip, calls) for phrase, slip in CENTRAL_SLIPS.items()},
    )


def _f2(x: float, y: float) -> float:
    return x**2 * y + math.sin(y)


def _partials(x: float, y: float) -> dict[str, float]:
    """∂f/∂x = 2xy and ∂f/∂y = x² + cos y."""
    return {"dfdx": 2 * x * y, "dfdy": x**2 + math.cos(y)}


def _numerical_partials(x: float, y: float, h: float = 1e-6) -> dict[str, float]:
    return {"dfdx": _central(lambda t: _f2(t, y), x, h), "dfdy": _central(lambda t: _f2(x, t), y, h)}


GRADIENT_SLIPS: dict[str, Callable[[float, float], dict[str, float]]] = {
    "y is a constant factor of x² y and stays in ∂/∂x: 2xy, not 2x": lambda x, y: {"dfdx": 2 * x},
    "sin y depends on y too: ∂f/∂y has a term from each of the two terms of f": lambda x, y: {"dfdy": x**2},
    "the derivative of sin y is cos y, not -cos y": lambda x, y: {"dfdy": x**2 - math.cos(y)},
    NUMERICAL: _numerical_partials,
}


@exercise("0.2", answers=("dfdx", "dfdy"), slips={
    phrase: (lambda ns, slip=slip: slip(1.0, 2.0)) for phrase, slip in GRADIENT_SLIPS.items()
})
def _gradient_by_hand(ns: Namespace) -> None:
    right = _partials(1.0, 2.0)
    equations = {"dfdx": "∂f/∂x at (1, 2)", "dfdy": "∂f/∂y at (1, 2)"}
    for name in ("dfdx", "dfdy"):
        slips = {phrase: {**right, **slip(1.0, 2.0)}[name] for phrase, slip in GRADIENT_SLIPS.items()}
        require(name, ns[name], right[name], equation=equations[name], slips=slips, exact=True)


def _h_prime(x: float) -> float:
    """h'(x) = e^{sin x} cos x: the outer derivative at u = sin x times the inner derivative."""
    return math.exp(math.sin(x)) * math.cos(x)


CHAIN_SLIPS: dict[str, Callable[[float], float]] = {
    NUMERICAL: lambda x: _central(lambda t: math.exp(math.sin(t)), x, 1e-6),
    "the inner derivative d(sin x)/dx = cos x is missing": lambda x: math.exp(math.sin(x)),
    "the outer derivative e^u is taken at x, where it is due at u = sin x": lambda x: math.exp(x) * math.cos(x),
    "the derivative of sin x is cos x, not -cos x": lambda x: -math.exp(math.sin(x)) * math.cos(x),
}


@exercise("0.3", answers=("h_prime",), slips={
    phrase: (lambda ns, slip=slip: {"h_prime": slip}) for phrase, slip in CHAIN_SLIPS.items()
})
def _chain_rule(ns: Namespace) -> None:
    points = [-2.0, 0.0, 0.7, 3.0, *np.random.default_rng().uniform(-3.0, 3.0, 4).tolist()]
    require(
        "h_prime(x)",
        [ns["h_prime"](x) for x in points],
        [_h_prime(x) for x in points],
        equation="the chain rule for e^(sin x)",
        slips={phrase: [slip(x) for x in points] for phrase, slip in CHAIN_SLIPS.items()},
        exact=True,
    )
