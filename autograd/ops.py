r"""The table of primitive operations: each forward rule beside its local derivatives.

Every row of :data:`OPS` is an :class:`Op`: a symbol (what a graph shows), a
``forward`` rule on plain floats, and ``partials``, the local derivatives of the
result with respect to each operand,

    partials(out, *operands, *params) = (d out / d operand_0, d out / d operand_1, ...)

where ``out`` is the result already computed. ``partials`` is written with the
dual functions below (:func:`exp`, :func:`log`, :func:`sin`, ...), so the same
rule works on floats (first-order backward) and on ``Value`` objects (backward
with ``create_graph=True``, which builds gradients of gradients). The engine
multiplies a local derivative by the upstream gradient and adds it to the
operand; nothing else in chainrule knows calculus.

Numerical conventions (IEEE 754, as PyTorch):
    * overflow gives ``inf`` rather than an exception: ``exp(1000) = inf``;
    * a derivative that is infinite at a point (``sqrt`` at 0) is ``inf``;
    * domain errors in the forward pass raise at once (``log`` of 0 or of a
      negative number, ``sqrt`` of a negative number, a negative base with a
      non-integer exponent, zero to a negative power) with a message naming the
      operation and the operand.

This module imports nothing but :mod:`math`; it never imports ``Value`` (the
dual functions dispatch on the operand having the method of the same name).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# ---------------------------------------------------------------------------
# Dual functions: floats in, float out; Values in, Value out.
# ---------------------------------------------------------------------------


def _is_float(x: Any) -> bool:
    return isinstance(x, (float, int))


def exp(x: Any) -> Any:
    r"""e^x; ``inf`` on overflow (IEEE)."""
    if _is_float(x):
        try:
            return math.exp(x)
        except OverflowError:
            return math.inf
    return x.exp()


def log(x: Any) -> Any:
    r"""Natural logarithm, defined for x > 0."""
    return math.log(x) if _is_float(x) else x.log()


def sin(x: Any) -> Any:
    return math.sin(x) if _is_float(x) else x.sin()


def cos(x: Any) -> Any:
    return math.cos(x) if _is_float(x) else x.cos()


def sigmoid(x: Any) -> Any:
    r"""σ(x) = 1 / (1 + e^{-x}), evaluated without overflow for any float."""
    if _is_float(x):
        # NOTE: numerical stability: only ever exponentiate a non-positive number.
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)
    return x.sigmoid()


def power(x: Any, p: float) -> Any:
    r"""x^p for a constant p; ``inf`` where IEEE gives it (0^{-1}, overflow)."""
    if _is_float(x):
        try:
            return float(x) ** p
        except ZeroDivisionError:
            return math.inf
        except OverflowError:
            return math.inf
    return x**p


def reciprocal_scaled(c: float, x: Any) -> Any:
    r"""c / x; for floats ``±inf`` at x = 0 (IEEE), for Values a clear error."""
    if _is_float(x):
        if x == 0:
            return math.copysign(math.inf, c) if c else math.nan
        return c / x
    if x.data == 0:
        raise ZeroDivisionError(
            "derivative is infinite at 0: cannot build the graph of this gradient "
            "(create_graph=True) at a singular point"
        )
    return c * x**-1


# ---------------------------------------------------------------------------
# Forward rules on floats, with their domain checks.
# ---------------------------------------------------------------------------


def _pow_forward(x: float, y: float) -> float:
    r"""x^y for floats, raising domain errors that name the operands."""
    if x == 0 and y < 0:
        raise ZeroDivisionError(f"pow: 0.0 ** {y!r} divides by zero")
    if x < 0 and not float(y).is_integer():
        raise ValueError(
            f"pow: a negative base ({x!r}) needs an integer exponent, got {y!r} "
            "(the result would be complex)"
        )
    try:
        return float(x) ** y
    except OverflowError:
        return math.copysign(math.inf, x) if float(y) % 2 == 1 else math.inf


def _log_forward(x: float) -> float:
    if x <= 0:
        raise ValueError(f"log: operand must be > 0, got {x!r}")
    return math.log(x)


def _sqrt_forward(x: float) -> float:
    if x < 0:
        raise ValueError(f"sqrt: operand must be >= 0, got {x!r}")
    return math.sqrt(x)


def _softplus_forward(x: float) -> float:
    # NOTE: numerical stability: log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}).
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _pow_partials(out: Any, x: Any, y: Any) -> tuple[Any, Any]:
    r"""d/dx x^y = y x^{y-1};  d/dy x^y = x^y log x (0 at x = 0, NaN for x < 0, as PyTorch)."""
    dx = y * power(x, y - 1)
    x_data = x if _is_float(x) else x.data
    if x_data > 0:
        dy = out * log(x)
    elif x_data == 0:
        dy = 0.0
    else:
        dy = math.nan
    return dx, dy


def _step(x: Any) -> float:
    return 1.0 if x > 0 else 0.0


def _sign(x: Any) -> float:
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


def _swish_partials(out: Any, x: Any) -> tuple[Any]:
    r"""d/dx x σ(x) = σ(x) + x σ(x)(1 - σ(x))."""
    s = sigmoid(x)
    return (s + x * s * (1.0 - s),)


# ---------------------------------------------------------------------------
# The table.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """One primitive operation: its symbol, forward rule and local derivatives.

    Attributes:
        name: Key in :data:`OPS` (``"add"``, ``"tanh"``, ...).
        symbol: What a rendered graph shows (``"+"``, ``"tanh"``, ``"**2"``).
        arity: Number of ``Value`` operands.
        forward: ``forward(*operand_floats, *params) -> float``.
        partials: ``partials(out, *operands, *params) -> tuple``; one local
            derivative per operand, on floats or on Values alike.
        params: Constants of this instance (the exponent of ``x**2``, the slope
            of a leaky ReLU); they are not operands and receive no gradient.
    """

    name: str
    symbol: str
    arity: int
    forward: Callable[..., float]
    partials: Callable[..., tuple]
    params: tuple = ()


# fmt: off
# Each row: name, symbol shown in graphs, arity, forward rule, local derivatives.
ADD = Op("add", "+", 2, lambda x, y: x + y,
         lambda out, x, y: (1.0, 1.0))                     # d(x+y)/dx = 1, d(x+y)/dy = 1
MUL = Op("mul", "*", 2, lambda x, y: x * y,
         lambda out, x, y: (y, x))                         # d(xy)/dx = y, d(xy)/dy = x
POW = Op("pow", "**", 2, _pow_forward,
         _pow_partials)                                    # y x^{y-1}, x^y log x
EXP = Op("exp", "exp", 1, exp,
         lambda out, x: (out,))                            # d/dx e^x = e^x: reuse the output
LOG = Op("log", "log", 1, _log_forward,
         lambda out, x: (reciprocal_scaled(1.0, x),))      # d/dx log x = 1/x
SQRT = Op("sqrt", "sqrt", 1, _sqrt_forward,
          lambda out, x: (reciprocal_scaled(0.5, out),))   # d/dx √x = 1/(2√x): reuse the output; inf at 0
TANH = Op("tanh", "tanh", 1, math.tanh,
          lambda out, x: (1.0 - out * out,))               # d/dx tanh x = 1 - tanh^2 x: reuse the output
SIGMOID = Op("sigmoid", "sigmoid", 1, sigmoid,
             lambda out, x: (out * (1.0 - out),))          # d/dx σ(x) = σ(x)(1 - σ(x)): reuse the output
RELU = Op("relu", "ReLU", 1, lambda x: x if x > 0 else 0.0,
          lambda out, x: (_step(x),))                      # 1 if x > 0 else 0 (0 at x = 0, as PyTorch)
SWISH = Op("swish", "swish", 1, lambda x: x * sigmoid(x),
           _swish_partials)                                # σ(x) + x σ(x)(1 - σ(x))
SOFTPLUS = Op("softplus", "softplus", 1, _softplus_forward,
              lambda out, x: (sigmoid(x),))                # d/dx log(1 + e^x) = σ(x)
SIN = Op("sin", "sin", 1, math.sin,
         lambda out, x: (cos(x),))                         # d/dx sin x = cos x
COS = Op("cos", "cos", 1, math.cos,
         lambda out, x: (-1.0 * sin(x),))                  # d/dx cos x = -sin x
ABS = Op("abs", "abs", 1, abs,
         lambda out, x: (_sign(x),))                       # d/dx |x| = sign x (0 at x = 0, as PyTorch)
# fmt: on

OPS: dict[str, Op] = {
    op.name: op
    for op in (ADD, MUL, POW, EXP, LOG, SQRT, TANH, SIGMOID, RELU, SWISH, SOFTPLUS, SIN, COS, ABS)
}
"""Primitive operations by name. Parameterised ones (:func:`pow_const`,
:func:`leaky_relu`) are built on demand and cached."""

SYMBOLS: dict[str, Op] = {op.symbol: op for op in OPS.values()} | {
    op.name: op for op in OPS.values()
}
"""Lookup by the symbol a graph shows or by name (``"+"``, ``"add"``, ``"tanh"``)."""


@lru_cache(maxsize=256)
def pow_const(p: float) -> Op:
    r"""x ** p for a constant exponent p: d/dx x^p = p x^{p-1}."""
    shown = int(p) if float(p).is_integer() else p
    return Op(
        "pow_const",
        f"**{shown}",
        1,
        lambda x, p: _pow_forward(x, p),
        lambda out, x, p: (p * power(x, p - 1),),
        (p,),
    )


@lru_cache(maxsize=256)
def leaky_relu(alpha: float) -> Op:
    r"""Leaky ReLU: f(x) = x if x > 0 else αx;  f'(x) = 1 if x > 0 else α."""
    return Op(
        "leaky_relu",
        "LeakyReLU" if alpha == 0.01 else f"LeakyReLU({alpha:g})",
        1,
        lambda x, a: x if x > 0 else a * x,
        lambda out, x, a: (1.0 if x > 0 else a,),
        (alpha,),
    )
