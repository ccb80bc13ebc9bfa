"""A random program evaluated exactly enough to say who is right: mpmath at 60 digits.

Where the engine and PyTorch float64 disagree beyond rounding, the fuzzer
(``tests/fuzz_graphs.py``) asks this oracle for the entry's value to 60
significant digits (``mpmath.diff`` for the derivatives). When the engine
agrees with it and PyTorch does not, the disagreement is PyTorch's float64
rounding, not a wrong rule of the engine. The rows are written here as
mathematics, on ``mpmath`` numbers, with the engine's own conventions where
they are definitions (softplus returns x above 20, as PyTorch's; relu'(0) = 0).
"""

from __future__ import annotations

from collections.abc import Sequence

import mpmath as mp

DIGITS = 60


def _tanh(x):
    # NOTE: mpmath's tanh of a huge argument computes cosh and sinh at a precision that exhausts
    # memory; beyond |x| = 100, tanh is ±1 to far more than 60 digits (1 - 2 e^{-200}).
    if abs(x) > 100:
        return mp.sign(x) * (1 - 2 * mp.exp(-200)) if mp.isfinite(x) else mp.sign(x)
    return mp.tanh(x)


def _softplus(x):
    return x if x > 20 else mp.log1p(mp.exp(x))


ROWS = {
    "add": lambda x, y: x + y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "sum": lambda *xs: mp.fsum(xs),
    "pow": lambda x, y: mp.power(x, y),
    "pow_const": lambda x, p: mp.power(x, p),
    "exp": mp.exp,
    "log": mp.log,
    "sqrt": mp.sqrt,
    "tanh": _tanh,
    "sigmoid": lambda x: 1 / (1 + mp.exp(-x)),
    "relu": lambda x: x if x > 0 else mp.mpf(0),
    "leaky_relu": lambda x, a: x if x > 0 else a * x,
    "swish": lambda x: x / (1 + mp.exp(-x)),
    "softplus": _softplus,
    "sin": mp.sin,
    "cos": mp.cos,
    "tan": mp.tan,
    "abs": abs,
}
"""Each row of the table on mpmath numbers (weighted_sum below)."""


def _weighted_sum(*xs):
    n = len(xs) // 2
    return mp.fsum([*xs[2 * n :], *(xs[k] * xs[k + n] for k in range(n))])


FLOAT_MAX = mp.mpf(1.7976931348623157e308)


def call(name: str, *operands: object, constant: float | None = None) -> object:
    """The row ``name`` on mpmath numbers (a call as ``tests.strategies.Program.on`` makes it).

    A result beyond the largest float becomes ±inf, as float64 makes it: the
    engine and PyTorch both met that infinity, and the oracle compares like with
    like (without it mpmath would go on to numbers of thousands of digits).
    """
    xs = [mp.mpf(x) if not isinstance(x, mp.mpf) else x for x in operands]
    if name == "weighted_sum":
        out = _weighted_sum(*xs)
    else:
        extra = () if constant is None else (mp.mpf(constant),)
        out = ROWS[name](*xs, *extra)
    if not mp.isnan(out) and abs(out) > FLOAT_MAX:
        return mp.inf if out > 0 else -mp.inf
    return out


def exact_entry(program, point: Sequence[float], entry: str) -> float:
    """The entry ``value``, ``d/dx{i}`` or ``d2/dx{i}dx{j}`` of ``program`` at ``point``, to 60 significant digits."""
    # NOTE: mpmath.diff steps by an absolute h; the digits grow with the largest input (1e154 + h
    # must not round back to 1e154).
    largest = max((abs(x) for x in point if x == x and abs(x) != float("inf")), default=1.0)
    digits = DIGITS + max(0, int(mp.log10(largest)) if largest > 1 else 0)
    with mp.workdps(digits):
        at = [mp.mpf(x) for x in point]

        def f(*xs):
            return program.on(call, list(xs))

        if entry == "value":
            return float(f(*at))
        orders = [0] * len(at)
        for i in entry.split("/")[1].replace("dx", " ").split():
            orders[int(i)] += 1
        return float(mp.diff(f, at, orders))
