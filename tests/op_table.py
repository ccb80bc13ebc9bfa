"""The tests' table of operations: one row per row of ``autograd.ops.OPS``.

Each case gives the operation's independent oracles: the same function on
floats (``math``), its PyTorch form (given the torch module and float64
tensors), one input strategy per operand (inside the domain, away from kinks
where a central difference is not the derivative), and the constants to bind
for rows that take one (the slope of the leaky ReLU, the exponent of ``x**p``).
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


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _fold(terms):
    """x_1 + x_2 + ... written out, left to right (floats or tensors)."""
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


@dataclass(frozen=True)
class Case:
    """Oracles for one operation: ``f`` on floats, ``torch_f(torch, *tensors)``, domains."""

    f: Callable[..., float]
    torch_f: Callable[..., object]
    domains: tuple
    constants: tuple[float, ...] = ()


# fmt: off
OP_CASES: dict[str, Case] = {
    "add": Case(lambda x, y: x + y, lambda t, x, y: x + y, (ANY, ANY)),
    "mul": Case(lambda x, y: x * y, lambda t, x, y: x * y, (ANY, ANY)),
    "div": Case(lambda x, y: x / y, lambda t, x, y: x / y, (ANY, POSITIVE)),
    "sum": Case(lambda *xs: _fold(xs), lambda t, *xs: _fold(xs), (ANY,) * 5),
    # operands (w_1, w_2, w_3, a_1, a_2, a_3, b)
    "weighted_sum": Case(lambda *xs: _fold([xs[k] * xs[k + 3] for k in range(3)] + [xs[6]]),
                         lambda t, *xs: _fold([xs[k] * xs[k + 3] for k in range(3)] + [xs[6]]),
                         (ANY,) * 7),
    "pow": Case(lambda x, y: x**y, lambda t, x, y: x**y, (POSITIVE, st.floats(-3, 3))),
    "pow_const": Case(lambda x, p: x**p, lambda t, x, p: x**p, (POSITIVE,), (2.0, 3.0, -1.5, 0.5)),
    "exp": Case(math.exp, lambda t, x: t.exp(x), (ANY,)),
    "log": Case(math.log, lambda t, x: t.log(x), (POSITIVE,)),
    "sqrt": Case(math.sqrt, lambda t, x: t.sqrt(x), (POSITIVE,)),
    "tanh": Case(math.tanh, lambda t, x: t.tanh(x), (ANY,)),
    "sigmoid": Case(_sigmoid, lambda t, x: t.sigmoid(x), (ANY,)),
    "relu": Case(lambda x: max(0.0, x), lambda t, x: t.relu(x), (AWAY_FROM_ZERO,)),
    "leaky_relu": Case(lambda x, a: x if x > 0 else a * x,
                       lambda t, x, a: t.nn.functional.leaky_relu(x, a), (AWAY_FROM_ZERO,), (0.01, 0.2)),
    "swish": Case(lambda x: x * _sigmoid(x), lambda t, x: t.nn.functional.silu(x), (ANY,)),
    "softplus": Case(lambda x: math.log1p(math.exp(x)), lambda t, x: t.nn.functional.softplus(x), (ANY,)),
    "sin": Case(math.sin, lambda t, x: t.sin(x), (ANY,)),
    "cos": Case(math.cos, lambda t, x: t.cos(x), (ANY,)),
    "tan": Case(math.tan, lambda t, x: t.tan(x), (NEAR_ZERO,)),
    "abs": Case(abs, lambda t, x: t.abs(x), (AWAY_FROM_ZERO,)),
}
# fmt: on
