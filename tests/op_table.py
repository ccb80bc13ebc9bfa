"""The tests' table of operations: one row per row of ``autograd.ops.OPS``.

Each case gives the operation's independent oracles: the same function on
floats (``math``), its PyTorch form (given the torch module and float64
tensors), one input strategy per operand (inside the domain, away from kinks
where a central difference is not the derivative), and the constants to bind
for rows that take one (the slope of the leaky ReLU, the exponent of ``x**p``).
Each case also names the extremes of its operands (``edges``, one list per
operand, default :data:`EVERY_FLOAT`): zeros of both signs, subnormals, tiny,
huge and largest floats, both infinities and NaN, and the points where an
operation changes form (softplus's threshold 20, exp's overflow at 709.78).
``tests/test_op_table.py`` checks every combination against PyTorch float64
at first and second order: inside the domain the numbers agree, outside it the
engine raises where PyTorch gives inf or NaN (the README's one difference).
``tests/test_op_table.py`` fails when a row of the table has no case here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

POSITIVE = st.floats(min_value=0.1, max_value=20.0)
ANY = st.floats(min_value=-8.0, max_value=8.0)
AWAY_FROM_ZERO = ANY.filter(lambda x: abs(x) > 1e-3)
NEAR_ZERO = st.floats(min_value=-1.2, max_value=1.2)

_MAX = 1.7976931348623157e308
POSITIVE_EDGES = (5e-324, 2.2e-308, 1e-300, 1e-160, 1e-8, 0.5, 1.0, 3.0, 20.0, 20.5, 36.0,
                  709.0, 710.0, 1e15, 1e154, 1e200, _MAX, math.inf)
EVERY_FLOAT = (0.0, -0.0, math.nan, *POSITIVE_EDGES, *(-x for x in POSITIVE_EDGES), -745.5)
"""The extremes every operand is sampled at (within a row's domain, or across it)."""
EXPONENT_EDGES = (0.0, -0.0, math.nan, 0.5, 1.0, 2.0, 3.0, -1.0, -1.5, -2.0, 400.0, -400.0,
                  1e-300, 1e300, math.inf, -math.inf)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _fold(terms):
    """x_1 + x_2 + ... written out, left to right (floats or tensors)."""
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _pow_known(xs: tuple[float, ...], entry: str) -> str | None:
    """Why the engine's x**y may differ from PyTorch's at an entry (README, "The numbers PyTorch gives")."""
    x, y = xs
    if entry.startswith("d2") and (x == 0 or y == 0 or (x != x)):
        return "PyTorch's masks (where) at exponent 0 or base 0 leak NaN into its second derivatives"
    return _subnormal_divisor(xs, entry)


def _subnormal_divisor(xs: tuple[float, ...], entry: str) -> str | None:
    if entry.startswith("d2") and any(0 < abs(x) < 2.2250738585072014e-308 for x in xs):
        return "1/x overflows for a subnormal x: the local derivative 1/x times the gradient, PyTorch's gradient / x"
    return None


def _pow_const_known(xs: tuple[float, ...], entry: str) -> str | None:
    """``xs`` is (x, p). PyTorch computes x**±0.5 as sqrt and rsqrt, which differ from C's pow at -0 and -inf."""
    x, p = xs
    if abs(p) == 0.5 and (x == -math.inf or (x == 0 and math.copysign(1.0, x) < 0)):
        return "PyTorch takes x**0.5 as sqrt: (-0.0)**-0.5 is -inf and (-inf)**0.5 NaN there, +inf in C's pow"
    return _subnormal_divisor(xs[:1], entry)


def _weighted_sum(xs):
    """b + Σ_k w_k a_k, micrograd's order: the bias first (0 without one), then each product, left to right."""
    n = len(xs) // 2
    return _fold(list(xs[2 * n :]) + [xs[k] * xs[k + n] for k in range(n)])


@dataclass(frozen=True)
class Case:
    """Oracles for one operation: ``f`` on floats, ``torch_f(torch, *tensors)``, domains.

    ``known(point, entry)`` names the documented reason the engine differs from
    PyTorch at that entry (``"d2/dx0dx1"``) of that point (operands, then the
    constant), or None.
    """

    f: Callable[..., float]
    torch_f: Callable[..., object]
    domains: tuple
    constants: tuple[float, ...] = ()
    edges: tuple[tuple[float, ...], ...] = ()
    edge_constants: tuple[float, ...] = ()
    known: Callable[[tuple[float, ...], str], str | None] = lambda xs, entry: None

    def edge_sets(self) -> tuple[tuple[float, ...], ...]:
        """One tuple of extreme values per operand."""
        return self.edges or (EVERY_FLOAT,) * len(self.domains)


# fmt: off
OP_CASES: dict[str, Case] = {
    "add": Case(lambda x, y: x + y, lambda t, x, y: x + y, (ANY, ANY)),
    "mul": Case(lambda x, y: x * y, lambda t, x, y: x * y, (ANY, ANY)),
    "div": Case(lambda x, y: x / y, lambda t, x, y: x / y, (ANY, POSITIVE)),
    "sum": Case(lambda *xs: _fold(xs), lambda t, *xs: _fold(xs), (ANY,) * 5),
    # operands (w_1, w_2, w_3, a_1, a_2, a_3, b): tested with 7, any count works
    "weighted_sum": Case(lambda *xs: _weighted_sum(xs), lambda t, *xs: _weighted_sum(xs), (ANY,) * 7),
    "pow": Case(lambda x, y: x**y, lambda t, x, y: x**y, (POSITIVE, st.floats(-3, 3)),
                edges=(EVERY_FLOAT, EXPONENT_EDGES), known=_pow_known),
    "pow_const": Case(lambda x, p: x**p, lambda t, x, p: x**p, (POSITIVE,), (2.0, 3.0, -1.5, 0.5),
                      edge_constants=EXPONENT_EDGES, known=_pow_const_known),
    "exp": Case(math.exp, lambda t, x: t.exp(x), (ANY,)),
    "log": Case(math.log, lambda t, x: t.log(x), (POSITIVE,)),
    "sqrt": Case(math.sqrt, lambda t, x: t.sqrt(x), (POSITIVE,)),
    "tanh": Case(math.tanh, lambda t, x: t.tanh(x), (ANY,)),
    "sigmoid": Case(_sigmoid, lambda t, x: t.sigmoid(x), (ANY,)),
    "relu": Case(lambda x: max(0.0, x), lambda t, x: t.relu(x), (AWAY_FROM_ZERO,)),
    "leaky_relu": Case(lambda x, a: x if x > 0 else a * x,
                       lambda t, x, a: t.nn.functional.leaky_relu(x, a), (AWAY_FROM_ZERO,), (0.01, 0.2),
                       edge_constants=(0.0, 1e-300, 0.01, 1.0, 1e300)),
    "swish": Case(lambda x: x * _sigmoid(x), lambda t, x: t.nn.functional.silu(x), (ANY,)),
    "softplus": Case(lambda x: x if x > 20 else math.log1p(math.exp(x)),
                     lambda t, x: t.nn.functional.softplus(x), (ANY,)),
    "sin": Case(math.sin, lambda t, x: t.sin(x), (ANY,)),
    "cos": Case(math.cos, lambda t, x: t.cos(x), (ANY,)),
    "tan": Case(math.tan, lambda t, x: t.tan(x), (NEAR_ZERO,)),
    "abs": Case(abs, lambda t, x: t.abs(x), (AWAY_FROM_ZERO,)),
}
# fmt: on
